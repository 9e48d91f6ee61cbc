/**
 * Durability check: `npx tsx scripts/durability-check.ts [--engine pglite|postgres|all] [--seconds N] [--concurrency N]`
 *
 * Streams acknowledged writes into a real server, kills it with SIGKILL mid-stream, restarts it on the same data
 * and counts the acknowledged writes that survived. Prints one line per engine:
 *   DURABILITY acknowledged=N found=N lost=0 engine=pglite ...
 * PostgreSQL runs when E2E_DATABASE_URL (or DATABASE_URL) is set, or with --engine postgres. Exits 1 when any
 * acknowledged write was lost.
 */
import { parseArgs } from 'node:util';
import { formatDurability, runDurability } from '../e2e/support/durability.ts';
import { disposeAll } from '../e2e/support/server.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '8' },
  },
});

const pgUrl = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
const engines: ('pglite' | 'postgres')[] =
  values.engine === 'all'
    ? pgUrl
      ? ['pglite', 'postgres']
      : ['pglite']
    : [values.engine as 'pglite' | 'postgres'];
if (!engines.every((e) => e === 'pglite' || e === 'postgres')) {
  process.stderr.write(`unknown --engine ${values.engine} (pglite, postgres or all)\n`);
  process.exit(2);
}
if (engines.includes('postgres') && !pgUrl) {
  process.stderr.write('--engine postgres needs E2E_DATABASE_URL (or DATABASE_URL)\n');
  process.exit(2);
}

let failed = false;
try {
  for (const engine of engines) {
    const r = await runDurability({
      engine,
      ...(engine === 'postgres' && pgUrl ? { databaseUrl: pgUrl } : {}),
      writeMs: Number(values.seconds) * 1000,
      concurrency: Number(values.concurrency),
      log: (line) => process.stderr.write(`  [${engine}] ${line}\n`),
    });
    process.stdout.write(formatDurability(r) + '\n');
    if (r.lost > 0) process.stdout.write(`  lost codes (first 20): ${r.lostCodes.join(' ')}\n`);
    if (r.rejectedSamples.length)
      process.stdout.write(`  rejected (samples): ${r.rejectedSamples.join(' | ')}\n`);
    if (r.lost > 0 || r.acknowledged === 0) failed = true;
  }
} finally {
  await disposeAll();
}
process.exit(failed ? 1 : 0);
