import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDetailSchema } from '../../../contracts/case.schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { photoOf } from '../../../../test/support/upload-helpers.ts';
import { caseBody, departmentId, HOME, pointIn, putInState } from '../../../../test/support/case-helpers.ts';

let t: TestApp;
let intake: TestClient;
let gridworker: TestClient;
let dispatcher: TestClient;
let dispatcher2: TestClient;
let handler: TestClient;
let shiftlead: TestClient;
let home: { lng: number; lat: number };
let elsewhere: { lng: number; lat: number };
let cgw: string;
let zjw: string;

beforeAll(async () => {
  t = await createTestApp();
  intake = await t.login('intake');
  gridworker = await t.login('gridworker');
  dispatcher = await t.login('dispatcher');
  dispatcher2 = await t.login('dispatcher');
  handler = await t.login('handler');
  shiftlead = await t.login('shiftlead');
  home = await pointIn(t, HOME);
  elsewhere = await pointIn(t, '990102002001');
  cgw = await departmentId(t, 'CGW');
  zjw = await departmentId(t, 'ZJW');
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const create = (c: TestClient, body: object, headers?: Record<string, string>) =>
  c.request('POST', '/api/v1/cases', body, headers);
const act = (c: TestClient, id: string, body: object) =>
  c.request('POST', `/api/v1/cases/${id}/events`, body);

describe('POST /api/v1/cases', () => {
  it('creates a located case with code, stage deadline, light, masked reporter and a timeline', async () => {
    const res = await create(intake, caseBody(home));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.code).toMatch(/^20261122\d{5}$/);
    expect(c.state).toBe('reported');
    expect(c.version).toBe(1);
    expect(c.gridCode).toMatch(new RegExp(`^${HOME}\\d{3}$`));
    expect(c.communityName).toBeTruthy();
    expect(c.stage).toBe('intake');
    expect(Date.parse(c.stageDeadline)).toBeGreaterThan(t.clock.now().getTime());
    expect(c.light).toBe('green');
    expect(c.reporterPhone).toBe('138****5678');
    expect(c.reporterName).toBe('张*');
    expect(c.timeline).toHaveLength(1);
    expect(c.suggestedDepartment).toEqual({ id: cgw, name: '区城市管理委员会' }); // the demo's district fallback
    expect(c.allowedEvents).toEqual(['send_to_verify', 'register', 'merge']);
    const got = await intake.request('GET', `/api/v1/cases/${c.id}`);
    expect(got.json()).toEqual(c);
    // The create answer is written without the schema's encoding: it must be exactly what the encoding gives.
    expect(JSON.parse(JSON.stringify(caseDetailSchema.encode(c)))).toEqual(c);
    expect(res.body).toBe(JSON.stringify(c));
    const list = await intake.request('GET', '/api/v1/cases?pageSize=200');
    expect(JSON.stringify(list.json())).not.toContain('13812345678');
  });

  it('a grid worker reports inside its community (starting at 待立案), not outside (403)', async () => {
    const own = await create(gridworker, caseBody(home, { channel: 'patrol', categoryCode: 'SJ0102' }));
    expect(own.statusCode).toBe(201);
    expect(own.json().state).toBe('pending_filing');
    const other = await create(gridworker, caseBody(elsewhere, { channel: 'patrol' }));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('auth.out_of_scope');
  });

  it('bad input → 400 naming the field', async () => {
    const cases: [object, string][] = [
      [caseBody(home, { categoryCode: 'XX9999' }), 'body.categoryCode'],
      [caseBody({ lng: 0, lat: 0 }), 'body.location'],
      [caseBody(home, { urgency: 'whenever' }), 'body.urgency'],
      [caseBody(home, { title: '' }), 'body.title'],
      [caseBody(home, { channel: 'pigeon' }), 'body.channel'],
    ];
    for (const [body, field] of cases) {
      const res = await create(intake, body);
      expect(`${field} ${res.statusCode}`).toBe(`${field} 400`);
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    const outside = await create(intake, caseBody({ lng: 0, lat: 0 }));
    expect(outside.json().details.nearest.code).toMatch(/^990102/);
  });

  it('5 concurrent creates with one Idempotency-Key → one case, the same response; another body → 422', async () => {
    const body = caseBody(home, { title: '幂等测试' });
    const headers = { 'idempotency-key': 'idem-key-0001' };
    const results = await Promise.all(Array.from({ length: 5 }, () => create(intake, body, headers)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const rows = await t.database.db
      .selectFrom('case')
      .select('id')
      .where('title', '=', '幂等测试')
      .execute();
    expect(rows).toHaveLength(1);
    const other = await create(intake, { ...body, title: '另一个' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency.mismatch');
  });
});

describe('POST /api/v1/cases/:id/events', () => {
  async function filedCase(): Promise<{ id: string; version: number }> {
    const c = (await create(intake, caseBody(home))).json();
    const reg = (await act(intake, c.id, { event: 'register', expectedVersion: 1 })).json();
    const filed = (await act(shiftlead, c.id, { event: 'file', expectedVersion: reg.version })).json();
    expect(filed.state).toBe('filed');
    expect(filed.stage).toBe('dispatch');
    return { id: c.id, version: filed.version };
  }

  it('two dispatchers at once: exactly one succeeds, the other gets 409 case.conflict', async () => {
    const { id, version } = await filedCase();
    const res = await Promise.all([
      act(dispatcher, id, { event: 'dispatch', expectedVersion: version, departmentIds: [cgw] }),
      act(dispatcher2, id, { event: 'dispatch', expectedVersion: version, departmentIds: [zjw] }),
    ]);
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(res.find((r) => r.statusCode === 409)!.json().code).toBe('case.conflict');
    const events = await t.database.db
      .selectFrom('case_event')
      .select('event')
      .where('case_id', '=', id)
      .where('event', '=', 'dispatch')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('a stale expectedVersion → 409 case.conflict; missing evidence for handle → 400 body.evidence', async () => {
    const { id, version } = await filedCase();
    const stale = await act(dispatcher, id, {
      event: 'dispatch',
      expectedVersion: version - 1,
      departmentIds: [cgw],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('case.conflict');
    const d = (
      await act(dispatcher, id, { event: 'dispatch', expectedVersion: version, departmentIds: [cgw] })
    ).json();
    expect(d.tasks).toEqual([{ departmentId: cgw, departmentName: '区城市管理委员会', state: 'dispatched' }]);
    const a = (await act(handler, id, { event: 'accept', expectedVersion: d.version })).json();
    expect(a.state).toBe('in_progress');
    const bad = await act(handler, id, { event: 'handle', expectedVersion: a.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('body.evidence');
    const two = await act(dispatcher, id, {
      event: 'dispatch',
      expectedVersion: a.version,
      departmentIds: [],
    });
    expect(two.statusCode).toBe(409); // dispatch is not allowed in progress
    const photo = await photoOf(handler);
    const ok = await act(handler, id, { event: 'handle', expectedVersion: a.version, evidence: [photo] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().state).toBe('pending_check');
  });

  it('a handler sees only cases with a task for its department', async () => {
    const mine = await filedCase();
    const theirs = await filedCase();
    await act(dispatcher, mine.id, {
      event: 'dispatch',
      expectedVersion: mine.version,
      departmentIds: [cgw],
    });
    await act(dispatcher, theirs.id, {
      event: 'dispatch',
      expectedVersion: theirs.version,
      departmentIds: [zjw],
    });
    const list = (await handler.request('GET', '/api/v1/cases?pageSize=200')).json();
    const ids = list.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect((await handler.request('GET', `/api/v1/cases/${theirs.id}`)).statusCode).toBe(404);
    const counts = (await handler.request('GET', '/api/v1/cases/worklists')).json().counts;
    expect(Object.keys(counts).sort()).toEqual(['overdue', 'to_handle']);
    const toHandle = (await handler.request('GET', '/api/v1/cases?worklist=to_handle&pageSize=1')).json();
    expect(counts.to_handle).toBe(toHandle.total);
    expect(counts.to_handle).toBeGreaterThanOrEqual(1);
  });
});

describe('lists, worklists and lights', () => {
  it('the light turns red once the stage deadline has passed; filters and counts follow', async () => {
    const c = (await create(intake, caseBody(home, { title: '超时测试' }))).json();
    const counts = (await intake.request('GET', '/api/v1/cases/worklists')).json().counts;
    expect(counts.reported).toBeGreaterThanOrEqual(1);
    const start = t.clock.now();
    t.clock.set(new Date(Date.parse(c.stageDeadline) + 60_000));
    try {
      const intake = await t.login('intake'); // the earlier session may have expired by then
      const got = (await intake.request('GET', `/api/v1/cases/${c.id}`)).json();
      expect(got.light).toBe('red');
      const red = (await intake.request('GET', '/api/v1/cases?light=red&pageSize=200')).json();
      expect(red.items.map((x: { id: string }) => x.id)).toContain(c.id);
      const green = (await intake.request('GET', '/api/v1/cases?light=green&pageSize=200')).json();
      expect(green.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
      const overdue = (await intake.request('GET', '/api/v1/cases?worklist=overdue&pageSize=200')).json();
      expect(overdue.items.map((x: { id: string }) => x.id)).toContain(c.id);
      const after = (await intake.request('GET', '/api/v1/cases/worklists')).json().counts;
      expect(after.overdue).toBe(overdue.total);
    } finally {
      t.clock.set(start);
    }
  });

  it('filters by state, text and region', async () => {
    const c = (await create(intake, caseBody(home, { title: '井盖缺失 filter' }))).json();
    const q = (
      await intake.request('GET', `/api/v1/cases?q=${encodeURIComponent('井盖缺失 filter')}`)
    ).json();
    expect(q.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const s = (await intake.request('GET', '/api/v1/cases?state=reported,verifying&pageSize=200')).json();
    expect(s.items.every((x: { state: string }) => ['reported', 'verifying'].includes(x.state))).toBe(true);
    const r = (await intake.request('GET', '/api/v1/cases?regionCode=990102002000&pageSize=200')).json();
    expect(r.items.every((x: { gridCode: string }) => x.gridCode.startsWith('990102002'))).toBe(true);
    expect(r.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    const bad = await intake.request('GET', '/api/v1/cases?state=nope');
    expect(bad.statusCode).toBe(400);
  });

  it('GET /api/v1/categories returns the default catalogue as a tree', async () => {
    const res = await intake.request('GET', '/api/v1/categories');
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    expect(tree.version).toBe(1);
    expect(tree.items.map((c: { code: string }) => c.code)).toContain('BJ01');
    const rx = tree.items.find((c: { code: string }) => c.code === 'RX01');
    expect(rx.children[0].children.length).toBeGreaterThan(0);
  });

  it('putInState helper keeps department staff able to see the case', async () => {
    const c = (await create(intake, caseBody(home))).json();
    await putInState(t, c.id, 'dispatched', cgw);
    expect((await handler.request('GET', `/api/v1/cases/${c.id}`)).json().allowedEvents).toEqual([
      'accept',
      'return',
    ]);
  });
});
