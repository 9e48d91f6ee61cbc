import { createHash } from 'node:crypto';
import type { DispatchRule } from '../../domain/taxonomy/category.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import type { LocateResult } from '../../contracts/locate.schema.ts';
import { suggestionFor } from '../taxonomy/suggestion.ts';

/** Same body → same hash, whatever the key order. */
export function requestHash(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(value)))
    .digest('hex');
}

export function badField(
  field: string,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
) {
  return new DomainError('validation.failed', `${field}: ${reason}`, details, [{ field, reason, message }]);
}

/** The suggested department (建议派遣部门); see `suggestionFor` for the rules and the basis it reports. */
export async function suggestDepartment(
  ex: Executor,
  category: { code: string; dispatchRule: DispatchRule; departmentHints: readonly string[] },
  loc: LocateResult,
): Promise<string | null> {
  return (await suggestionFor(ex, category, loc)).departmentId;
}
