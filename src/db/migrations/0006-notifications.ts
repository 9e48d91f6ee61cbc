import { sql, type Kysely } from 'kysely';

/**
 * Notifications (消息提醒) and outbound webhooks. `notification` is the in-app list of each staff member;
 * `webhook_endpoint` holds the receivers an administrator registered (the signing secret encrypted with the field
 * cipher); `webhook_delivery` is the outbox: rows are written in the same transaction as the case change they
 * report and sent afterwards by the delivery worker. `personal` holds the personal data a delivery carries (a
 * reporter's name and phone), encrypted like the case's own columns and cleared once the delivery is finished.
 * The last index serves duplicate detection (same category, nearby point): a bounding box on lat/lng.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notification (
      id            uuid PRIMARY KEY,
      recipient_id  uuid NOT NULL REFERENCES staff(id),
      kind          text NOT NULL CHECK (kind IN ('assignment', 'overdue', 'reply', 'supervise', 'merged')),
      case_id       uuid REFERENCES "case"(id),
      title         text NOT NULL,
      body          text NOT NULL DEFAULT '',
      data          jsonb NOT NULL DEFAULT '{}',
      created_at    timestamptz NOT NULL,
      read_at       timestamptz
    );
    CREATE INDEX notification_recipient_idx ON notification (recipient_id, created_at DESC, id DESC);
    CREATE INDEX notification_unread_idx ON notification (recipient_id) WHERE read_at IS NULL;

    CREATE TABLE webhook_endpoint (
      id          uuid PRIMARY KEY,
      name        text NOT NULL,
      url         text NOT NULL,
      secret      text NOT NULL,
      events      text[] NOT NULL,
      active      boolean NOT NULL DEFAULT true,
      created_at  timestamptz NOT NULL,
      updated_at  timestamptz NOT NULL
    );

    CREATE TABLE webhook_delivery (
      id               uuid PRIMARY KEY,
      endpoint_id      uuid NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
      event            text NOT NULL,
      payload          jsonb NOT NULL,
      personal         text,
      attempts         integer NOT NULL DEFAULT 0,
      next_attempt_at  timestamptz,
      delivered_at     timestamptz,
      failed_at        timestamptz,
      last_status      integer,
      last_error       text,
      created_at       timestamptz NOT NULL
    );
    CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at)
      WHERE delivered_at IS NULL AND failed_at IS NULL;
    CREATE INDEX webhook_delivery_endpoint_idx ON webhook_delivery (endpoint_id, created_at DESC);

    CREATE INDEX case_category_point_idx ON "case" (category_code, lat, lng);
  `.execute(db);
}
