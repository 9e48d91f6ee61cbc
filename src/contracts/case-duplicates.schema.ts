import { z } from 'zod';
import { caseStates } from '../domain/case/case-workflow.ts';
import { crsNames } from '../domain/geo/crs.ts';

/** Duplicate detection (重复件识别): open cases of the same category nearby, reported recently. */
export const duplicateCandidatesBodySchema = z.strictObject({
  categoryCode: z.string().trim().min(1).max(16),
  location: z.strictObject({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: z.enum(crsNames).optional(),
  }),
});
export type DuplicateCandidatesInput = z.infer<typeof duplicateCandidatesBodySchema>;

export const duplicateCandidateSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  state: z.enum(caseStates),
  address: z.string().nullable(),
  /** Great-circle distance from the point asked about, metres. */
  distanceM: z.number(),
  createdAt: z.string(),
  version: z.number().int(),
  /** Whether the caller may merge this candidate (as a duplicate) into another case now. */
  mergeable: z.boolean(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;

export const mergedCaseSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  createdAt: z.string(),
  repliedAt: z.string().nullable(),
});

export const duplicateListSchema = z.object({
  radiusM: z.number().int(),
  windowHours: z.number().int(),
  /** Nearest first. */
  items: z.array(duplicateCandidateSchema),
  /** Around an existing case: the cases already merged into it (they receive its reply). */
  merged: z.array(mergedCaseSchema),
});
export type DuplicateList = z.infer<typeof duplicateListSchema>;

export const duplicateSettingsSchema = z.strictObject({
  /** R: how far apart two reports of one problem may be, metres. */
  radiusM: z.number().int().min(10).max(5000),
  /** T: how long apart, hours. */
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
});
export type DuplicateSettings = z.infer<typeof duplicateSettingsSchema>;
