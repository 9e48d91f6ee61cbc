import type { Expression, Insertable, SqlBool, Updateable } from 'kysely';
import { likeContains, offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { DepartmentRow, DepartmentTable } from '../schema.ts';

export interface DepartmentListRow extends DepartmentRow {
  region_name: string;
}

export const departmentRepository = {
  findById(ex: Executor, id: string): Promise<DepartmentRow | undefined> {
    return ex.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findByCode(ex: Executor, code: string): Promise<DepartmentRow | undefined> {
    return ex.selectFrom('department').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(ex: Executor, row: Insertable<DepartmentTable>): Promise<void> {
    await ex.insertInto('department').values(row).execute();
  },

  async update(ex: Executor, id: string, patch: Updateable<DepartmentTable>): Promise<void> {
    await ex.updateTable('department').set(patch).where('id', '=', id).execute();
  },

  async list(
    ex: Executor,
    filter: { q?: string | undefined; id?: string; scope?: Expression<SqlBool> | undefined },
    page: PageRequest,
  ): Promise<{ rows: DepartmentListRow[]; total: number }> {
    let q = ex.selectFrom('department').innerJoin('region', 'region.code', 'department.region_code');
    if (filter.q) {
      const like = likeContains(filter.q);
      q = q.where((eb) =>
        eb.or([eb('department.name', 'ilike', like), eb('department.code', 'ilike', like)]),
      );
    }
    if (filter.id) q = q.where('department.id', '=', filter.id);
    if (filter.scope) q = q.where(filter.scope);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('department')
      .select('region.name as region_name')
      .orderBy('department.code')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  async count(ex: Executor, where?: Expression<SqlBool>): Promise<number> {
    let q = ex.selectFrom('department').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
};
