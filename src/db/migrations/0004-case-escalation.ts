import { sql, type Kysely } from 'kysely';

/**
 * Escalations (超时督办) written by the case scheduler: one row per case per stage run that passed its deadline.
 * The unique key is what makes escalation exactly-once when several server processes share one database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_escalation (
      id                bigserial PRIMARY KEY,
      case_id           uuid NOT NULL REFERENCES "case"(id),
      stage             text NOT NULL,
      stage_started_at  timestamptz NOT NULL,
      stage_deadline    timestamptz NOT NULL,
      escalated_at      timestamptz NOT NULL,
      notified          jsonb NOT NULL DEFAULT '[]',
      UNIQUE (case_id, stage, stage_started_at)
    );
    CREATE INDEX case_escalation_at_idx ON case_escalation (escalated_at DESC);
  `.execute(db);
}
