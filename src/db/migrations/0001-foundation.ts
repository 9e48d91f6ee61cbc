import { sql, type Kysely } from 'kysely';

/** Regions, grids, departments, staff, sessions, API tokens, the admin audit trail and settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE region (
      code          char(12) PRIMARY KEY,
      name          text NOT NULL,
      name_en       text,
      level         text NOT NULL CHECK (level IN ('province','city','district','street','community')),
      parent_code   char(12) REFERENCES region(code),
      geometry      jsonb,
      min_lng double precision, min_lat double precision, max_lng double precision, max_lat double precision,
      created_at    timestamptz NOT NULL,
      updated_at    timestamptz NOT NULL
    );
    CREATE INDEX region_parent_idx ON region (parent_code);

    CREATE TABLE grid (
      code            varchar(15) PRIMARY KEY,
      community_code  char(12) NOT NULL REFERENCES region(code),
      name            text NOT NULL,
      geometry        jsonb NOT NULL,
      area_m2         double precision NOT NULL,
      min_lng double precision NOT NULL, min_lat double precision NOT NULL,
      max_lng double precision NOT NULL, max_lat double precision NOT NULL,
      created_at      timestamptz NOT NULL
    );
    CREATE INDEX grid_community_idx ON grid (community_code);

    CREATE TABLE department (
      id            uuid PRIMARY KEY,
      code          varchar(32) NOT NULL UNIQUE,
      name          text NOT NULL,
      name_en       text,
      region_code   char(12) NOT NULL REFERENCES region(code),
      disabled      boolean NOT NULL DEFAULT false,
      created_at    timestamptz NOT NULL,
      updated_at    timestamptz NOT NULL
    );

    CREATE TABLE staff (
      id                  uuid PRIMARY KEY,
      username            varchar(64) NOT NULL UNIQUE,
      display_name        text NOT NULL,
      password_hash       text NOT NULL,
      role                text NOT NULL,
      scope_region_code   char(12) REFERENCES region(code),
      scope_department_id uuid REFERENCES department(id),
      phone               varchar(32),
      disabled            boolean NOT NULL DEFAULT false,
      failed_logins       integer NOT NULL DEFAULT 0,
      locked_until        timestamptz,
      must_change_password boolean NOT NULL DEFAULT false,
      created_at          timestamptz NOT NULL,
      updated_at          timestamptz NOT NULL
    );

    CREATE TABLE session (
      id_hash       char(64) PRIMARY KEY,
      staff_id      uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
      csrf_token    char(64) NOT NULL,
      created_at    timestamptz NOT NULL,
      expires_at    timestamptz NOT NULL,
      ip            text,
      user_agent    text
    );
    CREATE INDEX session_staff_idx ON session (staff_id);

    CREATE TABLE api_token (
      id            uuid PRIMARY KEY,
      name          text NOT NULL,
      prefix        varchar(16) NOT NULL,
      token_hash    char(64) NOT NULL UNIQUE,
      staff_id      uuid NOT NULL REFERENCES staff(id),
      permissions   text[] NOT NULL,
      expires_at    timestamptz NOT NULL,
      revoked_at    timestamptz,
      last_used_at  timestamptz,
      created_by    uuid NOT NULL REFERENCES staff(id),
      created_at    timestamptz NOT NULL
    );

    CREATE TABLE audit_log (
      id            bigserial PRIMARY KEY,
      at            timestamptz NOT NULL,
      actor_id      uuid,
      actor_name    text,
      action        text NOT NULL,
      target_type   text NOT NULL,
      target_id     text,
      details       jsonb NOT NULL DEFAULT '{}'::jsonb,
      ip            text
    );
    CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

    CREATE TABLE app_setting (
      key           text PRIMARY KEY,
      value         jsonb NOT NULL,
      updated_at    timestamptz NOT NULL
    );

  `.execute(db);
}
