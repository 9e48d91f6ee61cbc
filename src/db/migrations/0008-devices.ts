import { sql, type Kysely } from 'kysely';

/**
 * Sensors (感知设备) that report alarms as cases, and the alarms they sent. A device authenticates with its own
 * token: only a SHA-256 of it is stored, plus a short prefix to find the row and to show in the UI. An alarm row is
 * written in the same transaction as the case it created; (device, alarm id) is unique, like the idempotency key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE device (
      id                uuid PRIMARY KEY,
      code              varchar(32) NOT NULL UNIQUE,
      name              text NOT NULL,
      kind              text NOT NULL
                        CHECK (kind IN ('manhole_cover', 'water_level', 'smoke', 'waterlogging', 'garbage_overflow')),
      region_code       char(12) NOT NULL,
      grid_code         varchar(15),
      lng               double precision NOT NULL,
      lat               double precision NOT NULL,
      category_code     varchar(16) NOT NULL,
      urgency           text NOT NULL,
      token_hash        char(64) NOT NULL UNIQUE,
      token_prefix      varchar(16) NOT NULL,
      disabled          boolean NOT NULL DEFAULT false,
      created_at        timestamptz NOT NULL,
      updated_at        timestamptz NOT NULL,
      token_rotated_at  timestamptz,
      last_seen_at      timestamptz
    );
    CREATE INDEX device_token_prefix_idx ON device (token_prefix);
    CREATE INDEX device_region_idx ON device (region_code);

    CREATE TABLE device_alarm (
      device_id    uuid NOT NULL REFERENCES device(id),
      alarm_id     varchar(100) NOT NULL,
      case_id      uuid NOT NULL REFERENCES "case"(id),
      observed_at  timestamptz NOT NULL,
      readings     jsonb NOT NULL DEFAULT '{}',
      received_at  timestamptz NOT NULL,
      PRIMARY KEY (device_id, alarm_id)
    );
    CREATE INDEX device_alarm_case_idx ON device_alarm (case_id);
  `.execute(db);
}
