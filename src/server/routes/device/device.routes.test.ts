import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { HOME, pointIn } from '../../../../test/support/case-helpers.ts';
import { alarmBody, createDevice, deviceBody, sendAlarm } from '../../../../test/support/device-helpers.ts';

let t: TestApp;
let admin: TestClient;
let home: { lng: number; lat: number };
let elsewhere: { lng: number; lat: number };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  home = await pointIn(t, HOME);
  elsewhere = await pointIn(t, '990102002001');
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

describe('POST /api/v1/devices', () => {
  it('registers a located device and shows its token once; only a hash is stored', async () => {
    const res = await admin.request('POST', '/api/v1/devices', deviceBody(home, { code: 'WL-0001' }));
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d.token).toMatch(/^zzd_[0-9a-f]{64}$/);
    expect(d.tokenPrefix).toBe(d.token.slice(0, 12));
    expect(d.code).toBe('WL-0001');
    expect(d.regionCode).toBe(HOME);
    expect(d.gridCode).toMatch(new RegExp(`^${HOME}\\d{3}$`));
    expect(d.categoryName).toBe('道路积水');
    expect(d.urgency).toBe('urgent');
    expect(d.disabled).toBe(false);
    expect(d.lastSeenAt).toBeNull();

    const row = await t.database.db
      .selectFrom('device')
      .selectAll()
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(d.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(d.token);

    // Never again: not in the list, not in the audit log.
    const list = await admin.request('GET', '/api/v1/devices?pageSize=200');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(d.token);
    expect(list.json().items.find((x: { id: string }) => x.id === d.id)).not.toHaveProperty('token');
    const audit = (await admin.request('GET', '/api/v1/audit-log?action=device.create')).json();
    expect(audit.items.some((a: { targetId: string }) => a.targetId === d.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(d.token);
  });

  it('bad input → 4xx naming the field: code format, duplicate code, category, location outside', async () => {
    const cases: [object, number, string][] = [
      [deviceBody(home, { code: 'wl 1' }), 400, 'body.code'],
      [deviceBody(home, { code: 'WL-0001' }), 409, 'body.code'],
      [deviceBody(home, { categoryCode: 'XX9999' }), 400, 'body.categoryCode'],
      [deviceBody({ lng: 0, lat: 0 }), 400, 'body.location'],
      [deviceBody(home, { kind: 'teapot' }), 400, 'body.kind'],
      [deviceBody(home, { name: '' }), 400, 'body.name'],
    ];
    for (const [body, status, field] of cases) {
      const res = await admin.request('POST', '/api/v1/devices', body);
      expect(`${field} ${res.statusCode}`).toBe(`${field} ${status}`);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }
  });
});

describe('GET /api/v1/devices', () => {
  it('filters by q, kind, region and disabled, and pages', async () => {
    const a = await createDevice(admin, home, { kind: 'smoke', categoryCode: 'SJ0453', name: '烟感甲' });
    const b = await createDevice(admin, elsewhere, { kind: 'smoke', categoryCode: 'SJ0453', name: '烟感乙' });
    await admin.request('PATCH', `/api/v1/devices/${b.id}`, { disabled: true });
    const ids = async (query: string) =>
      ((await admin.request('GET', `/api/v1/devices?${query}`)).json().items as { id: string }[]).map(
        (d) => d.id,
      );
    expect(await ids('q=烟感')).toEqual([a.id, b.id]);
    expect(await ids(`q=${a.code}`)).toEqual([a.id]);
    expect(await ids('kind=smoke&regionCode=990102002')).toEqual([b.id]);
    expect(await ids('kind=smoke&disabled=false')).toEqual([a.id]);
    expect(await ids('kind=smoke&disabled=true')).toEqual([b.id]);
    const page = (await admin.request('GET', '/api/v1/devices?kind=smoke&pageSize=1&page=2')).json();
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page.items.map((d: { id: string }) => d.id)).toEqual([b.id]);
    const bad = await admin.request('GET', '/api/v1/devices?kind=teapot');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('querystring.kind');
  });
});

describe('PATCH /api/v1/devices/:id', () => {
  it('changes name, category, urgency and location (re-located), audited; refuses bad values', async () => {
    const d = await createDevice(admin, home);
    const res = await admin.request('PATCH', `/api/v1/devices/${d.id}`, {
      name: '改名后的传感器',
      categoryCode: 'SJ0156',
      urgency: 'emergency',
      location: elsewhere,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '改名后的传感器',
      categoryCode: 'SJ0156',
      urgency: 'emergency',
      regionCode: '990102002001',
      tokenPrefix: d.tokenPrefix,
    });
    expect(res.json()).not.toHaveProperty('token');
    const audit = (await admin.request('GET', '/api/v1/audit-log?action=device.update')).json();
    expect(audit.items.some((a: { targetId: string }) => a.targetId === d.id)).toBe(true);

    const outside = await admin.request('PATCH', `/api/v1/devices/${d.id}`, { location: { lng: 0, lat: 0 } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().issues[0].field).toBe('body.location');
    const category = await admin.request('PATCH', `/api/v1/devices/${d.id}`, { categoryCode: 'XX9999' });
    expect(category.statusCode).toBe(400);
    expect(category.json().issues[0].field).toBe('body.categoryCode');
    const kind = await admin.request('PATCH', `/api/v1/devices/${d.id}`, { kind: 'smoke' });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().issues[0]).toMatchObject({ field: 'body.kind', reason: 'unknown_field' });
    const missing = await admin.request('PATCH', '/api/v1/devices/00000000-0000-4000-8000-000000000000', {
      name: 'x',
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('POST /api/v1/devices/:id/token', () => {
  it('rotates the token: the new one works at once, the old one is refused', async () => {
    const d = await createDevice(admin, home);
    expect((await sendAlarm(t, d.token, alarmBody(t, 'before-rotation'))).statusCode).toBe(201);
    const res = await admin.request('POST', `/api/v1/devices/${d.id}/token`);
    expect(res.statusCode).toBe(200);
    const rotated = res.json();
    expect(rotated.token).toMatch(/^zzd_[0-9a-f]{64}$/);
    expect(rotated.token).not.toBe(d.token);
    expect(rotated.tokenPrefix).toBe(rotated.token.slice(0, 12));
    expect(rotated.tokenRotatedAt).toBe(t.clock.now().toISOString());

    const old = await sendAlarm(t, d.token, alarmBody(t, 'after-rotation'));
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('auth.token_invalid');
    expect((await sendAlarm(t, rotated.token, alarmBody(t, 'after-rotation'))).statusCode).toBe(201);
    const audit = (await admin.request('GET', '/api/v1/audit-log?action=device.rotate_token')).json();
    expect(audit.items.some((a: { targetId: string }) => a.targetId === d.id)).toBe(true);
  });
});

describe('permissions', () => {
  it('only administrators manage devices (403 for everyone else, whatever they send)', async () => {
    const d = await createDevice(admin, home);
    for (const username of ['leader', 'dispatcher', 'gridworker', 'auditor', 'steward']) {
      const c = await t.login(username);
      const calls: [string, string, object | undefined][] = [
        ['GET', '/api/v1/devices', undefined],
        ['POST', '/api/v1/devices', deviceBody(home)],
        ['PATCH', `/api/v1/devices/${d.id}`, { disabled: true }],
        ['POST', `/api/v1/devices/${d.id}/token`, {}],
      ];
      for (const [method, url, body] of calls) {
        const res = await c.request(method, url, body);
        expect(`${username} ${method} ${url} ${res.statusCode}`).toBe(`${username} ${method} ${url} 403`);
        expect(res.json().code).toBe('auth.forbidden');
      }
    }
    // The token still works: nothing above changed the device.
    expect((await sendAlarm(t, d.token, alarmBody(t, 'still-mine'))).statusCode).toBe(201);
  });
});
