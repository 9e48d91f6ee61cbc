import { sql, type Kysely } from 'kysely';
import { categorySeed, defaultTimeLimits } from '../seed/category-catalogue.ts';
import { cnHolidayYears } from '../seed/cn-holidays.ts';

/**
 * Cases (案件) and what they need: the versioned category catalogue, the work calendar, the responsibility list
 * (责任清单), the timeline, departments' tasks, idempotency keys and the append-only ledger. The default catalogue
 * (version 1) and the 2024–2026 calendars are seeded here so that every mode — production included — starts
 * with them. Citus note: `case` and its child tables carry `district_code` as the distribution-key candidate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE category_version (
      version       integer PRIMARY KEY,
      effective_at  timestamptz NOT NULL,
      note          text NOT NULL DEFAULT '',
      defaults      jsonb NOT NULL
    );

    CREATE TABLE category (
      version               integer NOT NULL REFERENCES category_version(version),
      code                  varchar(16) NOT NULL,
      kind                  text NOT NULL CHECK (kind IN ('component', 'event', 'hotline')),
      parent_code           varchar(16),
      level                 text NOT NULL CHECK (level IN ('major', 'minor', 'item')),
      segment               char(2) NOT NULL,
      name                  text NOT NULL,
      name_en               text,
      dispatch_rule         text NOT NULL CHECK (dispatch_rule IN ('owner_first', 'territory_first')),
      requires_verification boolean NOT NULL,
      time_limits           jsonb NOT NULL,
      department_hint       text[] NOT NULL DEFAULT '{}',
      active                boolean NOT NULL DEFAULT true,
      detail                jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (version, code)
    );

    CREATE TABLE calendar_year (
      year             integer PRIMARY KEY,
      holidays         date[] NOT NULL,
      makeup_workdays  date[] NOT NULL,
      updated_at       timestamptz NOT NULL
    );

    CREATE TABLE responsibility_rule (
      id             uuid PRIMARY KEY,
      category_code  varchar(16) NOT NULL DEFAULT '',
      region_code    varchar(12) NOT NULL DEFAULT '',
      department_id  uuid NOT NULL REFERENCES department(id),
      priority       integer NOT NULL DEFAULT 0,
      created_at     timestamptz NOT NULL
    );

    CREATE TABLE case_code_counter (
      day   char(8) PRIMARY KEY,
      last  integer NOT NULL
    );

    CREATE TABLE "case" (
      id                  uuid PRIMARY KEY,
      code                varchar(16) NOT NULL UNIQUE,
      state               text NOT NULL,
      version             integer NOT NULL,
      category_code       varchar(16) NOT NULL,
      category_version    integer NOT NULL REFERENCES category_version(version),
      urgency             text NOT NULL,
      title               text NOT NULL,
      description         text NOT NULL,
      channel             text NOT NULL,
      lng                 double precision NOT NULL,
      lat                 double precision NOT NULL,
      address             text,
      grid_code           varchar(15),
      community_code      char(12),
      street_code         char(12),
      district_code       char(12),
      region_code         char(12) NOT NULL,
      reporter_name       text,
      reporter_phone      text,
      reporter_role       text,
      suggested_department_id uuid REFERENCES department(id),
      stage               text,
      stage_started_at    timestamptz,
      stage_deadline      timestamptz,
      stage_warn_at       timestamptz,
      stage_time_kind     text,
      suspended_at        timestamptz,
      replied_at          timestamptz,
      reply_satisfaction  text,
      reply_resolved      boolean,
      duplicate_of        uuid REFERENCES "case"(id),
      created_by          uuid REFERENCES staff(id),
      created_at          timestamptz NOT NULL,
      updated_at          timestamptz NOT NULL,
      closed_at           timestamptz
    );
    CREATE INDEX case_region_idx ON "case" (region_code, state);
    CREATE INDEX case_state_idx ON "case" (state, stage_deadline);
    CREATE INDEX case_created_idx ON "case" (created_at DESC);

    CREATE TABLE case_event (
      id          bigserial PRIMARY KEY,
      case_id     uuid NOT NULL REFERENCES "case"(id),
      at          timestamptz NOT NULL,
      actor_id    uuid,
      actor_name  text,
      role        text,
      event       text NOT NULL,
      from_state  text,
      to_state    text NOT NULL,
      comment     text,
      payload     jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX case_event_case_idx ON case_event (case_id, id);

    CREATE TABLE case_task (
      case_id        uuid NOT NULL REFERENCES "case"(id),
      department_id  uuid NOT NULL REFERENCES department(id),
      state          text NOT NULL,
      lead           boolean NOT NULL DEFAULT false,
      created_at     timestamptz NOT NULL,
      updated_at     timestamptz NOT NULL,
      PRIMARY KEY (case_id, department_id)
    );
    CREATE INDEX case_task_department_idx ON case_task (department_id, case_id);

    CREATE TABLE idempotency_key (
      key           varchar(200) NOT NULL,
      scope         text NOT NULL,
      request_hash  char(64) NOT NULL,
      response      jsonb,
      created_at    timestamptz NOT NULL,
      UNIQUE (key, scope)
    );

    CREATE TABLE ledger_entry (
      id            bigserial PRIMARY KEY,
      at            timestamptz NOT NULL,
      kind          text NOT NULL,
      subject_type  text NOT NULL,
      subject_id    text NOT NULL,
      payload       jsonb NOT NULL
    );
  `.execute(db);

  await sql`
    INSERT INTO category_version (version, effective_at, note, defaults)
    VALUES (1, '2024-01-01T00:00:00Z', 'default catalogue', ${JSON.stringify(defaultTimeLimits)}::jsonb)
    ON CONFLICT (version) DO NOTHING
  `.execute(db);
  for (let i = 0; i < categorySeed.length; i += 200) {
    const rows = categorySeed.slice(i, i + 200).map((c) => {
      const detail = {
        aliases: c.aliases,
        gbCode: c.gbCode,
        fileCondition: c.fileCondition,
        closeCondition: c.closeCondition,
        sourceLimits: c.sourceLimits,
        codeOrigin: c.codeOrigin,
        sources: c.sources,
      };
      return sql`(1, ${c.code}, ${c.kind}, ${c.parentCode}, ${c.level}, ${c.segment}, ${c.nameZh}, ${c.nameEn},
        ${c.dispatchRule}, ${c.requiresVerification}, ${JSON.stringify(c.timeLimits)}::jsonb,
        ${c.departmentHints as string[]}::text[], ${c.active}, ${JSON.stringify(detail)}::jsonb)`;
    });
    await sql`
      INSERT INTO category (version, code, kind, parent_code, level, segment, name, name_en, dispatch_rule,
        requires_verification, time_limits, department_hint, active, detail)
      VALUES ${sql.join(rows)}
      ON CONFLICT (version, code) DO NOTHING
    `.execute(db);
  }
  for (const y of cnHolidayYears) {
    await sql`
      INSERT INTO calendar_year (year, holidays, makeup_workdays, updated_at)
      VALUES (${y.year}, ${y.holidays as string[]}::date[], ${y.makeupWorkdays as string[]}::date[], now())
      ON CONFLICT (year) DO NOTHING
    `.execute(db);
  }
}
