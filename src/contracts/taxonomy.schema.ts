import { z } from 'zod';
import { crsNames } from '../domain/geo/crs.ts';
import { slaStages, timeUnits, urgencies } from '../domain/sla/time-limit.ts';
import { categoryKinds, categoryLevels } from '../domain/taxonomy/category.ts';
import { pageQuerySchema } from './common.schema.ts';

/**
 * The administration of the taxonomy module: catalogue versions (事项分类目录), the work calendar (工作日历) and
 * the responsibility list (责任清单).
 */

export const dispatchRules = ['owner_first', 'territory_first'] as const;

const categoryCodeSchema = z
  .string()
  .trim()
  .regex(/^(BJ|SJ|RX)(\d{2}){1,3}$/, 'category.code_format');

export const timeLimitSchema = z.strictObject({
  stage: z.enum(slaStages),
  urgency: z.enum(urgencies),
  /** Positive; fractions allowed (0.5 natural_hours = 30 minutes). */
  amount: z.number().positive().max(10_000),
  unit: z.enum(timeUnits),
});

export const catalogueItemSchema = z.object({
  code: z.string(),
  kind: z.enum(categoryKinds),
  parentCode: z.string().nullable(),
  level: z.enum(categoryLevels),
  name: z.string(),
  nameEn: z.string().nullable(),
  dispatchRule: z.enum(dispatchRules),
  requiresVerification: z.boolean(),
  timeLimits: z.array(timeLimitSchema),
  departmentHints: z.array(z.string()),
  active: z.boolean(),
  aliases: z.array(z.string()),
  fileCondition: z.string().nullable(),
  closeCondition: z.string().nullable(),
  gbCode: z.string().nullable(),
  codeOrigin: z.enum(['source', 'assigned']),
});
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

export const catalogueVersionSummarySchema = z.object({
  version: z.number().int(),
  effectiveAt: z.string(),
  note: z.string(),
  /** Categories in the version, and how many of them are active. */
  categories: z.number().int(),
  active: z.number().int(),
  /** Against the previous version (all zero for the first). */
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  current: z.boolean(),
});
export type CatalogueVersionSummary = z.infer<typeof catalogueVersionSummarySchema>;

export const catalogueVersionSchema = catalogueVersionSummarySchema.extend({
  /** Per kind, the complete stage × urgency matrix that applies where a category sets nothing. */
  defaults: z.record(z.enum(categoryKinds), z.array(timeLimitSchema)),
  items: z.array(catalogueItemSchema),
});
export type CatalogueVersionView = z.infer<typeof catalogueVersionSchema>;

export const versionParamSchema = z.strictObject({
  v: z.coerce.number().int().min(1).max(1_000_000),
});

const text = (max: number) => z.string().trim().max(max);

/** One category as an administrator writes it; omitted optional fields keep the based-on version's values. */
export const catalogueItemInputSchema = z.strictObject({
  code: categoryCodeSchema,
  kind: z.enum(categoryKinds),
  parentCode: categoryCodeSchema.nullable(),
  level: z.enum(categoryLevels),
  name: z.string().trim().min(1).max(100),
  nameEn: text(200).nullable().optional(),
  dispatchRule: z.enum(dispatchRules).optional(),
  requiresVerification: z.boolean().optional(),
  timeLimits: z
    .array(timeLimitSchema)
    .max(slaStages.length * urgencies.length)
    .optional(),
  departmentHints: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  active: z.boolean().optional(),
  aliases: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  fileCondition: text(2000).nullable().optional(),
  closeCondition: text(2000).nullable().optional(),
});
export type CatalogueItemInput = z.infer<typeof catalogueItemInputSchema>;

export const catalogueChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('upsert'), item: catalogueItemInputSchema }),
  z.strictObject({ op: z.literal('deactivate'), code: categoryCodeSchema }),
]);
export type CatalogueChange = z.infer<typeof catalogueChangeSchema>;

export const publishCatalogueBodySchema = z.strictObject({
  note: z.string().trim().min(1).max(500),
  /** The version the changes were made against; it must still be the newest (else 409). */
  basedOn: z.number().int().min(1),
  changes: z.array(catalogueChangeSchema).min(1).max(2000),
});
export type PublishCatalogueInput = z.infer<typeof publishCatalogueBodySchema>;

export const catalogueVersionQuerySchema = pageQuerySchema;

// ---- work calendar ----

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'calendar.date_format');

export const calendarYearParamSchema = z.strictObject({
  year: z.coerce.number().int().min(1970).max(9999),
});

export const calendarYearSummarySchema = z.object({
  year: z.number().int(),
  holidays: z.number().int(),
  makeupWorkdays: z.number().int(),
  source: z.string(),
  updatedAt: z.string(),
});

export const calendarYearSchema = z.object({
  year: z.number().int(),
  /** Statutory days off (法定节假日 / 放假), weekends inside a holiday included. */
  holidays: z.array(z.string()),
  /** Weekend days that are worked (调休上班). */
  makeupWorkdays: z.array(z.string()),
  source: z.string(),
  /** null for a year not loaded yet: the calendar then counts weekends only. */
  updatedAt: z.string().nullable(),
  loaded: z.boolean(),
});
export type CalendarYearView = z.infer<typeof calendarYearSchema>;

export const putCalendarYearBodySchema = z.strictObject({
  holidays: z.array(isoDate).max(366),
  makeupWorkdays: z.array(isoDate).max(366),
  /** Where the dates come from, e.g. the State Council notice (国务院办公厅关于…部分节假日安排的通知). */
  source: text(500).optional(),
});
export type PutCalendarYearInput = z.infer<typeof putCalendarYearBodySchema>;

// ---- responsibility list ----

/** A region code of 12 digits, or empty for "everywhere". */
const ruleRegionSchema = z.union([z.literal(''), z.string().regex(/^\d{12}$/, 'region.code_format')]);
/** A category code prefix (BJ, BJ02, RX0101 …), or empty for every category. */
const ruleCategorySchema = z.union([
  z.literal(''),
  z
    .string()
    .trim()
    .regex(/^(BJ|SJ|RX)(\d{2}){0,3}$/, 'category.prefix_format'),
]);

export const bases = ['owner', 'territory', 'district_fallback', 'hint'] as const;
export type SuggestionBasis = (typeof bases)[number];

export const responsibilityRuleSchema = z.object({
  id: z.string(),
  categoryCode: z.string(),
  categoryName: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  departmentId: z.string(),
  departmentName: z.string(),
  departmentDisabled: z.boolean(),
  priority: z.number().int(),
  /** How the suggestion logic reads the rule: a category owner (属主), a territory (属地) or the fallback (兜底). */
  basis: z.enum(['owner', 'territory', 'district_fallback']),
  createdAt: z.string(),
});
export type ResponsibilityRuleView = z.infer<typeof responsibilityRuleSchema>;

export const responsibilityRuleQuerySchema = pageQuerySchema.extend({
  /** Rules whose category prefix covers this code (or starts with it). */
  categoryCode: z
    .string()
    .trim()
    .regex(/^(BJ|SJ|RX)(\d{2}){0,3}$/, 'category.prefix_format')
    .optional(),
  /** Rules for this region, its ancestors or its descendants. */
  regionCode: z
    .string()
    .regex(/^\d{12}$/, 'region.code_format')
    .optional(),
  departmentId: z.uuid().optional(),
});
export type ResponsibilityRuleQuery = z.infer<typeof responsibilityRuleQuerySchema>;

export const createResponsibilityRuleBodySchema = z.strictObject({
  categoryCode: ruleCategorySchema.default(''),
  regionCode: ruleRegionSchema.default(''),
  departmentId: z.uuid(),
  priority: z.number().int().min(-1000).max(1000).default(0),
});
export type CreateResponsibilityRuleInput = z.infer<typeof createResponsibilityRuleBodySchema>;

export const updateResponsibilityRuleBodySchema = z.strictObject({
  categoryCode: ruleCategorySchema.optional(),
  regionCode: ruleRegionSchema.optional(),
  departmentId: z.uuid().optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
});
export type UpdateResponsibilityRuleInput = z.infer<typeof updateResponsibilityRuleBodySchema>;

export const previewBodySchema = z.strictObject({
  categoryCode: categoryCodeSchema,
  location: z.strictObject({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: z.enum(crsNames).optional(),
  }),
});
export type PreviewInput = z.infer<typeof previewBodySchema>;

const named = z.object({ code: z.string(), name: z.string() }).nullable();

export const previewResultSchema = z.object({
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  basis: z.enum(bases).nullable(),
  dispatchRule: z.enum(dispatchRules),
  /** The candidates the rule chose from, and the rule that named each. */
  candidates: z.object({
    owner: z.object({ departmentId: z.string(), ruleId: z.string() }).nullable(),
    territory: z.object({ departmentId: z.string(), ruleId: z.string() }).nullable(),
    district: z.object({ departmentId: z.string(), ruleId: z.string() }).nullable(),
  }),
  location: z.object({
    inside: z.boolean(),
    grid: named,
    community: named,
    street: named,
    district: named,
  }),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;
