import { z } from 'zod';
import { pageOf, pageQuerySchema, queryBoolean } from './common.schema.ts';
import { scopeInputSchema, scopeViewSchema } from './identity.schema.ts';

/**
 * In-app notifications (消息提醒): assignment 派遣到本部门, overdue 超时督办, reply 回访结果, supervise 督办,
 * merged 合并为重复件.
 */
export const notificationKinds = ['assignment', 'overdue', 'reply', 'supervise', 'merged'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Events a webhook endpoint may subscribe to; `ping` (a test delivery) goes to one endpoint on request. */
export const webhookEvents = ['case.assigned', 'case.overdue', 'case.replied', 'case.supervised'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
export const deliveryEvents = [...webhookEvents, 'ping'] as const;
export type DeliveryEvent = (typeof deliveryEvents)[number];
export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(notificationKinds),
  caseId: z.string().nullable(),
  /** Stored in Chinese; the web app renders its own text from `kind` and `data`. */
  title: z.string(),
  body: z.string(),
  /** Facts for rendering: case code and title, stage, departments, reply, master case… */
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationQuerySchema = pageQuerySchema.extend({
  unread: queryBoolean.optional(),
  kind: z.enum(notificationKinds).optional(),
});
export const notificationPageSchema = pageOf(notificationSchema);
export const unreadCountSchema = z.object({ unread: z.number().int() });
export const readAllSchema = z.object({ updated: z.number().int() });

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.hostname, error: 'webhook.url_scheme' }));
const eventList = z
  .array(z.enum(webhookEvents))
  .min(1)
  .max(webhookEvents.length)
  .refine((a) => new Set(a).size === a.length, 'webhook.duplicate_event');

export const createWebhookBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** http:// or https://; use HTTPS for anything that leaves the building (case.replied carries a phone). */
  url: webhookUrl,
  events: eventList,
  active: z.boolean().default(true),
  /**
   * Which cases' events the endpoint receives, like a staff member's scope. Absent: the creator's own scope; `{}`:
   * the whole deployment (administrators of the whole deployment only). Never wider than the creator's scope.
   */
  scope: scopeInputSchema.optional(),
  /** Names and phone numbers in clear (else masked); only an administrator of the whole deployment sets it. */
  personalData: z.boolean().default(false),
});
export type CreateWebhookInput = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  url: webhookUrl.optional(),
  events: eventList.optional(),
  active: z.boolean().optional(),
  scope: scopeInputSchema.optional(),
  personalData: z.boolean().optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookBodySchema>;

export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEvents)),
  active: z.boolean(),
  /** Both codes null: the whole deployment. */
  scope: scopeViewSchema,
  personalData: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;
export const webhookPageSchema = pageOf(webhookSchema);

/** The signing secret is shown only in the answer to create and rotate-secret. */
export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string() });

export const deliverySchema = z.object({
  id: z.string(),
  event: z.enum(deliveryEvents),
  status: z.enum(deliveryStatuses),
  /** What was (or will be) sent, without the personal data (that is added, decrypted, only when sending). */
  payload: z.unknown(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  /**
   * A short fixed reason, never the receiver's answer: `http_status`, `redirect`, `timeout`, `connection_refused`,
   * `connection_reset`, `unreachable`, `tls_error`, `network_error`, `unresolvable`, `address_refused:<class>`.
   */
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;
export const deliveryPageSchema = pageOf(deliverySchema);
export const deliveryQuerySchema = pageQuerySchema.extend({
  status: z.enum(deliveryStatuses).optional(),
  event: z.enum(deliveryEvents).optional(),
});
