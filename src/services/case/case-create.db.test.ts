import { testFieldKey } from '../crypto/field-cipher.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocateResult } from '../../contracts/locate.schema.ts';
import type { Database } from '../../db/connect.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createServices, type Services } from '../compose.ts';
import { cryptoIds } from '../ids.ts';
import { suggestDepartment } from './case-create.ts';

let database: Database;
let services: Services;
const dep: Record<string, string> = {};

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock: fixedClock('2026-11-22T02:00:00Z'),
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
  await services.demo.load();
  for (const d of await database.db.selectFrom('department').select(['id', 'code']).execute())
    dep[d.code] = d.id;
}, 60_000);
afterAll(async () => {
  services.locate.close();
  await database.close();
});

const loc = {
  inside: true,
  point: [0, 0],
  grid: { code: '990102001001001', name: 'g' },
  community: { code: '990102001001', name: 'c' },
  street: { code: '990102001000', name: 's' },
  district: { code: '990102000000', name: 'd' },
  layers: [],
  nearest: null,
} as LocateResult;

async function rule(categoryCode: string, regionPrefix: string, code: string) {
  await database.db
    .insertInto('responsibility_rule')
    .values({
      id: cryptoIds.uuid(),
      category_code: categoryCode,
      region_code: regionPrefix,
      department_id: dep[code]!,
      created_at: new Date(),
    })
    .execute();
}

describe('seeded catalogue and calendar', () => {
  it('migration 0003 seeds catalogue version 1 and the 2024–2026 calendar', async () => {
    const v = await services.categories.current();
    expect(v.number).toBe(1);
    expect(v.categories.length).toBeGreaterThan(800);
    const cal = await services.calendar.calendar();
    expect(cal.years).toEqual([2024, 2025, 2026]);
    expect(cal.isWorkday('2026-10-01')).toBe(false);
  });
});

describe('suggestDepartment (责任清单 + dispatch rule)', () => {
  const component = {
    code: 'BJ0401',
    dispatchRule: 'owner_first' as const,
    departmentHints: ['园林绿化部门'],
  };
  const event = { code: 'SJ0102', dispatchRule: 'territory_first' as const, departmentHints: [] };

  it('without rules, a department whose name matches a category hint; else none', async () => {
    expect(await categoryRepository.countRules(database.db)).toBe(4); // the demo's own list
    await database.db.deleteFrom('responsibility_rule').execute();
    expect(await suggestDepartment(database.db, component, loc)).toBe(dep.YLLHJ);
    expect(await suggestDepartment(database.db, event, loc)).toBeNull();
  });

  it('district fallback, then owner first for 部件 and territory first for 事件', async () => {
    await rule('', '990102', 'MZJ');
    expect(await suggestDepartment(database.db, event, loc)).toBe(dep.MZJ);
    await rule('BJ04', '', 'YLLHJ');
    await rule('SJ01', '', 'CGW');
    await rule('', '990102001', 'ZJW');
    expect(await suggestDepartment(database.db, component, loc)).toBe(dep.YLLHJ);
    expect(await suggestDepartment(database.db, event, loc)).toBe(dep.ZJW);
    expect(
      await suggestDepartment(database.db, event, { ...loc, community: null, grid: null, street: null }),
    ).toBe(dep.CGW);
  });
});
