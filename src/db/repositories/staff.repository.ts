import { sql, type Expression, type SqlBool } from 'kysely';
import { likeContains, offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { NewStaff, StaffRow, StaffUpdate } from '../schema.ts';

export interface StaffFilter {
  q?: string | undefined;
  role?: string | undefined;
  disabled?: boolean | undefined;
  /** A scope restriction built by the scope guard. */
  scope?: Expression<SqlBool> | undefined;
}

export interface StaffListRow extends StaffRow {
  region_name: string | null;
  department_name: string | null;
  department_region_code: string | null;
}

export const staffRepository = {
  findByUsername(ex: Executor, username: string): Promise<StaffRow | undefined> {
    return ex.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
  },

  findListRowById(ex: Executor, id: string): Promise<StaffListRow | undefined> {
    return ex
      .selectFrom('staff')
      .leftJoin('region', 'region.code', 'staff.scope_region_code')
      .leftJoin('department', 'department.id', 'staff.scope_department_id')
      .selectAll('staff')
      .select([
        'region.name as region_name',
        'department.name as department_name',
        'department.region_code as department_region_code',
      ])
      .where('staff.id', '=', id)
      .executeTakeFirst();
  },

  findById(ex: Executor, id: string): Promise<StaffRow | undefined> {
    return ex.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Locks the row for the rest of the transaction (failed-login counting must not race). */
  findByUsernameForUpdate(ex: Executor, username: string): Promise<StaffRow | undefined> {
    return ex.selectFrom('staff').selectAll().where('username', '=', username).forUpdate().executeTakeFirst();
  },

  async insert(ex: Executor, row: NewStaff): Promise<void> {
    await ex.insertInto('staff').values(row).execute();
  },

  async update(ex: Executor, id: string, patch: StaffUpdate): Promise<void> {
    await ex.updateTable('staff').set(patch).where('id', '=', id).execute();
  },

  async count(ex: Executor): Promise<number> {
    const r = await ex
      .selectFrom('staff')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async list(
    ex: Executor,
    filter: StaffFilter,
    page: PageRequest,
  ): Promise<{ rows: StaffListRow[]; total: number }> {
    let q = ex
      .selectFrom('staff')
      .leftJoin('region', 'region.code', 'staff.scope_region_code')
      .leftJoin('department', 'department.id', 'staff.scope_department_id');
    if (filter.q) {
      const like = likeContains(filter.q);
      q = q.where((eb) =>
        eb.or([eb('staff.username', 'ilike', like), eb('staff.display_name', 'ilike', like)]),
      );
    }
    if (filter.role) q = q.where('staff.role', '=', filter.role);
    if (filter.disabled !== undefined) q = q.where('staff.disabled', '=', filter.disabled);
    if (filter.scope) q = q.where(filter.scope);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('staff')
      .select([
        'region.name as region_name',
        'department.name as department_name',
        'department.region_code as department_region_code',
      ])
      .orderBy('staff.created_at')
      .orderBy('staff.username')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  /** Whether any account can administer the system (first-run detection in production). */
  async hasAdmin(ex: Executor): Promise<boolean> {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM staff WHERE role = 'admin'`.execute(ex);
    return (r.rows[0]?.n ?? 0) > 0;
  },
};
