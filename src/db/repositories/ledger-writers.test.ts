import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The ledger is a mechanism, not a table anyone may write: only the ledger repository names `ledger_entry` in a
 * write (migrations create it). Everything else records facts through it (`recordCaseEvent` for case steps).
 */
const SRC = join(import.meta.dirname, '..', '..');
const OWNER = 'db/repositories/ledger.repository.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('ledger writers', () => {
  it('nothing but the ledger repository writes ledger_entry', () => {
    const writers = sourceFiles(SRC)
      .map((path) => relative(SRC, path))
      .filter((file) => file !== OWNER && !file.startsWith('db/migrations/') && file !== 'db/schema.ts')
      .filter((file) => {
        const text = readFileSync(join(SRC, file), 'utf8');
        return (
          /INSERT\s+INTO\s+"?ledger_entry|UPDATE\s+"?ledger_entry|DELETE\s+FROM\s+"?ledger_entry/i.test(
            text,
          ) ||
          /(insertInto|updateTable|deleteFrom)\(\s*['"]ledger_entry['"]/.test(text) ||
          // any other use of the table's name (a generic batch insert, say); reads name it in selectFrom
          /(?<!selectFrom\(\s*)['"]ledger_entry['"]/.test(text)
        );
      });
    expect(writers).toEqual([]);
  });

  it('the check sees a hand-written insert and a generic one (so it can fail)', () => {
    expect(
      /(insertInto|updateTable|deleteFrom)\(\s*['"]ledger_entry['"]/.test("db.insertInto('ledger_entry')"),
    ).toBe(true);
    expect(/(?<!selectFrom\(\s*)['"]ledger_entry['"]/.test("insertBatches(trx, 'ledger_entry', rows)")).toBe(
      true,
    );
    expect(/(?<!selectFrom\(\s*)['"]ledger_entry['"]/.test("db.selectFrom('ledger_entry')")).toBe(false);
  });
});
