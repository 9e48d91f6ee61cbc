import { z } from 'zod';
import { caseQuerySchema } from './case.schema.ts';

/** Bulk work on cases (批量派遣) and the export of case lists (导出 Excel / CSV). */

export const MAX_BULK_ITEMS = 200;
export const bulkEvents = ['dispatch'] as const;

export const bulkEventBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ caseId: z.uuid(), expectedVersion: z.number().int().min(1) }))
      .min(1)
      .max(MAX_BULK_ITEMS),
    event: z.enum(bulkEvents),
    /** One department for every case … */
    departmentIds: z.array(z.uuid()).length(1).optional(),
    /** … or each case's own suggested department (建议派遣部门). */
    useSuggested: z.boolean().optional(),
    comment: z.string().trim().max(2000).optional(),
  })
  .superRefine((b, ctx) => {
    const one = b.departmentIds !== undefined;
    if (one === (b.useSuggested === true)) {
      ctx.addIssue({
        code: 'custom',
        path: ['departmentIds'],
        message: 'case.bulk_department_choice',
      });
    }
  });
export type BulkEventInput = z.infer<typeof bulkEventBodySchema>;

export const bulkItemResultSchema = z.object({
  caseId: z.string(),
  ok: z.boolean(),
  /** The case's new version when it worked. */
  version: z.number().int().optional(),
  /** The department it went to. */
  departmentId: z.string().optional(),
  /** Why it did not: an error code (case.conflict, case.invalid_transition …) and a text in the caller's language. */
  code: z.string().optional(),
  error: z.string().optional(),
});
export type BulkItemResult = z.infer<typeof bulkItemResultSchema>;

export const bulkEventResultSchema = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  items: z.array(bulkItemResultSchema),
});

export const exportFormats = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The filters of GET /cases, without paging, plus the file format. */
export const caseExportQuerySchema = caseQuerySchema
  .omit({ page: true, pageSize: true })
  .extend({ format: z.enum(exportFormats).default('xlsx') });
export type CaseExportQuery = z.infer<typeof caseExportQuerySchema>;
