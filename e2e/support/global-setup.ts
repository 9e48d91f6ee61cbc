/**
 * Vitest global setup for the e2e run: every temp directory and PostgreSQL database the harness makes in this run
 * lives under one run id, and the teardown removes them all, even those of a worker that was killed or a test that
 * never called disposeAll().
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export default function setup(): () => Promise<void> {
  const runId = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `zhizhi-e2e-run-${runId}-`));
  // Workers are started after this and inherit the environment.
  process.env.ZHIZHI_E2E_TMP = dir;
  process.env.ZHIZHI_E2E_RUN = runId;

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    const url = process.env.E2E_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      const prefix = `e2e_${runId}_`;
      const dbs = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
        [prefix],
      );
      for (const { datname } of dbs.rows)
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      const schemas = await client.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
        [prefix],
      );
      for (const { nspname } of schemas.rows)
        await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    } catch (err) {
      console.warn(`e2e teardown: could not drop this run's databases: ${String(err)}`);
    } finally {
      await client.end().catch(() => {});
    }
  };
}
