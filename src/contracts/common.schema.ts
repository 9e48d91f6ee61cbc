import { z } from 'zod';

/** RFC 9457 problem details, as every error response carries them. */
export const fieldIssueSchema = z.object({
  field: z.string(),
  reason: z.string(),
  message: z.string(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string(),
  requestId: z.string(),
  issues: z.array(fieldIssueSchema).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const MAX_PAGE_SIZE = 200;

export const pageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const regionCodeSchema = z.string().regex(/^\d{12}$/, 'region.code_format');
export const uuidSchema = z.uuid();
export const idParamSchema = z.strictObject({ id: z.uuid() });

/** A query-string boolean ("true"/"false"). */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
