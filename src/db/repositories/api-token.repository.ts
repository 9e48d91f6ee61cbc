import { CompiledQuery, type Expression, type Insertable, type SqlBool } from 'kysely';
import type { Executor } from '../executor.ts';
import { PREPARE } from '../prepared.ts';
import type { ApiTokenRow, ApiTokenTable, StaffRow } from '../schema.ts';

export interface ApiTokenListRow extends ApiTokenRow {
  staff_name: string;
  staff_region_code: string | null;
  staff_department_id: string | null;
}

/** What acting for a token's owner needs of the staff row. */
export type TokenOwner = Pick<
  StaffRow,
  'id' | 'username' | 'display_name' | 'role' | 'scope_region_code' | 'scope_department_id' | 'disabled'
>;

/** What deciding whether a token is usable needs. */
export type TokenState = Pick<
  ApiTokenRow,
  'id' | 'permissions' | 'expires_at' | 'revoked_at' | 'last_used_at'
>;

interface TokenColumns {
  token_hash: string;
  token_id: string;
  token_permissions: string[];
  token_expires_at: Date;
  token_revoked_at: Date | null;
  token_last_used_at: Date | null;
}

export const apiTokenRepository = {
  async insert(ex: Executor, row: Insertable<ApiTokenTable>): Promise<void> {
    await ex.insertInto('api_token').values(row).execute();
  },

  findByHash(ex: Executor, hash: string): Promise<ApiTokenRow | undefined> {
    return ex.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  },

  /**
   * Tokens with their owners' staff rows, by token hash, in one read planned once per connection (every API
   * request with a token resolves one; those that arrive together are read together).
   */
  async findByHashesWithOwner(
    ex: Executor,
    hashes: readonly string[],
  ): Promise<Map<string, { token: TokenState; staff: TokenOwner }>> {
    // Named columns, never s.*: a prepared statement's result may not change shape when a column is added.
    const r = await ex.executeQuery<TokenOwner & TokenColumns>(
      CompiledQuery.raw(
        `${PREPARE} SELECT s.id, s.username, s.display_name, s.role, s.scope_region_code, s.scope_department_id,
           s.disabled, t.token_hash, t.id AS token_id, t.permissions AS token_permissions,
           t.expires_at AS token_expires_at, t.revoked_at AS token_revoked_at, t.last_used_at AS token_last_used_at
         FROM api_token t JOIN staff s ON s.id = t.staff_id WHERE t.token_hash = ANY($1::text[])`,
        [hashes],
      ),
    );
    const found = new Map<string, { token: TokenState; staff: TokenOwner }>();
    for (const row of r.rows) {
      const {
        token_hash,
        token_id,
        token_permissions,
        token_expires_at,
        token_revoked_at,
        token_last_used_at,
        ...staff
      } = row;
      found.set(token_hash, {
        token: {
          id: token_id,
          permissions: token_permissions,
          expires_at: token_expires_at,
          revoked_at: token_revoked_at,
          last_used_at: token_last_used_at,
        },
        staff,
      });
    }
    return found;
  },

  findById(ex: Executor, id: string): Promise<ApiTokenRow | undefined> {
    return ex.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Tokens with their owners' names, newest first: those of the given owners, or of the owners a scope condition
   * (built by the scope guard over `staff` and `department`) admits.
   */
  list(
    ex: Executor,
    owners: { staffIds: string[] } | { scope: Expression<SqlBool> },
  ): Promise<ApiTokenListRow[]> {
    let q = ex
      .selectFrom('api_token')
      .innerJoin('staff', 'staff.id', 'api_token.staff_id')
      .leftJoin('department', 'department.id', 'staff.scope_department_id')
      .selectAll('api_token')
      .select([
        'staff.display_name as staff_name',
        'staff.scope_region_code as staff_region_code',
        'staff.scope_department_id as staff_department_id',
      ])
      .orderBy('api_token.created_at', 'desc');
    if ('staffIds' in owners) {
      if (owners.staffIds.length === 0) return Promise.resolve([]);
      q = q.where('api_token.staff_id', 'in', owners.staffIds);
    } else {
      q = q.where(owners.scope);
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
