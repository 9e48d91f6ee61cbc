import type { Insertable } from 'kysely';
import type { Executor } from '../executor.ts';
import type { ApiTokenRow, ApiTokenTable } from '../schema.ts';

export interface ApiTokenListRow extends ApiTokenRow {
  staff_name: string;
  staff_region_code: string | null;
  staff_department_id: string | null;
}

export const apiTokenRepository = {
  async insert(ex: Executor, row: Insertable<ApiTokenTable>): Promise<void> {
    await ex.insertInto('api_token').values(row).execute();
  },

  findByHash(ex: Executor, hash: string): Promise<ApiTokenRow | undefined> {
    return ex.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  },

  findById(ex: Executor, id: string): Promise<ApiTokenRow | undefined> {
    return ex.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  },

  list(ex: Executor, staffIds: 'all' | string[]): Promise<ApiTokenListRow[]> {
    let q = ex
      .selectFrom('api_token')
      .innerJoin('staff', 'staff.id', 'api_token.staff_id')
      .selectAll('api_token')
      .select([
        'staff.display_name as staff_name',
        'staff.scope_region_code as staff_region_code',
        'staff.scope_department_id as staff_department_id',
      ])
      .orderBy('api_token.created_at', 'desc');
    if (staffIds !== 'all') {
      if (staffIds.length === 0) return Promise.resolve([]);
      q = q.where('api_token.staff_id', 'in', staffIds);
    }
    return q.execute();
  },

  async revoke(ex: Executor, id: string, at: Date): Promise<void> {
    await ex.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).execute();
  },

  async touch(ex: Executor, id: string, at: Date): Promise<void> {
    await ex.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
  },
};
