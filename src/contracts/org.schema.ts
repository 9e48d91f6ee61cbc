import { z } from 'zod';
import { regionLevels } from '../domain/region/region-code.ts';
import { pageQuerySchema, regionCodeSchema } from './common.schema.ts';

export const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(regionLevels),
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
export type RegionView = z.infer<typeof regionSchema>;

export const regionQuerySchema = z.strictObject({ parentCode: regionCodeSchema.optional() });
export const regionCodeParamSchema = z.strictObject({ code: regionCodeSchema });

export const createRegionBodySchema = z.strictObject({
  code: regionCodeSchema,
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(128).optional(),
  parentCode: regionCodeSchema,
});
export type CreateRegionInput = z.infer<typeof createRegionBodySchema>;

export const departmentSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  disabled: z.boolean(),
});

export const departmentQuerySchema = pageQuerySchema.extend({ q: z.string().max(64).optional() });

export const createDepartmentBodySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9_-]{2,32}$/, 'department.code_format'),
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(128).optional(),
  regionCode: regionCodeSchema,
});
export type CreateDepartmentInput = z.infer<typeof createDepartmentBodySchema>;

export const updateDepartmentBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  nameEn: z.string().trim().min(1).max(128).nullable().optional(),
  disabled: z.boolean().optional(),
});
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentBodySchema>;
