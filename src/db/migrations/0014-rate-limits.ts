import { sql, type Kysely } from 'kysely';

/**
 * Request counters of every rate limit (sign-in, public tracking, public endpoints, sensors), kept in the
 * database so that a limit holds across server processes and restarts. One row per bucket (what is limited),
 * key (who: an address, an address and a case code, a device) and fixed window; `window_end` is what pruning
 * reads, `last_at` is the latest counted request (sign-in throttling waits from it).
 *
 * Accounts are no longer locked after failed sign-ins (a stranger could lock anyone out): the columns stay for
 * now, cleared here so that no old lock lingers in the user list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rate_counter (
      bucket        text NOT NULL,
      key           text NOT NULL,
      window_start  timestamptz NOT NULL,
      window_end    timestamptz NOT NULL,
      count         integer NOT NULL,
      last_at       timestamptz NOT NULL,
      PRIMARY KEY (bucket, key, window_start)
    );
    CREATE INDEX rate_counter_window_end_idx ON rate_counter (window_end);
    UPDATE staff SET locked_until = NULL, failed_logins = 0 WHERE locked_until IS NOT NULL OR failed_logins <> 0;
  `.execute(db);
}
