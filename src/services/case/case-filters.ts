import { sql, type Expression, type SqlBool } from 'kysely';
import type { CaseQuery, Worklist } from '../../contracts/case.schema.ts';
import { finalStates, type CaseState } from '../../domain/case/case-workflow.ts';
import { regionSubtreeFilter } from '../scope/scope-guard.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';

const toDispatch: CaseState[] = ['filed', 'reopened', 'returned'];
const toHandle: CaseState[] = ['dispatched', 'in_progress', 'rework'];
export const worklistStates: Record<Exclude<Worklist, 'overdue'>, CaseState[]> = {
  reported: ['reported'],
  verifying: ['verifying'],
  pending_filing: ['pending_filing'],
  to_dispatch: toDispatch,
  to_handle: toHandle,
  pending_check: ['pending_check'],
  pending_close: ['pending_close'],
  to_reply: ['closed'],
};

export const inStates = (states: readonly string[]) =>
  sql<SqlBool>`"case".state IN (${sql.join(states.map((s) => sql`${s}`))})`;

/** Open cases whose running stage is past its deadline (超时). */
export function overdue(now: Date): Expression<SqlBool> {
  const open = sql<SqlBool>`NOT ${inStates(finalStates)}`;
  return sql<SqlBool>`("case".stage IS NOT NULL AND "case".stage_deadline < ${now} AND ${open})`;
}

/** SQL conditions for the list filters; `light` uses the same stored marks as the light shown. */
export function caseFilters(q: Partial<CaseQuery>, now: Date): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (q.state?.length) where.push(inStates(q.state));
  if (q.worklist) where.push(q.worklist === 'overdue' ? overdue(now) : inStates(worklistStates[q.worklist]));
  if (q.urgency?.length) {
    where.push(sql<SqlBool>`"case".urgency IN (${sql.join(q.urgency.map((u) => sql`${u}`))})`);
  }
  if (q.categoryCode) where.push(sql<SqlBool>`"case".category_code LIKE ${q.categoryCode + '%'}`);
  if (q.regionCode) where.push(regionSubtreeFilter('case.region_code', q.regionCode));
  if (q.light === 'red')
    where.push(sql<SqlBool>`("case".stage IS NOT NULL AND "case".stage_deadline < ${now})`);
  if (q.light === 'yellow') {
    where.push(
      sql<SqlBool>`("case".stage IS NOT NULL AND "case".stage_warn_at < ${now} AND "case".stage_deadline >= ${now})`,
    );
  }
  if (q.light === 'green') {
    where.push(
      sql<SqlBool>`("case".stage IS NOT NULL AND "case".stage_deadline >= ${now} AND ("case".stage_warn_at IS NULL OR "case".stage_warn_at >= ${now}))`,
    );
  }
  if (q.from) where.push(sql<SqlBool>`"case".created_at >= ${new Date(q.from)}`);
  if (q.to) where.push(sql<SqlBool>`"case".created_at < ${new Date(q.to)}`);
  if (q.q) where.push(caseRepository.textFilter(q.q));
  return where;
}
