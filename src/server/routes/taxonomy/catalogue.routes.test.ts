import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineOf } from '../../../domain/sla/time-limit.ts';
import { timeLimitFor } from '../../../domain/taxonomy/catalogue.ts';
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

/** The hotline item RX010101 (小城镇建设) as an administrator would write it, with its own limits. */
const item = (over: Record<string, unknown> = {}) => ({
  code: 'RX010101',
  kind: 'hotline',
  parentCode: 'RX0101',
  level: 'item',
  name: '小城镇建设',
  ...over,
});
const publish = (c: TestClient, body: object) => c.request('POST', '/api/v1/categories/versions', body);
const createCase = async () => {
  const res = await intake.request('POST', '/api/v1/cases', caseBody(home));
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; version: number; stageDeadline: string };
};

describe('catalogue versions', () => {
  it('lists the seeded version and shows its items with their time limits', async () => {
    const list = await dispatcher.request('GET', '/api/v1/categories/versions');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ version: 1, current: true, added: 0 }] });
    expect(list.json().items[0].categories).toBeGreaterThan(800);

    const v1 = await dispatcher.request('GET', '/api/v1/categories/versions/1');
    expect(v1.statusCode).toBe(200);
    const body = v1.json();
    expect(body.defaults.hotline).toHaveLength(36);
    const cover = body.items.find((i: { code: string }) => i.code === 'BJ0101');
    expect(cover).toMatchObject({ kind: 'component', level: 'minor', parentCode: 'BJ01', name: '上水井盖' });
    expect(cover.timeLimits).toContainEqual({
      stage: 'handle',
      urgency: 'normal',
      amount: 6,
      unit: 'natural_hours',
    });
    expect((await dispatcher.request('GET', '/api/v1/categories/versions/99')).statusCode).toBe(404);
  });

  it('refuses bad changes naming body.changes[i].item.field, and non-administrators with 403', async () => {
    const zod = await publish(admin, {
      note: 'x',
      basedOn: 1,
      changes: [
        {
          op: 'upsert',
          item: item({
            timeLimits: [{ stage: 'handle', urgency: 'normal', amount: 0, unit: 'natural_hours' }],
          }),
        },
        { op: 'upsert', item: item({ code: 'RX0101x' }) },
      ],
    });
    expect(zod.statusCode).toBe(400);
    const zodFields = zod.json().issues.map((i: { field: string }) => i.field);
    expect(zodFields).toEqual(
      expect.arrayContaining(['body.changes.0.item.timeLimits.0.amount', 'body.changes.1.item.code']),
    );

    const domain = await publish(admin, {
      note: 'x',
      basedOn: 1,
      changes: [
        { op: 'upsert', item: item({ code: 'RX019701', parentCode: 'RX0197' }) },
        { op: 'deactivate', code: 'RX999999' },
      ],
    });
    expect(domain.statusCode).toBe(400);
    expect(domain.json().issues).toEqual([
      { field: 'body.changes.0.item.parentCode', reason: 'unknown', message: '上级分类不存在' },
      { field: 'body.changes.1.code', reason: 'not_found', message: '事项分类不存在' },
    ]);

    expect((await publish(dispatcher, { note: 'x', basedOn: 1, changes: [] })).statusCode).toBe(403);
    expect(
      (await publish(admin, { note: 'x', basedOn: 7, changes: [{ op: 'deactivate', code: 'RX01' }] })).json()
        .issues[0].field,
    ).toBe('body.basedOn');
  });

  it('a new version applies to new cases at once; a case keeps the version it was filed under', async () => {
    const other = createServices({
      fieldKey: testFieldKey(),
      db: t.database.db,
      clock: t.clock,
      ids: cryptoIds,
      mode: 'production',
      auth: { sessionTtlHours: 1, maxFailures: 5, maxDelayMinutes: 1 },
    });
    expect((await other.categories.current()).number).toBe(1); // a second process, warmed up before the change

    const old = await createCase();
    const res = await publish(admin, {
      note: '缩短小城镇建设受理和核实时限',
      basedOn: 1,
      changes: [
        {
          op: 'upsert',
          item: item({
            timeLimits: [
              { stage: 'intake', urgency: 'normal', amount: 3, unit: 'natural_hours' },
              { stage: 'verify', urgency: 'normal', amount: 5, unit: 'natural_hours' },
            ],
          }),
        },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      version: 2,
      current: true,
      changed: 1,
      added: 0,
      note: '缩短小城镇建设受理和核实时限',
    });
    expect((await other.categories.current()).number).toBe(2);

    const now = t.clock.now().getTime();
    const fresh = await createCase();
    expect(Date.parse(fresh.stageDeadline)).toBe(now + 3 * 3_600_000);
    expect(Date.parse(old.stageDeadline)).not.toBe(now + 3 * 3_600_000);
    const versions = await t.database.db
      .selectFrom('case')
      .select(['id', 'category_version'])
      .where('id', 'in', [old.id, fresh.id])
      .execute();
    expect(Object.fromEntries(versions.map((v) => [v.id, v.category_version]))).toEqual({
      [old.id]: 1,
      [fresh.id]: 2,
    });

    // The next stage of each case takes its limit from its own version.
    const verify = async (c: { id: string; version: number }) => {
      const r = await intake.request('POST', `/api/v1/cases/${c.id}/events`, {
        event: 'send_to_verify',
        expectedVersion: c.version,
      });
      expect(r.statusCode).toBe(200);
      return Date.parse(r.json().stageDeadline);
    };
    expect(await verify(fresh)).toBe(now + 5 * 3_600_000);
    const v1 = (await t.services.categories.version(1))!;
    const v1Limit = timeLimitFor(v1, 'RX010101', 'verify', 'normal')!;
    expect(v1Limit.unit).toBe('working_hours');
    const expected = deadlineOf(t.clock.now(), v1Limit, await t.services.calendar.calendar());
    expect(await verify(old)).toBe(expected.getTime());

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'category.version.publish')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_id: '2', actor_name: 'admin' });
    other.locate.close();
  });

  it('refuses a stale base with 409, deactivates a subtree, and hides it from new cases', async () => {
    const stale = await publish(admin, {
      note: 'x',
      basedOn: 1,
      changes: [{ op: 'deactivate', code: 'RX0101' }],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().issues[0]).toMatchObject({ field: 'body.basedOn', reason: 'stale' });

    const res = await publish(admin, {
      note: '停用村镇建设',
      basedOn: 2,
      changes: [{ op: 'deactivate', code: 'RX0101' }],
    });
    expect(res.statusCode).toBe(201);
    const items = res.json().items as { code: string; active: boolean }[];
    expect(items.find((i) => i.code === 'RX0101')?.active).toBe(false);
    expect(items.find((i) => i.code === 'RX010101')?.active).toBe(false);

    const refused = await intake.request('POST', '/api/v1/cases', caseBody(home));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues[0].field).toBe('body.categoryCode');
    const tree = (await intake.request('GET', '/api/v1/categories')).json();
    expect(tree.version).toBe(3);
    expect(JSON.stringify(tree)).not.toContain('"RX0101"');

    const list = (await admin.request('GET', '/api/v1/categories/versions?pageSize=2')).json();
    expect(list.total).toBe(3);
    expect(list.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    expect(list.items[0].changed).toBeGreaterThan(1); // the item and its children
  });
});
