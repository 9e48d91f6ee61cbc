import { sql, type Kysely } from 'kysely';

/**
 * Extra polygon layers ("三网叠加": responsibility zones 责任区, supervision units 监督单元), grid ↔ grid-worker
 * assignments, legacy grid codes, and a spatial version counter that every spatial change bumps in its own
 * transaction so that each server process can tell when to rebuild its in-memory index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE grid ADD COLUMN legacy_code varchar(14);

    CREATE TABLE layer (
      id          uuid PRIMARY KEY,
      kind        text NOT NULL CHECK (kind IN ('responsibility_zone', 'supervision_unit', 'other')),
      code        varchar(32) NOT NULL UNIQUE,
      name        text NOT NULL,
      name_en     text,
      created_at  timestamptz NOT NULL,
      updated_at  timestamptz NOT NULL
    );

    CREATE TABLE layer_feature (
      id            uuid PRIMARY KEY,
      layer_id      uuid NOT NULL REFERENCES layer(id) ON DELETE CASCADE,
      code          varchar(64) NOT NULL,
      name          text NOT NULL,
      region_code   char(12) REFERENCES region(code),
      department_id uuid REFERENCES department(id),
      unit_name     text,
      geometry      jsonb NOT NULL,
      area_m2       double precision NOT NULL,
      min_lng double precision NOT NULL, min_lat double precision NOT NULL,
      max_lng double precision NOT NULL, max_lat double precision NOT NULL,
      created_at    timestamptz NOT NULL,
      UNIQUE (layer_id, code)
    );
    CREATE INDEX layer_feature_layer_idx ON layer_feature (layer_id);

    CREATE TABLE grid_assignment (
      grid_code   varchar(15) NOT NULL REFERENCES grid(code) ON DELETE CASCADE,
      staff_id    uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
      created_at  timestamptz NOT NULL,
      PRIMARY KEY (grid_code, staff_id)
    );
    CREATE INDEX grid_assignment_staff_idx ON grid_assignment (staff_id);

    INSERT INTO app_setting (key, value, updated_at) VALUES ('spatial.version', '1'::jsonb, now())
      ON CONFLICT (key) DO NOTHING;
  `.execute(db);
}
