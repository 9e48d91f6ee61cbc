import type { Executor } from '../executor.ts';
import type { SessionTable } from '../schema.ts';
import type { Insertable, Selectable } from 'kysely';

export const sessionRepository = {
  async insert(ex: Executor, row: Insertable<SessionTable>): Promise<void> {
    await ex.insertInto('session').values(row).execute();
  },

  findValid(ex: Executor, idHash: string, now: Date): Promise<Selectable<SessionTable> | undefined> {
    return ex
      .selectFrom('session')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  },

  async delete(ex: Executor, idHash: string): Promise<void> {
    await ex.deleteFrom('session').where('id_hash', '=', idHash).execute();
  },

  async deleteForStaff(ex: Executor, staffId: string): Promise<void> {
    await ex.deleteFrom('session').where('staff_id', '=', staffId).execute();
  },

  /** Ends every session of a staff member but one (the one that changed the password stays signed in). */
  async deleteOthersForStaff(ex: Executor, staffId: string, keepIdHash: string | null): Promise<void> {
    let q = ex.deleteFrom('session').where('staff_id', '=', staffId);
    if (keepIdHash) q = q.where('id_hash', '<>', keepIdHash);
    await q.execute();
  },

  async deleteExpired(ex: Executor, now: Date): Promise<number> {
    const r = await ex.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
