import { sql } from 'kysely';
import type { Executor } from '../executor.ts';

/** A window's count and when its latest request was counted. */
export interface RateCount {
  count: number;
  lastAt: Date;
}

export interface RateWindowKey {
  bucket: string;
  key: string;
  windowStart: Date;
}

export const rateCounterRepository = {
  /** Counts one request in its window, atomically (concurrent processes never lose a count); the new count. */
  async increment(ex: Executor, w: RateWindowKey & { windowEnd: Date; at: Date }): Promise<RateCount> {
    const r = await sql<{ count: number; last_at: Date }>`
      INSERT INTO rate_counter (bucket, key, window_start, window_end, count, last_at)
      VALUES (${w.bucket}, ${w.key}, ${w.windowStart}, ${w.windowEnd}, 1, ${w.at})
      ON CONFLICT (bucket, key, window_start)
      DO UPDATE SET count = rate_counter.count + 1, last_at = GREATEST(rate_counter.last_at, EXCLUDED.last_at)
      RETURNING count, last_at
    `.execute(ex);
    const row = r.rows[0]!;
    return { count: row.count, lastAt: new Date(row.last_at) };
  },

  async find(ex: Executor, w: RateWindowKey): Promise<RateCount | null> {
    const row = await ex
      .selectFrom('rate_counter')
      .select(['count', 'last_at'])
      .where('bucket', '=', w.bucket)
      .where('key', '=', w.key)
      .where('window_start', '=', w.windowStart)
      .executeTakeFirst();
    return row ? { count: row.count, lastAt: row.last_at } : null;
  },

  /** Forgets every window of one key (e.g. a sign-in's failures once the right password is given). */
  async deleteKey(ex: Executor, bucket: string, key: string): Promise<void> {
    await ex.deleteFrom('rate_counter').where('bucket', '=', bucket).where('key', '=', key).execute();
  },

  /** Deletes up to `limit` windows that ended at or before `now`; how many. */
  async deleteEnded(ex: Executor, now: Date, limit: number): Promise<number> {
    const r = await sql`
      DELETE FROM rate_counter WHERE (bucket, key, window_start) IN (
        SELECT bucket, key, window_start FROM rate_counter WHERE window_end <= ${now}
        ORDER BY window_end LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    `.execute(ex);
    return Number(r.numAffectedRows ?? 0);
  },
};
