import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './connect.ts';
import { openTestDatabase } from '../../test/support/test-database.ts';

/**
 * `schema.ts` is written by hand beside the migrations; this test keeps the two in step. It reads the `DB`
 * interface with the TypeScript parser (table → row interface → columns, and whether each column's type admits
 * null) and compares it with the migrated database's catalogue: a column added, dropped, renamed or made nullable
 * on one side only fails here.
 */
type Shape = Record<string, Record<string, 'null' | 'not null'>>;

/** Whether a column type admits null: `T | null`, also inside `Generated<…>` and `ColumnType<Select, …>`. */
function admitsNull(type: ts.TypeNode): boolean {
  if (ts.isUnionTypeNode(type)) return type.types.some(admitsNull);
  if (ts.isLiteralTypeNode(type)) return type.literal.kind === ts.SyntaxKind.NullKeyword;
  if (ts.isTypeReferenceNode(type) && ['Generated', 'ColumnType'].includes(type.typeName.getText())) {
    const selected = type.typeArguments?.[0];
    return selected ? admitsNull(selected) : false;
  }
  return false;
}

function declaredShape(): Shape {
  const file = new URL('./schema.ts', import.meta.url);
  const source = ts.createSourceFile('schema.ts', readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const db = interfaces.get('DB');
  if (!db) throw new Error('schema.ts has no DB interface');
  const shape: Shape = {};
  for (const member of db.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const table = member.name.getText(source);
    const rowInterface = interfaces.get(member.type.getText(source));
    if (!rowInterface) throw new Error(`no interface for table ${table}`);
    shape[table] = {};
    for (const column of rowInterface.members) {
      if (!ts.isPropertySignature(column) || !column.type) continue;
      const nullable = admitsNull(column.type);
      shape[table]![column.name.getText(source).replace(/^'|'$/g, '')] = nullable ? 'null' : 'not null';
    }
  }
  return shape;
}

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe('schema.ts against the migrated database', () => {
  it('declares exactly the tables and columns the migrations create, with the same nullability', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      SELECT c.table_name, c.column_name, c.is_nullable
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.table_name NOT LIKE 'kysely_%'
      ORDER BY c.table_name, c.column_name
    `.execute(database.db);
    const actual: Shape = {};
    for (const r of rows) {
      (actual[r.table_name] ??= {})[r.column_name] = r.is_nullable === 'YES' ? 'null' : 'not null';
    }
    const declared = declaredShape();
    const sortShape = (s: Shape) =>
      Object.fromEntries(
        Object.keys(s)
          .sort()
          .map((t) => [t, Object.fromEntries(Object.entries(s[t]!).sort(([a], [b]) => a.localeCompare(b)))]),
      );
    expect(sortShape(declared)).toEqual(sortShape(actual));
  });
});
