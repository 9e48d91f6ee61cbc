/**
 * Records the checksum of every migration (and of its frozen data) in src/db/migrations/manifest.json.
 *   npx tsx scripts/migration-manifest.ts          add entries for new files; never rewrites a recorded one
 * `src/db/migrations/manifest.test.ts` fails when a recorded file changes, disappears, or a new one is unrecorded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'src', 'db', 'migrations');
export const MANIFEST_PATH = join(MIGRATIONS_DIR, 'manifest.json');

/**
 * Generated seed files that migration 0003 imports. It shipped that way and may not change, so the files it reads are
 * recorded with it: regenerating them with other content fails the manifest test (new seed data ships in a new
 * migration, with its data frozen in `frozen/`). No later migration may import generated code.
 */
export const SHIPPED_SEED_INPUTS: Record<string, readonly string[]> = {
  '0003-cases.ts': ['../seed/category-catalogue.ts', '../seed/cn-holidays.ts'],
};

/** The files a shipped migration consists of: `NNNN-name.ts`, `frozen/NNNN-*.ts` and the seed inputs above. */
export function migrationFiles(): string[] {
  const top = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}-.+\.ts$/.test(f) && !f.endsWith('.test.ts'));
  const frozenDir = join(MIGRATIONS_DIR, 'frozen');
  const frozen = existsSync(frozenDir)
    ? readdirSync(frozenDir)
        .filter((f) => /^\d{4}-.+\.ts$/.test(f))
        .map((f) => `frozen/${f}`)
    : [];
  return [...top, ...frozen, ...Object.values(SHIPPED_SEED_INPUTS).flat()].sort();
}

export function checksumOf(file: string): string {
  return createHash('sha256')
    .update(readFileSync(join(MIGRATIONS_DIR, file)))
    .digest('hex');
}

export function readManifest(): Record<string, string> {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const manifest = readManifest();
  const added = migrationFiles().filter((f) => !(f in manifest));
  for (const f of added) manifest[f] = checksumOf(f);
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(added.length ? `recorded: ${added.join(', ')}` : 'nothing new to record');
}
