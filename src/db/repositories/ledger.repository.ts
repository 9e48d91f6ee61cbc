import type { LedgerEntry } from '../../domain/ledger/ledger-facts.ts';
import type { Executor } from '../executor.ts';

/** Rows per multi-row INSERT (well below the bind-parameter limit). */
const BATCH = 500;

/** The one writer of `ledger_entry`. Append-only: there is no update or delete. */
export const ledgerRepository = {
  async append(ex: Executor, entries: readonly LedgerEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      await ex
        .insertInto('ledger_entry')
        .values(
          entries.slice(i, i + BATCH).map((e) => ({
            at: e.at,
            kind: e.kind,
            subject_type: e.subjectType,
            subject_id: e.subjectId,
            payload: JSON.stringify(e.payload),
          })),
        )
        .execute();
    }
  },

  /**
   * The ledger's part of a set-based statement (the intake files many cases in one): an INSERT taking its rows from
   * `select`, which must yield (at, kind, subject_type, subject_id, payload) in that order.
   */
  insertFrom(select: string): string {
    return `INSERT INTO ledger_entry (at, kind, subject_type, subject_id, payload) ${select}`;
  },
};
