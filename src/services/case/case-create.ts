import { createHash } from 'node:crypto';
import { dispatchTarget } from '../../domain/case/case-policy.ts';
import type { DispatchRule } from '../../domain/taxonomy/category.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import type { LocateResult } from '../../contracts/locate.schema.ts';

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

/**
 * The suggested department (建议派遣部门) from the responsibility list: rules with a category prefix name the
 * owner (属主), rules for a street/community the territory (属地), rules for the district (or everywhere) the
 * fallback (区兜底); the category's dispatch rule orders owner and territory. Without any rule, a department
 * whose name matches one of the category's hints; else none.
 */
export async function suggestDepartment(
  ex: Executor,
  category: { code: string; dispatchRule: DispatchRule; departmentHints: readonly string[] },
  loc: LocateResult,
): Promise<string | null> {
  const regions = [loc.grid?.code, loc.community?.code, loc.street?.code, loc.district?.code].filter(
    (c): c is string => !!c,
  );
  const rules = await categoryRepository.matchingRules(ex, category.code, regions);
  const owner = rules.find((r) => r.category_code !== '')?.department_id ?? null;
  const territory =
    rules.find((r) => r.category_code === '' && r.region_code.length > 6)?.department_id ?? null;
  const district =
    rules.find((r) => r.category_code === '' && r.region_code.length <= 6)?.department_id ?? null;
  if (owner || territory || district) {
    return (
      dispatchTarget(category.dispatchRule, { owner, territory, district: district ?? '' }).department || null
    );
  }
  for (const hint of category.departmentHints) {
    const core = hint
      .replace(/（.*?）|\(.*?\)/g, '')
      .replace(/(部门|主管部门)$/, '')
      .trim();
    if (core.length < 2 || core.length > 12) continue;
    const { rows } = await departmentRepository.list(ex, { q: core }, { page: 1, pageSize: 1 });
    const hit = rows.find((d) => !d.disabled && (!loc.district || d.region_code === loc.district.code));
    if (hit) return hit.id;
  }
  return null;
}
