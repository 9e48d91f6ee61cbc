import { sql, type Insertable } from 'kysely';
import type { Executor } from '../executor.ts';
import type { ImportJobRow, ImportJobTable } from '../schema.ts';

export const importJobRepository = {
  async insert(ex: Executor, row: Insertable<ImportJobTable>): Promise<void> {
    await ex.insertInto('import_job').values(row).execute();
  },

  /** Replaces the stored view (and the status copied out of it). */
  async update(
    ex: Executor,
    id: string,
    patch: { status: ImportJobTable['status']; view: string; updatedAt: Date },
  ): Promise<void> {
    await ex
      .updateTable('import_job')
      .set({ status: patch.status, view: patch.view, updated_at: patch.updatedAt })
      .where('id', '=', id)
      .execute();
  },

  /** Only the progress inside the stored view: cheap enough for a running write (the report is not resent). */
  async updateProgress(ex: Executor, id: string, progress: number, at: Date): Promise<void> {
    await ex
      .updateTable('import_job')
      .set({
        view: sql<string>`jsonb_set(view, '{progress}', to_jsonb(${progress}::double precision))`,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  },

  findById(ex: Executor, id: string): Promise<ImportJobRow | undefined> {
    return ex.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Forgets jobs created before `before` that ended — done or failed, or silent since then (their process died).
   * Returns how many went.
   */
  async deleteFinishedBefore(ex: Executor, before: Date): Promise<number> {
    const r = await ex
      .deleteFrom('import_job')
      .where('created_at', '<', before)
      .where((eb) => eb.or([eb('status', 'in', ['done', 'failed']), eb('updated_at', '<', before)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
