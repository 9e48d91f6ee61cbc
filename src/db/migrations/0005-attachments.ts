import { sql, type Kysely } from 'kysely';

/**
 * Photos (attachments) of cases, and the citizen's tracking token. The image bytes live in the database (`bytea`)
 * so that they share its durability, backups and replication: nothing else to back up or mount. An upload starts
 * unlinked (`case_id` null) and is linked once, either to a new case as a report photo or to a workflow event as
 * evidence. `case.tracking_token_hash` holds only the SHA-256 of the token a citizen receives at intake.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE attachment (
      id             uuid PRIMARY KEY,
      case_id        uuid REFERENCES "case"(id),
      case_event_id  bigint REFERENCES case_event(id),
      purpose        text CHECK (purpose IN ('report', 'evidence')),
      content_type   text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
      byte_size      integer NOT NULL CHECK (byte_size > 0),
      sha256         char(64) NOT NULL,
      width          integer,
      height         integer,
      data           bytea NOT NULL,
      uploaded_by    uuid REFERENCES staff(id),
      public_upload  boolean NOT NULL,
      created_at     timestamptz NOT NULL,
      CHECK ((case_id IS NULL) = (purpose IS NULL)),
      CHECK (public_upload = (uploaded_by IS NULL))
    );
    CREATE INDEX attachment_case_idx ON attachment (case_id, created_at) WHERE case_id IS NOT NULL;
    CREATE INDEX attachment_unlinked_idx ON attachment (created_at) WHERE case_id IS NULL;

    ALTER TABLE "case" ADD COLUMN tracking_token_hash char(64);
    CREATE UNIQUE INDEX case_tracking_token_idx ON "case" (tracking_token_hash)
      WHERE tracking_token_hash IS NOT NULL;
  `.execute(db);
}
