import { z } from 'zod';
import { crsNames } from '../domain/geo/crs.ts';
import { regionLevels } from '../domain/region/region-code.ts';
import { gridShapes } from '../domain/spatial/generate-grids.ts';
import { importKinds } from '../domain/spatial/validate-features.ts';
import { regionCodeSchema } from './common.schema.ts';

export const layerKinds = ['responsibility_zone', 'supervision_unit', 'other'] as const;
export const importJobStatuses = ['queued', 'validating', 'writing', 'done', 'failed'] as const;

const propName = z.string().trim().min(1).max(64);

export const propertyMappingSchema = z.strictObject({
  code: propName,
  name: propName,
  parentCode: propName.optional(),
  level: propName.optional(),
  nameEn: propName.optional(),
  department: propName.optional(),
  unit: propName.optional(),
});

const toleranceSchema = z.strictObject({
  outsideToleranceM: z.number().min(0).max(1000).optional(),
  overlapToleranceM2: z.number().min(0).max(1_000_000).optional(),
  gapToleranceM2: z.number().min(0).max(100_000_000).optional(),
});

/** Everything about an import except the file itself (the multipart fields, or the JSON body minus `data`). */
export const importOptionsSchema = z
  .strictObject({
    kind: z.enum(importKinds),
    crs: z.enum(crsNames).default('wgs84'),
    mapping: propertyMappingSchema,
    layerCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'spatial.layer_code_format')
      .optional(),
    layerName: z.string().trim().min(1).max(64).optional(),
    layerKind: z.enum(layerKinds).optional(),
    dryRun: z.boolean().default(false),
    tolerances: toleranceSchema.optional(),
    fileName: z.string().max(255).optional(),
  })
  .refine((o) => o.kind !== 'layer' || o.layerCode !== undefined, {
    path: ['layerCode'],
    message: 'spatial.layer_code_required',
  });
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const geojsonImportBodySchema = z.strictObject({
  format: z.literal('geojson'),
  data: z.unknown(),
  kind: z.enum(importKinds),
  crs: z.enum(crsNames).optional(),
  mapping: propertyMappingSchema,
  layerCode: z.string().optional(),
  layerName: z.string().optional(),
  layerKind: z.enum(layerKinds).optional(),
  dryRun: z.boolean().optional(),
  tolerances: toleranceSchema.optional(),
  fileName: z.string().max(255).optional(),
});

export const findingSchema = z.object({
  index: z.number().int().nullable(),
  code: z.string().optional(),
  reason: z.string(),
  message: z.string(),
});

export const importReportSchema = z.object({
  errors: z.array(findingSchema),
  warnings: z.array(findingSchema),
  counts: z.object({
    features: z.number().int(),
    regions: z.number().int(),
    grids: z.number().int(),
    layerFeatures: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    inserted: z.number().int().optional(),
    updated: z.number().int().optional(),
  }),
  /** Errors beyond this many are counted but not listed. */
  truncated: z.boolean().optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(importJobStatuses),
  progress: z.number().min(0).max(1),
  kind: z.enum(importKinds),
  dryRun: z.boolean(),
  /** done + dryRun: the file would be accepted; done: written; failed: refused (see report) or crashed. */
  accepted: z.boolean().nullable(),
  report: importReportSchema.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobSchema>;

export const importAcceptedSchema = z.object({ jobId: z.string() });
export const jobIdParamSchema = z.strictObject({ id: z.uuid() });

export const generateGridsBodySchema = z.strictObject({
  regionCode: regionCodeSchema,
  shape: z.enum(gridShapes).default('square'),
  sizeM: z.number().min(10).max(2000).default(100),
  sliverRatio: z.number().min(0).max(0.99).default(0.25),
  replace: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export type GenerateGridsInput = z.infer<typeof generateGridsBodySchema>;

export const generateGridsResultSchema = z.object({
  communities: z.array(z.object({ code: z.string(), grids: z.number().int(), replaced: z.number().int() })),
  grids: z.number().int(),
  dryRun: z.boolean(),
});
export type GenerateGridsResult = z.infer<typeof generateGridsResultSchema>;

const download = z.enum(['0', '1']).optional();

export const regionsGeojsonQuerySchema = z.strictObject({
  level: z.enum(regionLevels).optional(),
  parentCode: regionCodeSchema.optional(),
  download,
});
export const gridsGeojsonQuerySchema = z.strictObject({
  regionCode: regionCodeSchema,
  bbox: z
    .string()
    .regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/, 'spatial.bbox_format')
    .optional(),
  download,
});
export const layerFeaturesQuerySchema = z.strictObject({ download });
export const layerIdParamSchema = z.strictObject({ id: z.uuid() });
export const gridCodeParamSchema = z.strictObject({
  code: z.string().regex(/^\d{15}$/, 'spatial.grid_code_format'),
});
export const searchQuerySchema = z.strictObject({ q: z.string().trim().min(1).max(64) });

/** GeoJSON is passed through as stored; the schema documents the envelope. */
export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string().optional(),
      properties: z.record(z.string(), z.unknown()),
      geometry: z.unknown(),
    }),
  ),
});
export type FeatureCollectionView = z.infer<typeof featureCollectionSchema>;

export const layerSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(layerKinds),
  featureCount: z.number().int(),
});

export const gridInfoSchema = z.object({
  code: z.string(),
  name: z.string(),
  legacyCode: z.string().nullable(),
  areaM2: z.number(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  community: z.object({ code: z.string(), name: z.string() }),
  street: z.object({ code: z.string(), name: z.string() }).nullable(),
  workers: z.array(z.object({ id: z.string(), displayName: z.string() })),
  departments: z.array(
    z.object({
      id: z.string().nullable(),
      code: z.string().nullable(),
      name: z.string(),
      layerCode: z.string(),
      layerKind: z.enum(layerKinds),
      featureCode: z.string(),
      featureName: z.string(),
    }),
  ),
});
export type GridInfo = z.infer<typeof gridInfoSchema>;

export const searchResultSchema = z.array(
  z.object({
    type: z.enum([...regionLevels, 'grid']),
    code: z.string(),
    name: z.string(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  }),
);
export type SearchResult = z.infer<typeof searchResultSchema>;

export const setWorkersBodySchema = z.strictObject({ staffIds: z.array(z.uuid()).max(50) });
export const workersSchema = z.array(z.object({ id: z.string(), displayName: z.string() }));
