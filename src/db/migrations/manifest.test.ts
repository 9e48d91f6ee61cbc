import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checksumOf,
  migrationFiles,
  MIGRATIONS_DIR,
  readManifest,
  SHIPPED_SEED_INPUTS,
} from '../../../scripts/migration-manifest.ts';
import { migrations } from './index.ts';

/**
 * A migration never changes once shipped: a database migrated by the old text would never run the new one. The
 * manifest records each file's checksum; new files are recorded with `npx tsx scripts/migration-manifest.ts`.
 */
describe('migration manifest', () => {
  const manifest = readManifest();

  it('every shipped migration file is unchanged', () => {
    const changed = Object.keys(manifest).filter((f) => {
      try {
        return checksumOf(f) !== manifest[f];
      } catch {
        return true; // removed
      }
    });
    expect(changed, 'shipped migrations changed or removed: add a new migration instead').toEqual([]);
  });

  it('every migration file is recorded', () => {
    const unrecorded = migrationFiles().filter((f) => !(f in manifest));
    expect(unrecorded, 'run `npx tsx scripts/migration-manifest.ts` to record new migrations').toEqual([]);
  });

  it('the registered migrations are exactly the migration files, in order', () => {
    const files = migrationFiles()
      .filter((f) => /^\d{4}-/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations)).toEqual(files);
  });

  it('a migration imports only kysely, its own frozen data and domain types (never generated seed code, but 0003)', () => {
    const offending: string[] = [];
    for (const file of migrationFiles()) {
      const source = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [, typeOnly, target] = m;
        const allowed =
          target === 'kysely' ||
          /^\.\/frozen\/\d{4}-/.test(target!) ||
          (typeOnly !== undefined && /\/domain\//.test(target!)) ||
          (SHIPPED_SEED_INPUTS[file]?.includes(target!) ?? false);
        if (!allowed) offending.push(`${file}: ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
