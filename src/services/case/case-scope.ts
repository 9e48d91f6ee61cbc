import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { CaseRow } from '../../db/schema.ts';
import type { Principal } from '../identity/principal.ts';
import { canSeeRegion, isGlobal, regionPrefixOf, regionScopeFilter } from '../scope/scope-guard.ts';

/**
 * Which cases a principal sees: region staff see cases located in their subtree; department staff see cases
 * with a (not cancelled) task for their department — and, with a region scope too, only inside it.
 */
export function caseScopeFilter(p: Principal): Expression<SqlBool> {
  if (isGlobal(p)) return sql<SqlBool>`true`;
  const dep = p.scope.departmentId;
  if (!dep) return regionScopeFilter(p, 'case.region_code');
  const task = sql<SqlBool>`EXISTS (SELECT 1 FROM case_task WHERE case_task.case_id = "case".id
    AND case_task.department_id = ${dep} AND case_task.state <> 'cancelled')`;
  return regionPrefixOf(p) ? sql<SqlBool>`(${task} AND ${regionScopeFilter(p, 'case.region_code')})` : task;
}

export async function canSeeCase(ex: Executor, p: Principal, row: CaseRow): Promise<boolean> {
  if (isGlobal(p)) return true;
  const dep = p.scope.departmentId;
  if (!dep) return canSeeRegion(p, row.region_code);
  if (regionPrefixOf(p) && !canSeeRegion(p, row.region_code)) return false;
  return caseRepository.hasTask(ex, row.id, dep);
}
