import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrate } from '../../src/db/connect.ts';
import { TEMPLATE_ENV } from './test-database.ts';

/** Vitest global setup: build one migrated PGlite template per run; every test file starts from a copy of it. */
export default async function setup(): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'zhizhi-test-'));
  const database = await connect({ dataDir: 'memory://' });
  await migrate(database.db);
  const dump = await database.dump!();
  await database.close();
  const path = join(dir, 'template.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  process.env[TEMPLATE_ENV] = path;
  return () => rmSync(dir, { recursive: true, force: true });
}
