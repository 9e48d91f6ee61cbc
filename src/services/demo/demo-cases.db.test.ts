import { testFieldKey } from '../crypto/field-cipher.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { caseStates, finalStates } from '../../domain/case/case-workflow.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createServices, type Services } from '../compose.ts';
import { cryptoIds } from '../ids.ts';
import { DEMO_PASSWORD } from './demo.service.ts';

let database: Database;
let services: Services;
let loadMs = 0;
let first: Awaited<ReturnType<Services['demo']['load']>>;
const now = new Date('2026-11-22T00:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock: fixedClock(now),
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
  const started = performance.now();
  first = await services.demo.load();
  loadMs = performance.now() - started;
}, 120_000);
afterAll(async () => {
  services.locate.close();
  await database.close();
});

describe('demo cases', () => {
  it('loads about 2,000 cases in every state, with timelines, tasks, ledger and codes', async () => {
    console.info(`demo load with ${first.cases} cases: ${Math.round(loadMs)} ms`);
    expect(first.cases).toBe(2000);
    const byState = await database.db
      .selectFrom('case')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const counts = Object.fromEntries(byState.map((r) => [r.state, Number(r.n)]));
    for (const s of caseStates) expect(counts[s] ?? 0, s).toBeGreaterThan(0);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(2000);

    const events = await database.db
      .selectFrom('case_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const ledger = await database.db
      .selectFrom('ledger_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subject_type', '=', 'case')
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBeGreaterThan(2000 * 4);
    expect(Number(ledger.n)).toBe(Number(events.n));

    // Open cases run a stage clock (except suspended); finished ones do not; some are overdue.
    const open = await database.db
      .selectFrom('case')
      .select(['state', 'stage', 'stage_deadline', 'suspended_at', 'version'])
      .where('state', 'not in', [...finalStates])
      .execute();
    for (const c of open) {
      if (c.state === 'suspended') expect(c.suspended_at).not.toBeNull();
      else expect(c.stage_deadline).not.toBeNull();
    }
    expect(open.filter((c) => c.stage_deadline && c.stage_deadline < now).length).toBeGreaterThan(0);

    // Codes follow the daily counter: the counter holds each day's highest sequence.
    const codes = await database.db.selectFrom('case').select('code').execute();
    const maxOfDay = new Map<string, number>();
    for (const { code } of codes) {
      expect(code).toMatch(/^\d{13}$/);
      const day = code.slice(0, 8);
      maxOfDay.set(day, Math.max(maxOfDay.get(day) ?? 0, Number(code.slice(8))));
    }
    const counters = await database.db.selectFrom('case_code_counter').selectAll().execute();
    expect(new Map(counters.map((c) => [c.day, c.last]))).toEqual(maxOfDay);
  });

  it('gives every main role something in its worklists', async () => {
    for (const username of ['intake', 'shiftlead', 'dispatcher', 'handler', 'gridworker', 'leader']) {
      const { principal } = await services.auth.login({
        username,
        password: DEMO_PASSWORD,
        ip: null,
        userAgent: null,
      });
      const { counts } = await services.cases.worklistCounts({ principal, ip: null });
      const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
      expect(total, username).toBeGreaterThan(0);
      const list = await services.cases.list({ principal, ip: null }, {}, { page: 1, pageSize: 5 });
      expect(list.total, username).toBeGreaterThan(0);
    }
  });

  it('a new case gets a code after the demo codes of the day', async () => {
    const today = await database.db
      .selectFrom('case_code_counter')
      .select('last')
      .where('day', '=', '20261122')
      .executeTakeFirst();
    const { principal } = await services.auth.login({
      username: 'intake',
      password: DEMO_PASSWORD,
      ip: null,
      userAgent: null,
    });
    const grid = await database.db
      .selectFrom('grid')
      .select(['min_lng', 'min_lat', 'max_lng', 'max_lat'])
      .where('code', 'like', '990102001001%')
      .executeTakeFirstOrThrow();
    const c = await services.cases.create({ principal, ip: null }, {
      categoryCode: 'SJ0102',
      urgency: 'normal',
      title: '测试',
      description: '测试案件',
      channel: 'hotline',
      location: { lng: (grid.min_lng! + grid.max_lng!) / 2, lat: (grid.min_lat! + grid.max_lat!) / 2 },
    } as never);
    expect(c.code).toBe(`20261122${String((today?.last ?? 0) + 1).padStart(5, '0')}`);
  });

  it('is idempotent: a second load adds no cases', async () => {
    const before = await database.db
      .selectFrom('case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const second = await services.demo.load();
    expect(second.cases).toBe(0);
    const after = await database.db
      .selectFrom('case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
