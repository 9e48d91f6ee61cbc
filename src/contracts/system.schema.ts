import { z } from 'zod';
import { roleSchema } from './identity.schema.ts';

export const systemInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['demo', 'production']),
  demoAccounts: z.array(
    z.object({ username: z.string(), password: z.string(), role: roleSchema, displayName: z.string() }),
  ),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const workbenchSummarySchema = z.object({
  regions: z.number().int(),
  grids: z.number().int(),
  departments: z.number().int(),
  /** Null when the caller may not manage staff. */
  staff: z.number().int().nullable(),
});
