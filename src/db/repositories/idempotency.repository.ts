import type { Executor } from '../executor.ts';

export interface IdempotencyRecord {
  request_hash: string;
  response: unknown;
}

/**
 * Idempotency keys (one per key and caller). Claiming relies on the unique constraint: a concurrent claim of the
 * same key waits for the first transaction and then finds the row, so no in-memory lock is needed.
 */
export const idempotencyRepository = {
  /** True when this call inserted the key (it is ours to fulfil), false when it already existed. */
  async claim(ex: Executor, key: string, scope: string, requestHash: string, at: Date): Promise<boolean> {
    const rows = await ex
      .insertInto('idempotency_key')
      .values({ key, scope, request_hash: requestHash, response: null, created_at: at })
      .onConflict((oc) => oc.columns(['key', 'scope']).doNothing())
      .returning('key')
      .execute();
    return rows.length === 1;
  },

  find(ex: Executor, key: string, scope: string): Promise<IdempotencyRecord | undefined> {
    return ex
      .selectFrom('idempotency_key')
      .select(['request_hash', 'response'])
      .where('key', '=', key)
      .where('scope', '=', scope)
      .executeTakeFirst();
  },

  async complete(ex: Executor, key: string, scope: string, response: unknown): Promise<void> {
    await ex
      .updateTable('idempotency_key')
      .set({ response: JSON.stringify(response) })
      .where('key', '=', key)
      .where('scope', '=', scope)
      .execute();
  },
};
