import { z } from 'zod';
import { caseStates, satisfactions } from '../domain/case/case-workflow.ts';
import { crsNames } from '../domain/geo/crs.ts';
import { urgencies } from '../domain/sla/time-limit.ts';
import { attachmentPurposes } from './attachment.schema.ts';

/**
 * The citizen side (公众): reporting without an account, tracking by token or by case code + the last four phone
 * digits, and rating the answer. Nothing here names staff or carries internal comments.
 */

/** Citizen-friendly stages: 已提交 → 已受理 → 处理中 → 已办结 → 已评价, or 未受理 (voided) / 已合并 (duplicate). */
export const publicStages = [
  'submitted',
  'accepted',
  'in_progress',
  'closed',
  'rated',
  'voided',
  'merged',
] as const;
export type PublicStage = (typeof publicStages)[number];

/** The main path the tracking page shows as steps. */
export const publicStageSteps = ['submitted', 'accepted', 'in_progress', 'closed', 'rated'] as const;

const text = (max: number) => z.string().trim().max(max);

export const publicCaseBodySchema = z.strictObject({
  categoryCode: z.string().trim().min(1).max(16),
  urgency: z.enum(urgencies).default('normal'),
  title: z.string().trim().min(1).max(100),
  description: text(2000).default(''),
  /** The map pin; required because a case is routed by the grid it lies in. */
  location: z.strictObject({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: z.enum(crsNames).optional(),
  }),
  address: text(200).optional(),
  /** Ids from POST /public/attachments. */
  photos: z.array(z.uuid()).max(9).optional(),
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
});
export type PublicCaseInput = z.infer<typeof publicCaseBodySchema>;

export const publicCaseCreatedSchema = z.object({
  code: z.string(),
  /** Shown once: only its SHA-256 is stored, so it cannot be recovered. */
  trackingToken: z.string(),
  trackingUrl: z.string(),
});
export type PublicCaseCreated = z.infer<typeof publicCaseCreatedSchema>;

/** 32 random bytes, base64url. */
export const trackingTokenParamSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'tracking.token_format'),
});

const caseCode = z
  .string()
  .trim()
  .regex(/^\d{13}$/, 'tracking.code_format');
const phoneTail = z
  .string()
  .trim()
  .regex(/^\d{4}$/, 'tracking.phone_tail_format');

export const trackLookupBodySchema = z.strictObject({ code: caseCode, phoneTail });
export type TrackLookup = z.infer<typeof trackLookupBodySchema>;

export const ratingBodySchema = z.strictObject({
  resolved: z.boolean(),
  satisfaction: z.enum(satisfactions),
  comment: text(500).optional(),
});
export type RatingInput = z.infer<typeof ratingBodySchema>;

export const ratingByCodeBodySchema = ratingBodySchema.extend({ code: caseCode, phoneTail });

export const publicCaseViewSchema = z.object({
  code: z.string(),
  categoryName: z.string(),
  title: z.string(),
  state: z.enum(caseStates),
  stage: z.enum(publicStages),
  submittedAt: z.string(),
  /** One entry per change of stage, oldest first. */
  timeline: z.array(z.object({ at: z.string(), stage: z.enum(publicStages) })),
  reply: z
    .object({
      at: z.string(),
      resolved: z.boolean().nullable(),
      satisfaction: z.enum(satisfactions).nullable(),
    })
    .nullable(),
  /** True while the case is closed and not yet rated. */
  canRate: z.boolean(),
  /** The report's photos, and the handling evidence once the case is closed; links expire within two hours. */
  photos: z.array(z.object({ id: z.string(), purpose: z.enum(attachmentPurposes), url: z.string() })),
});
export type PublicCaseView = z.infer<typeof publicCaseViewSchema>;

export const publicCategoryNodeSchema = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  children: z.array(
    z.object({
      code: z.string(),
      kind: z.string(),
      name: z.string(),
      nameEn: z.string().nullable(),
      children: z.array(
        z.object({ code: z.string(), kind: z.string(), name: z.string(), nameEn: z.string().nullable() }),
      ),
    }),
  ),
});
export const publicCategoryTreeSchema = z.object({
  version: z.number().int(),
  items: z.array(publicCategoryNodeSchema),
});

/** Community outlines for the report form's map (public geography only: codes, names, boundaries). */
export const publicLocateQuerySchema = z.strictObject({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});
export const publicLocateSchema = z.object({
  inside: z.boolean(),
  streetName: z.string().nullable(),
  communityName: z.string().nullable(),
});

export const signedPhotoQuerySchema = z.strictObject({
  exp: z.coerce.number().int().positive(),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
