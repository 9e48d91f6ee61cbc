import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from '../../../domain/geo/area.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { caseBody, HOME, pointIn } from '../../../../test/support/case-helpers.ts';

const HOUR = 3_600_000;
const CATEGORY = 'RX010101';
const OTHER_CATEGORY = 'SJ0102';

let t: TestApp;
let intake: TestClient;
let shiftlead: TestClient;
let gridworker: TestClient;
let handler: TestClient;
let admin: TestClient;
let home: { lng: number; lat: number };
let elsewhere: { lng: number; lat: number };
/** Open cases near `home` before this file created any (demo data): left out of every comparison. */
let baseline: Set<string>;

/** The point `north` metres north and `east` metres east of `p`. */
function offset(p: { lng: number; lat: number }, north: number, east: number) {
  const perDegree = (EARTH_RADIUS_M * Math.PI) / 180;
  return {
    lng: p.lng + east / (perDegree * Math.cos((p.lat * Math.PI) / 180)),
    lat: p.lat + north / perDegree,
  };
}

/**
 * A grid centre in `community` whose surroundings (±150 m) lie in the same community, so that every report this
 * file places around it is located there.
 */
async function roomyPoint(community: string): Promise<{ lng: number; lat: number }> {
  const grids = await t.database.db
    .selectFrom('grid')
    .select(['min_lng', 'min_lat', 'max_lng', 'max_lat'])
    .where('community_code', '=', community)
    .orderBy('code')
    .execute();
  for (const g of grids) {
    const c = { lng: (g.min_lng + g.max_lng) / 2, lat: (g.min_lat + g.max_lat) / 2 };
    const around = [c, ...[150, -150].flatMap((d) => [offset(c, d, 0), offset(c, 0, d), offset(c, d, d)])];
    const located = await t.services.locate.locateMany(around);
    if (located.every((l) => l.inside && l.community?.code === community)) return c;
  }
  throw new Error(`no roomy point in ${community}`);
}

async function report(
  c: TestClient,
  at: { lng: number; lat: number },
  over: Record<string, unknown> = {},
): Promise<{ id: string; code: string; version: number }> {
  const res = await c.request('POST', '/api/v1/cases', caseBody(at, over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function candidates(c: TestClient, at: { lng: number; lat: number }, categoryCode = CATEGORY) {
  const res = await c.request('POST', '/api/v1/cases/duplicate-candidates', { categoryCode, location: at });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as {
    radiusM: number;
    windowHours: number;
    items: { id: string; distanceM: number; mergeable: boolean; state: string }[];
  };
  return { ...body, items: body.items.filter((i) => !baseline.has(i.id)) };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

async function setCase(id: string, patch: { state?: string; created_at?: Date }) {
  await t.database.db.updateTable('case').set(patch).where('id', '=', id).execute();
}

beforeAll(async () => {
  t = await createTestApp({ OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32' }); // the test receiver; never in production
  intake = await t.login('intake');
  shiftlead = await t.login('shiftlead');
  gridworker = await t.login('gridworker');
  handler = await t.login('handler');
  admin = await t.login('admin');
  home = await roomyPoint(HOME);
  elsewhere = await pointIn(t, '990102002001');
  const res = await intake.request('POST', '/api/v1/cases/duplicate-candidates', {
    categoryCode: CATEGORY,
    location: home,
  });
  baseline = new Set(ids(res.json().items));
}, 90_000);

afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

describe('duplicate candidates at intake', () => {
  let a: { id: string; code: string };
  let near: { id: string };
  let far: { id: string };
  let otherCategory: { id: string };

  it('finds open cases of the category within R metres, nearest first', async () => {
    a = await report(intake, home);
    near = await report(intake, offset(home, 90, 0));
    far = await report(intake, offset(home, 110, 0));
    otherCategory = await report(intake, offset(home, 0, 20), { categoryCode: OTHER_CATEGORY });
    const r = await candidates(intake, offset(home, 5, 0));
    expect(r.radiusM).toBe(100);
    expect(r.windowHours).toBe(72);
    expect(ids(r.items)).toEqual([a.id, near.id]);
    expect(r.items[0]!.distanceM).toBeCloseTo(5, 0);
    expect(r.items[1]!.distanceM).toBeCloseTo(85, 0);
    expect(r.items[0]).toMatchObject({ state: 'reported', mergeable: true });
    const other = await candidates(intake, home, OTHER_CATEGORY);
    expect(ids(other.items)).toEqual([otherCategory.id]);
  });

  it('only cases reported in the last T hours', async () => {
    await setCase(near.id, { created_at: new Date(t.clock.now().getTime() - 71 * HOUR) });
    expect(ids((await candidates(intake, home)).items)).toContain(near.id);
    await setCase(near.id, { created_at: new Date(t.clock.now().getTime() - 73 * HOUR) });
    expect(ids((await candidates(intake, home)).items)).not.toContain(near.id);
    await setCase(near.id, { created_at: t.clock.now() });
  });

  it('only open cases: not closed, replied, voided or merged', async () => {
    for (const state of ['closed', 'replied', 'voided', 'merged']) {
      await setCase(near.id, { state });
      expect(ids((await candidates(intake, home)).items), state).toEqual([a.id]);
    }
    await setCase(near.id, { state: 'in_progress' });
    const r = await candidates(intake, home);
    expect(ids(r.items)).toEqual([a.id, near.id]);
    expect(r.items[1]).toMatchObject({ state: 'in_progress', mergeable: false });
    await setCase(near.id, { state: 'reported' });
  });

  it('only cases in the caller’s scope', async () => {
    const there = await report(intake, elsewhere);
    expect(ids((await candidates(intake, elsewhere)).items)).toContain(there.id);
    // The grid worker's community is another one; a department's handler sees only its department's cases.
    expect(ids((await candidates(gridworker, elsewhere)).items)).not.toContain(there.id);
    expect(ids((await candidates(handler, home)).items)).toEqual([]);
    expect(ids((await candidates(gridworker, home)).items)).toEqual([a.id, near.id]);
  });

  it('R and T are settings (administrators change them; bad values name the field)', async () => {
    expect((await intake.request('GET', '/api/v1/cases/duplicate-settings')).json()).toEqual({
      radiusM: 100,
      windowHours: 72,
    });
    expect(
      (await intake.request('PUT', '/api/v1/cases/duplicate-settings', { radiusM: 200, windowHours: 72 }))
        .statusCode,
    ).toBe(403);
    const bad = await admin.request('PUT', '/api/v1/cases/duplicate-settings', {
      radiusM: 5,
      windowHours: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { field: string }) => i.field)
        .sort(),
    ).toEqual(['body.radiusM', 'body.windowHours']);
    const put = await admin.request('PUT', '/api/v1/cases/duplicate-settings', {
      radiusM: 200,
      windowHours: 72,
    });
    expect(put.json()).toEqual({ radiusM: 200, windowHours: 72 });
    expect(ids((await candidates(intake, home)).items)).toEqual([a.id, near.id, far.id]);
    await admin.request('PUT', '/api/v1/cases/duplicate-settings', { radiusM: 100, windowHours: 1 });
    await setCase(near.id, { created_at: new Date(t.clock.now().getTime() - 2 * HOUR) });
    expect(ids((await candidates(intake, home)).items)).toEqual([a.id]);
    await setCase(near.id, { created_at: t.clock.now() });
    await admin.request('PUT', '/api/v1/cases/duplicate-settings', { radiusM: 100, windowHours: 72 });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'case.duplicate_settings')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('bad input names the field', async () => {
    const res = await intake.request('POST', '/api/v1/cases/duplicate-candidates', {
      categoryCode: '',
      location: { lng: 116, lat: 100 },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .issues.map((i: { field: string }) => i.field)
        .sort(),
    ).toEqual(['body.categoryCode', 'body.location.lat']);
  });

  it('around an existing case: not itself, cases reported within T hours of it', async () => {
    const res = await intake.request('GET', `/api/v1/cases/${a.id}/duplicates`);
    expect(res.statusCode).toBe(200);
    const items = (res.json().items as { id: string }[]).filter((i) => !baseline.has(i.id));
    expect(ids(items)).toEqual([near.id]);
    expect(res.json().merged).toEqual([]);
    // A case reported 100 h later is not a duplicate of this one.
    await setCase(near.id, { created_at: new Date(t.clock.now().getTime() + 100 * HOUR) });
    const later = await intake.request('GET', `/api/v1/cases/${a.id}/duplicates`);
    expect(ids(later.json().items)).not.toContain(near.id);
    await setCase(near.id, { created_at: t.clock.now() });
    expect((await handler.request('GET', `/api/v1/cases/${a.id}/duplicates`)).statusCode).toBe(404);
  });
});

describe('merging duplicates: the reply reaches every reporter', () => {
  let server: Server;
  const bodies: { data: { case: { code: string }; via: string | null; reporter: { phone: string } } }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    const res = await admin.request('POST', '/api/v1/webhooks', {
      name: 'SMS',
      url,
      events: ['case.replied'],
      personalData: true,
    });
    expect(res.statusCode).toBe(201);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('merge, merge into a merged case refused, the reply copied to every merged case and sent to every reporter', async () => {
    const spot = offset(home, -40, 30);
    const master = await report(intake, spot, { reporter: { name: '王一', phone: '13800000001' } });
    const dup = await report(intake, offset(spot, 10, 0), {
      reporter: { name: '王二', phone: '13800000002' },
    });
    // A grid worker's own report (starts at 待立案): the shift lead merges it, the grid worker is told.
    const patrol = await report(gridworker, offset(spot, 0, 10), {
      channel: 'patrol',
      reporter: { name: '王三', phone: '13800000003' },
    });
    const toDup = await shiftlead.request('POST', `/api/v1/cases/${patrol.id}/events`, {
      event: 'merge',
      expectedVersion: 1,
      duplicateOf: dup.id,
    });
    expect(toDup.statusCode, toDup.body).toBe(200);
    const merged = await intake.request('POST', `/api/v1/cases/${dup.id}/events`, {
      event: 'merge',
      expectedVersion: 1,
      duplicateOf: master.id,
    });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().state).toBe('merged');

    const late = await report(intake, spot);
    const refused = await intake.request('POST', `/api/v1/cases/${late.id}/events`, {
      event: 'merge',
      expectedVersion: 1,
      duplicateOf: dup.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues[0]).toMatchObject({ field: 'body.duplicateOf', reason: 'invalid_state' });

    const around = await intake.request('GET', `/api/v1/cases/${master.id}/duplicates`);
    expect(around.json().merged.map((m: { id: string }) => m.id)).toEqual([dup.id]);
    expect(ids(around.json().items)).not.toContain(dup.id); // merged cases are no longer candidates
    const mergedNote = await gridworker.request('GET', '/api/v1/notifications?kind=merged');
    expect(mergedNote.json().items).toMatchObject([{ caseId: patrol.id, data: { masterCode: dup.code } }]);

    // The master runs to 已结案; the intake operator records the reply (回访).
    await setCase(master.id, { state: 'closed' });
    const reply = await intake.request('POST', `/api/v1/cases/${master.id}/events`, {
      event: 'reply',
      expectedVersion: 1,
      satisfaction: 'satisfied',
      resolved: true,
      comment: '市民表示满意',
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().state).toBe('replied');

    for (const c of [dup, patrol]) {
      const row = await t.database.db
        .selectFrom('case')
        .selectAll()
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'merged', reply_satisfaction: 'satisfied', reply_resolved: true });
      expect(row.replied_at).toEqual(t.clock.now());
      expect(row.version).toBe(3); // created, merged, replied
      const events = await t.database.db
        .selectFrom('case_event')
        .selectAll()
        .where('case_id', '=', c.id)
        .where('event', '=', 'reply')
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ from_state: 'merged', to_state: 'merged', comment: '市民表示满意' });
      expect(events[0]!.payload).toMatchObject({ via: master.code });
      const ledger = await t.database.db
        .selectFrom('ledger_entry')
        .select('payload')
        .where('subject_id', '=', c.id)
        .where('kind', '=', 'case.event')
        .execute();
      expect(ledger.map((l) => l.payload)).toContainEqual(
        expect.objectContaining({ event: 'reply', via: master.code }),
      );
    }
    const detail = await intake.request('GET', `/api/v1/cases/${dup.id}`);
    expect(detail.json().timeline.at(-1)).toMatchObject({ event: 'reply', fromState: 'merged' });

    bodies.length = 0;
    const run = await t.services.webhookWorker.runOnce();
    expect(run.delivered).toBe(3);
    const byCode = new Map(bodies.map((b) => [b.data.case.code, b.data]));
    expect(byCode.get(master.code)).toMatchObject({ via: null, reporter: { phone: '13800000001' } });
    expect(byCode.get(dup.code)).toMatchObject({ via: master.code, reporter: { phone: '13800000002' } });
    expect(byCode.get(patrol.code)).toMatchObject({ via: master.code, reporter: { phone: '13800000003' } });

    // The grid worker created one of the merged reports: an in-app note. The intake operator recorded the
    // reply, so is not told about it.
    const note = await gridworker.request('GET', '/api/v1/notifications?kind=reply');
    expect(note.json().items).toMatchObject([{ caseId: patrol.id, data: { via: master.code } }]);
    expect((await intake.request('GET', '/api/v1/notifications?kind=reply')).json().total).toBe(0);
  });

  it('the reporter’s own rating (public tracking page) reaches the merged reports too', async () => {
    const spot = offset(home, 60, -60);
    const master = await report(intake, spot, { reporter: { name: '李一', phone: '13900000011' } });
    const dup = await report(intake, offset(spot, 5, 5), {
      reporter: { name: '李二', phone: '13900000012' },
    });
    const merged = await intake.request('POST', `/api/v1/cases/${dup.id}/events`, {
      event: 'merge',
      expectedVersion: 1,
      duplicateOf: master.id,
    });
    expect(merged.statusCode).toBe(200);
    await setCase(master.id, { state: 'closed' });
    await t.services.cases.replyAsReporter(
      master.id,
      { satisfaction: 'unsatisfied', resolved: false, comment: '还是不亮' },
      async () => null,
    );
    const row = await t.database.db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', dup.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'merged', reply_satisfaction: 'unsatisfied', reply_resolved: false });
    const [event] = await t.database.db
      .selectFrom('case_event')
      .selectAll()
      .where('case_id', '=', dup.id)
      .where('event', '=', 'reply')
      .execute();
    expect(event).toMatchObject({ actor_id: null, actor_name: '市民', role: null, comment: '还是不亮' });
    expect(event!.payload).toMatchObject({ via: master.code });

    bodies.length = 0;
    expect((await t.services.webhookWorker.runOnce()).delivered).toBe(2);
    const phones = bodies.map((b) => b.data.reporter.phone).sort();
    expect(phones).toEqual(['13900000011', '13900000012']);
    // Both cases were created by the intake operator, who did not record this reply: told twice in-app.
    const notes = await intake.request('GET', '/api/v1/notifications?kind=reply');
    expect(
      notes
        .json()
        .items.map((n: { caseId: string }) => n.caseId)
        .sort(),
    ).toEqual([master.id, dup.id].sort());
  });
});
