import type { Expression, SqlBool } from 'kysely';
import type { Executor, PageRequest } from '../executor.ts';
import { likeContains, offsetOf } from '../executor.ts';
import type { AuditLogRow } from '../schema.ts';

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  /** Restricts by the acting staff member; the query joins `staff` and `department` under those names. */
  scope?: Expression<SqlBool> | undefined;
}

/** Append-only: there is deliberately no update or delete here. */
export const auditLogRepository = {
  async append(ex: Executor, e: AuditEntry): Promise<void> {
    await ex
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor_id: e.actorId,
        actor_name: e.actorName,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        details: JSON.stringify(e.details),
        ip: e.ip,
      })
      .execute();
  },

  async list(
    ex: Executor,
    f: AuditFilter,
    page: PageRequest,
  ): Promise<{ rows: AuditLogRow[]; total: number }> {
    let q = ex
      .selectFrom('audit_log')
      .leftJoin('staff', 'staff.id', 'audit_log.actor_id')
      .leftJoin('department', 'department.id', 'staff.scope_department_id');
    if (f.action) q = q.where('audit_log.action', '=', f.action);
    if (f.actor) q = q.where('audit_log.actor_name', 'ilike', likeContains(f.actor));
    if (f.scope) q = q.where(f.scope);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('audit_log')
      .orderBy('audit_log.id', 'desc')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },
};
