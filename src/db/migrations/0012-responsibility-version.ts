import { sql, type Kysely } from 'kysely';

/**
 * A version number for what a new case's suggested department depends on — the responsibility list (责任清单)
 * and the departments it names — bumped by triggers on every write, whoever makes it (a service, an import,
 * another server process, a SQL console). Intake keeps the list in memory and its statement checks the number,
 * so a change applies to the very next case without intake reading the list per case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    INSERT INTO app_setting (key, value, updated_at) VALUES ('responsibility.version', '0', now())
    ON CONFLICT (key) DO NOTHING;

    CREATE FUNCTION bump_responsibility_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE app_setting
        SET value = to_jsonb(coalesce((value #>> '{}')::bigint, 0) + 1), updated_at = now()
        WHERE key = 'responsibility.version';
      RETURN NULL;
    END
    $$;

    CREATE TRIGGER responsibility_rule_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responsibility_rule
      FOR EACH STATEMENT EXECUTE FUNCTION bump_responsibility_version();
    CREATE TRIGGER department_responsibility_version
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON department
      FOR EACH STATEMENT EXECUTE FUNCTION bump_responsibility_version();
  `.execute(db);
}
