// Writes the OpenAPI document generated from the zod schemas to docs/openapi.json; with --check, fails when the
// committed copy has drifted from the code (run by `npm run check`).
import { testFieldKey } from '../src/services/crypto/field-cipher.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from '../src/db/connect.ts';
import { fixedClock } from '../src/domain/shared/clock.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/services/compose.ts';
import { cryptoIds } from '../src/services/ids.ts';

const target = new URL('../docs/openapi.json', import.meta.url);
const config = loadConfig({ LOG_LEVEL: 'silent' });
const database = await connect({ dataDir: 'memory://' });
const services = createServices({
  fieldKey: testFieldKey(),
  db: database.db,
  clock: fixedClock('2026-01-01T00:00:00Z'),
  ids: cryptoIds,
  mode: 'demo',
  auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
});
const app = await buildApp({ config, database, services, logger: false });
await app.ready();
const doc = JSON.stringify(app.swagger(), null, 2) + '\n';
await app.close();
await database.close();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as drift
  }
  if (committed !== doc) {
    process.stderr.write('docs/openapi.json is out of date: run `npm run openapi` and commit it.\n');
    process.exit(1);
  }
  process.stdout.write('docs/openapi.json is up to date\n');
} else {
  writeFileSync(target, doc);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
