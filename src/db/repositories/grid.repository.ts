import type { Expression, Insertable, SqlBool } from 'kysely';
import type { Executor } from '../executor.ts';
import type { GridTable } from '../schema.ts';

export const gridRepository = {
  /** Inserts grids that do not exist yet (by code); returns how many were new. */
  async insertMissing(ex: Executor, rows: Insertable<GridTable>[]): Promise<number> {
    let inserted = 0;
    // Batches keep each statement well under PostgreSQL's 65,535 bind-parameter limit.
    for (let i = 0; i < rows.length; i += 500) {
      const r = await ex
        .insertInto('grid')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  },

  async count(ex: Executor, where?: Expression<SqlBool>): Promise<number> {
    let q = ex.selectFrom('grid').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
};
