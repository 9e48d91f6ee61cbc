import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../executor.ts';
import type { AttachmentTable } from '../schema.ts';

/** An attachment without its bytes. */
export type AttachmentMeta = Omit<Selectable<AttachmentTable>, 'data'>;

const metaColumns = [
  'id',
  'case_id',
  'case_event_id',
  'purpose',
  'content_type',
  'byte_size',
  'sha256',
  'width',
  'height',
  'uploaded_by',
  'public_upload',
  'created_at',
] as const;

/** Photos of cases: uploads (unlinked until used), their bytes, and linking them to a case and an event. */
export const attachmentRepository = {
  /**
   * Deletes up to `limit` uploads never linked to a case or event and made before `before`, oldest first; rows being
   * linked right now (locked by `findForLink`) are skipped. Returns how many were deleted.
   */
  async deleteUnlinkedBefore(ex: Executor, before: Date, limit: number): Promise<number> {
    const r = await sql`
      DELETE FROM attachment WHERE id IN (
        SELECT id FROM attachment WHERE case_id IS NULL AND created_at < ${before}
        ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    `.execute(ex);
    return Number(r.numAffectedRows ?? 0);
  },

  async insert(ex: Executor, row: Insertable<AttachmentTable>): Promise<void> {
    await ex.insertInto('attachment').values(row).execute();
  },

  findMeta(ex: Executor, id: string): Promise<AttachmentMeta | undefined> {
    return ex.selectFrom('attachment').select(metaColumns).where('id', '=', id).executeTakeFirst();
  },

  findWithData(ex: Executor, id: string): Promise<Selectable<AttachmentTable> | undefined> {
    return ex.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Locks the rows until the transaction ends, so that two requests cannot link one upload twice. */
  findForLink(ex: Executor, ids: readonly string[]): Promise<AttachmentMeta[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('attachment')
      .select(metaColumns)
      .where('id', 'in', [...ids])
      .forUpdate()
      .execute();
  },

  listByCase(ex: Executor, caseId: string): Promise<AttachmentMeta[]> {
    return ex
      .selectFrom('attachment')
      .select(metaColumns)
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  /** Links the still-unlinked uploads among `ids` to the case; already linked ones keep their purpose. */
  async link(
    ex: Executor,
    ids: readonly string[],
    link: { caseId: string; purpose: 'report' | 'evidence'; eventId: string | number | null },
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await ex
      .updateTable('attachment')
      .set({ case_id: link.caseId, purpose: link.purpose, case_event_id: link.eventId })
      .where('id', 'in', [...ids])
      .where('case_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
