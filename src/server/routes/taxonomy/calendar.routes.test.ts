import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime } from '../../../domain/calendar/work-calendar.ts';
import { createServices } from '../../../services/compose.ts';
import { testFieldKey } from '../../../services/crypto/field-cipher.ts';
import { cryptoIds } from '../../../services/ids.ts';
import { caseBody, HOME, pointIn } from '../../../../test/support/case-helpers.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
let intake: TestClient;
let dispatcher: TestClient;
let home: { lng: number; lat: number };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  intake = await t.login('intake');
  dispatcher = await t.login('dispatcher');
  home = await pointIn(t, HOME);
}, 120_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const put = (c: TestClient, year: number, body: object) =>
  c.request('PUT', `/api/v1/calendar/years/${year}`, body);
const deadlineOfNewCase = async () => {
  const res = await intake.request('POST', '/api/v1/cases', caseBody(home));
  expect(res.statusCode).toBe(201);
  return res.json().stageDeadline as string;
};

describe('work calendar', () => {
  it('lists the seeded years with their sources; a year not loaded is empty', async () => {
    const res = await dispatcher.request('GET', '/api/v1/calendar/years');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { year: number; holidays: number; source: string }[];
    expect(items.map((y) => y.year)).toEqual([2024, 2025, 2026]);
    expect(items[2]!.source).toBe('国务院办公厅关于2026年部分节假日安排的通知');
    expect(items[2]!.holidays).toBeGreaterThan(20);

    const y2026 = (await dispatcher.request('GET', '/api/v1/calendar/years/2026')).json();
    expect(y2026.loaded).toBe(true);
    expect(y2026.holidays).toContain('2026-10-01');
    expect(y2026.holidays).toEqual([...y2026.holidays].sort());
    expect((await dispatcher.request('GET', '/api/v1/calendar/years/2027')).json()).toMatchObject({
      year: 2027,
      loaded: false,
      holidays: [],
      updatedAt: null,
    });
  });

  it('refuses bad dates naming each entry, and non-administrators with 403', async () => {
    const res = await put(admin, 2027, {
      holidays: ['2027-01-01', '2026-12-31', '2027-02-30'],
      makeupWorkdays: ['2027-01-01', '2027-02-03'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string; reason: string }) => `${i.field}:${i.reason}`)).toEqual(
      [
        'body.holidays.1:outside_year',
        'body.holidays.2:invalid_format',
        'body.makeupWorkdays.0:in_both',
        'body.makeupWorkdays.1:not_weekend',
      ],
    );
    const format = await put(admin, 2027, { holidays: ['1 May'], makeupWorkdays: [] });
    expect(format.json().issues[0].field).toBe('body.holidays.0');
    expect((await put(dispatcher, 2027, { holidays: [], makeupWorkdays: [] })).statusCode).toBe(403);
    expect((await dispatcher.request('GET', '/api/v1/calendar/years/2027')).json().loaded).toBe(false);
  });

  it('a loaded year counts for deadlines computed afterwards, in every server process', async () => {
    // A limit in working days makes the calendar visible in the deadline.
    const published = await admin.request('POST', '/api/v1/categories/versions', {
      note: '小城镇建设受理时限一个工作日',
      basedOn: 1,
      changes: [
        {
          op: 'upsert',
          item: {
            code: 'RX010101',
            kind: 'hotline',
            parentCode: 'RX0101',
            level: 'item',
            name: '小城镇建设',
            timeLimits: [{ stage: 'intake', urgency: 'normal', amount: 1, unit: 'working_days' }],
          },
        },
      ],
    });
    expect(published.statusCode).toBe(201);
    const other = createServices({
      fieldKey: testFieldKey(),
      db: t.database.db,
      clock: t.clock,
      ids: cryptoIds,
      mode: 'production',
      auth: { sessionTtlHours: 1, maxFailures: 5, maxDelayMinutes: 1 },
    });
    expect((await other.calendar.calendar()).isWorkday('2027-03-02')).toBe(true);

    t.clock.set(chinaTime('2027-03-01', '10:00')); // a Monday
    // Sessions expire as the clock jumps ahead: sign in again.
    admin = await t.login('admin');
    intake = await t.login('intake');
    dispatcher = await t.login('dispatcher');
    expect(await deadlineOfNewCase()).toBe(chinaTime('2027-03-02', '10:00').toISOString());

    const res = await put(admin, 2027, {
      holidays: ['2027-03-02'],
      makeupWorkdays: ['2027-03-06'],
      source: '测试：2027 年安排',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      year: 2027,
      loaded: true,
      holidays: ['2027-03-02'],
      source: '测试：2027 年安排',
    });

    // The deadline skips the holiday (Tuesday) …
    expect(await deadlineOfNewCase()).toBe(chinaTime('2027-03-03', '10:00').toISOString());
    // … and counts the make-up Saturday.
    t.clock.set(chinaTime('2027-03-05', '10:00')); // a Friday
    intake = await t.login('intake');
    dispatcher = await t.login('dispatcher');
    expect(await deadlineOfNewCase()).toBe(chinaTime('2027-03-06', '10:00').toISOString());
    expect((await other.calendar.calendar()).isWorkday('2027-03-02')).toBe(false);
    other.locate.close();

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'calendar.year.put')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_id: '2027', actor_name: 'admin' });
    expect(audit[0]!.details).toMatchObject({ holidaysAdded: ['2027-03-02'], makeupAdded: ['2027-03-06'] });

    const list = (await dispatcher.request('GET', '/api/v1/calendar/years')).json();
    expect(list.items.map((y: { year: number }) => y.year)).toEqual([2024, 2025, 2026, 2027]);
  });
});
