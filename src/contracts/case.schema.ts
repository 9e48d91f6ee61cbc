import { z } from 'zod';
import { caseEvents, caseStates, satisfactions } from '../domain/case/case-workflow.ts';
import { crsNames } from '../domain/geo/crs.ts';
import type { Role } from '../domain/identity/role.ts';
import { timeUnits, urgencies } from '../domain/sla/time-limit.ts';
import { categoryKinds, categoryLevels } from '../domain/taxonomy/category.ts';
import { caseAttachmentSchema } from './attachment.schema.ts';
import { pageQuerySchema } from './common.schema.ts';

export const caseChannels = ['hotline', 'patrol', 'web', 'sensor', 'api'] as const;
export const lights = ['green', 'yellow', 'red'] as const;

/**
 * Worklists (待办): reported 待受理, verifying 待核实, pending_filing 待立案, to_dispatch 待派遣, to_handle 待处置,
 * pending_check 待核查, pending_close 待结案, to_reply 待回访, overdue 超时.
 */
export const worklists = [
  'reported',
  'verifying',
  'pending_filing',
  'to_dispatch',
  'to_handle',
  'pending_check',
  'pending_close',
  'to_reply',
  'overdue',
] as const;
export type Worklist = (typeof worklists)[number];

/** The worklists each role works from (the counts endpoint returns these). */
export const worklistsOfRole: Record<Role, readonly Worklist[]> = {
  admin: worklists,
  leader: worklists,
  auditor: worklists,
  data_steward: ['to_handle', 'overdue'],
  shift_lead: ['reported', 'pending_filing', 'pending_close', 'to_reply', 'overdue'],
  intake_operator: ['reported', 'to_reply', 'overdue'],
  grid_worker: ['verifying', 'pending_check', 'overdue'],
  dispatcher: ['to_dispatch', 'to_handle', 'overdue'],
  handler: ['to_handle', 'overdue'],
};

const text = (max: number) => z.string().trim().max(max);

export const createCaseBodySchema = z.strictObject({
  categoryCode: z.string().trim().min(1).max(16),
  urgency: z.enum(urgencies),
  title: z.string().trim().min(1).max(100),
  description: text(2000).default(''),
  channel: z.enum(caseChannels),
  location: z.strictObject({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: z.enum(crsNames).optional(),
  }),
  address: text(200).optional(),
  reporter: z
    .strictObject({
      name: text(50).optional(),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9+\-\s]{5,20}$/, 'phone.format')
        .optional(),
    })
    .optional(),
  /** Photos of the problem (处置前): ids of the caller's own unlinked uploads (POST /attachments). */
  photos: z.array(z.uuid()).max(9).optional(),
});
export type CreateCaseInput = z.infer<typeof createCaseBodySchema>;

export const caseEventBodySchema = z.strictObject({
  event: z.enum(caseEvents),
  expectedVersion: z.number().int().min(1),
  comment: text(2000).optional(),
  reason: text(500).optional(),
  /** dispatch: exactly one; co_dispatch: two or more, the first leads. */
  departmentIds: z.array(z.uuid()).max(20).optional(),
  /**
   * Photo ids (required for handle and check_pass): the caller's own unlinked uploads (POST /attachments) or photos
   * already attached to this case.
   */
  evidence: z.array(z.uuid()).max(20).optional(),
  satisfaction: z.enum(satisfactions).optional(),
  resolved: z.boolean().optional(),
  duplicateOf: z.uuid().optional(),
  /** supervise (督办). */
  instruction: text(1000).optional(),
  /** request_extension. */
  extension: z.strictObject({ amount: z.number().positive().max(1000), unit: z.enum(timeUnits) }).optional(),
});
export type CaseEventInput = z.infer<typeof caseEventBodySchema>;

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const caseQuerySchema = pageQuerySchema.extend({
  /** One state or several, comma-separated. */
  state: csv(caseStates).optional(),
  worklist: z.enum(worklists).optional(),
  categoryCode: z.string().trim().max(16).optional(),
  regionCode: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
  light: z.enum(lights).optional(),
  /** One urgency or several, comma-separated. */
  urgency: csv(urgencies).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().max(100).optional(),
});
export type CaseQuery = z.infer<typeof caseQuerySchema>;

export const caseSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  state: z.enum(caseStates),
  categoryCode: z.string(),
  categoryName: z.string(),
  urgency: z.enum(urgencies),
  title: z.string(),
  address: z.string().nullable(),
  gridCode: z.string().nullable(),
  communityName: z.string().nullable(),
  streetName: z.string().nullable(),
  stage: z.string().nullable(),
  stageDeadline: z.string().nullable(),
  light: z.enum(lights).nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseDetailSchema = caseSummarySchema.extend({
  description: z.string(),
  channel: z.enum(caseChannels),
  lng: z.number(),
  lat: z.number(),
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  suggestedDepartment: z.object({ id: z.string(), name: z.string() }).nullable(),
  tasks: z.array(z.object({ departmentId: z.string(), departmentName: z.string(), state: z.string() })),
  timeline: z.array(
    z.object({
      at: z.string(),
      actorName: z.string().nullable(),
      role: z.string().nullable(),
      event: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      comment: z.string().nullable(),
    }),
  ),
  allowedEvents: z.array(z.enum(caseEvents)),
  /** Photos: the report's (处置前) and the handling and check evidence (处置后). */
  attachments: z.array(caseAttachmentSchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const casePageSchema = z.object({
  items: z.array(caseSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const worklistCountsSchema = z.object({
  counts: z.partialRecord(z.enum(worklists), z.number().int()),
});

const categoryBase = z.object({
  code: z.string(),
  kind: z.enum(categoryKinds),
  level: z.enum(categoryLevels),
  name: z.string(),
  nameEn: z.string().nullable(),
  requiresVerification: z.boolean(),
  dispatchRule: z.enum(['owner_first', 'territory_first']),
});
const categoryMinor = categoryBase.extend({ children: z.array(categoryBase) });
export const categoryNodeSchema = categoryBase.extend({ children: z.array(categoryMinor) });
export type CategoryNode = z.infer<typeof categoryNodeSchema>;

export const categoryTreeSchema = z.object({ version: z.number().int(), items: z.array(categoryNodeSchema) });
export type CategoryTree = z.infer<typeof categoryTreeSchema>;
