import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { connect, migrate, type Database } from '../../src/db/connect.ts';

/** Set by the test global setup: a migrated PGlite data directory dump, so files skip initdb (seconds each). */
export const TEMPLATE_ENV = 'ZHIZHI_TEST_PGLITE_TEMPLATE';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new schema on the PostgreSQL
 * server in `TEST_DATABASE_URL` (dropped on close). The same tests therefore run on both engines.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const templatePath = process.env[TEMPLATE_ENV];
    const template = templatePath ? new Blob([await readFile(templatePath)]) : undefined;
    const database = await connect({
      dataDir: 'memory://',
      ...(template ? { pgliteTemplate: template } : {}),
    });
    await migrate(database.db);
    return database;
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = await connect({ databaseUrl: url, schema, poolSize: 5 });
  await migrate(database.db);
  return {
    ...database,
    close: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
      await database.close();
    },
  };
}
