import { sql, type Expression, type Insertable, type SqlBool } from 'kysely';
import type { Executor } from '../executor.ts';
import type { RegionRow, RegionTable } from '../schema.ts';

export interface RegionWithChildCount extends RegionRow {
  child_count: number;
}

export const regionRepository = {
  findByCode(ex: Executor, code: string): Promise<RegionRow | undefined> {
    return ex.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(ex: Executor, row: Insertable<RegionTable>): Promise<void> {
    await ex.insertInto('region').values(row).execute();
  },

  /** Inserts rows that do not exist yet; returns how many were new. */
  async insertMissing(ex: Executor, rows: Insertable<RegionTable>[]): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await ex
      .insertInto('region')
      .values(rows)
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  },

  /** Children of `parentCode` (or the regions matching `where` when no parent is given), with child counts. */
  listChildren(
    ex: Executor,
    parentCode: string | null,
    where?: Expression<SqlBool>,
  ): Promise<RegionWithChildCount[]> {
    let q = ex
      .selectFrom('region as r')
      .selectAll('r')
      .select(
        sql<number>`(SELECT count(*)::int FROM region c WHERE c.parent_code = r.code)`.as('child_count'),
      );
    if (parentCode) q = q.where('r.parent_code', '=', parentCode);
    if (where) q = q.where(where);
    return q.orderBy('r.code').execute();
  },

  async count(ex: Executor, where?: Expression<SqlBool>): Promise<number> {
    let q = ex.selectFrom('region').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
};
