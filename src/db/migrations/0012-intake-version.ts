import { sql, type Kysely } from 'kysely';

/**
 * One version number for everything a new case is filed under — the category catalogue, the work calendar, the
 * responsibility list (责任清单) and the departments it names — bumped by triggers on every write, whoever makes it
 * (a service, an import, another server process, a SQL console). Intake keeps all of it in memory and its statement
 * compares this number (one indexed row), so a change applies to the very next case without intake reading any of
 * it per case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    INSERT INTO app_setting (key, value, updated_at) VALUES ('intake.version', '0', now())
    ON CONFLICT (key) DO NOTHING;

    CREATE FUNCTION bump_intake_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE app_setting
        SET value = to_jsonb(coalesce((value #>> '{}')::bigint, 0) + 1), updated_at = now()
        WHERE key = 'intake.version';
      RETURN NULL;
    END
    $$;

    CREATE TRIGGER category_version_intake_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_version
      FOR EACH STATEMENT EXECUTE FUNCTION bump_intake_version();
    CREATE TRIGGER category_intake_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category
      FOR EACH STATEMENT EXECUTE FUNCTION bump_intake_version();
    CREATE TRIGGER calendar_year_intake_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_year
      FOR EACH STATEMENT EXECUTE FUNCTION bump_intake_version();
    CREATE TRIGGER responsibility_rule_intake_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responsibility_rule
      FOR EACH STATEMENT EXECUTE FUNCTION bump_intake_version();
    CREATE TRIGGER department_intake_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON department
      FOR EACH STATEMENT EXECUTE FUNCTION bump_intake_version();
  `.execute(db);
}
