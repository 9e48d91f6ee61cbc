/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Each prints one line
 * `BENCH <name> key=value …` (plain numbers in base units, `ratio=` against the same-run baseline) and writes the
 * same figures to bench/results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type BenchResult = Record<string, number | string>;

const benchmarks: Record<string, () => Promise<BenchResult>> = {
  'grid-locate': async () => (await import('./grid-locate.ts')).runGridLocate(),
  'case-intake': async () => (await import('./case-intake.ts')).runCaseIntake(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = names.filter((n) => !(n in benchmarks));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}\n`,
    );
    process.exit(2);
  }
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
    const result = await benchmarks[name]!();
    const line = Object.entries(result)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    process.stdout.write(`BENCH ${name} ${line}\n`);
    writeFileSync(`${dir}${name}.json`, JSON.stringify({ name, ...result }, null, 2) + '\n');
  }
}

await main();
