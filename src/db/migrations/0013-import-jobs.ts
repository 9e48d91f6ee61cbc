import { sql, type Kysely } from 'kysely';

/**
 * Spatial import jobs, so that any server process can answer for a job another one runs (several workers share
 * one port). `view` holds the whole job as the API shows it (status, progress, report); `status` and
 * `updated_at` are copied out for the reader's "interrupted" rule and for pruning. `owner_id` names the staff
 * member who started the job but has no foreign key: the CLI acts as a fixed system identity that is not a
 * staff row (like `audit_log.actor_id`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE import_job (
      id          uuid PRIMARY KEY,
      owner_id    uuid NOT NULL,
      kind        text NOT NULL,
      status      text NOT NULL CHECK (status IN ('queued', 'validating', 'writing', 'done', 'failed')),
      view        jsonb NOT NULL,
      created_at  timestamptz NOT NULL,
      updated_at  timestamptz NOT NULL
    );
    CREATE INDEX import_job_created_idx ON import_job (created_at);
  `.execute(db);
}
