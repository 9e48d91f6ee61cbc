import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { HOME, pointIn } from '../../../../test/support/case-helpers.ts';
import {
  alarmBody,
  createDevice,
  sendAlarm,
  type CreatedDevice,
} from '../../../../test/support/device-helpers.ts';

let t: TestApp;
let admin: TestClient;
let home: { lng: number; lat: number };
let elsewhere: { lng: number; lat: number };
let device: CreatedDevice;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  home = await pointIn(t, HOME);
  elsewhere = await pointIn(t, '990102002001');
  device = await createDevice(admin, home, { name: '示范路积水点', code: 'JS-0001' });
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const casesOfDevice = async (deviceId: string) =>
  (
    await t.database.db
      .selectFrom('device_alarm')
      .select(['alarm_id', 'case_id'])
      .where('device_id', '=', deviceId)
      .execute()
  ).length;

describe('POST /api/v1/sensor/alarms', () => {
  it('files a sensor case at the device’s install point, with the device’s defaults, and marks it seen', async () => {
    const res = await sendAlarm(t, device.token, alarmBody(t, 'evt-0001'));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['caseId', 'code', 'state']);
    expect(body.code).toMatch(/^20261122\d{5}$/);
    expect(body.state).toBe('reported');

    const c = (await admin.request('GET', `/api/v1/cases/${body.caseId}`)).json();
    expect(c).toMatchObject({
      channel: 'sensor',
      categoryCode: 'SJ0406',
      urgency: 'urgent',
      title: '道路积水告警（示范路积水点）',
      lng: device.lng,
      lat: device.lat,
      gridCode: device.gridCode,
      reporterName: null,
    });
    expect(c.description).toContain('积水深度超过阈值');
    expect(c.description).toContain('设备：示范路积水点（JS-0001）');
    expect(c.description).toContain('读数：depth_cm=32；battery=0.81');
    expect(c.timeline[0]).toMatchObject({
      actorName: '示范路积水点（JS-0001）',
      role: null,
      event: 'create',
    });

    const alarm = await t.database.db
      .selectFrom('device_alarm')
      .selectAll()
      .where('case_id', '=', body.caseId)
      .executeTakeFirstOrThrow();
    expect(alarm).toMatchObject({ device_id: device.id, alarm_id: 'evt-0001' });
    const readings = typeof alarm.readings === 'string' ? JSON.parse(alarm.readings) : alarm.readings;
    expect(readings).toEqual({ depth_cm: 32, battery: 0.81 });
    const list = (await admin.request('GET', `/api/v1/devices?q=${device.code}`)).json();
    expect(list.items[0].lastSeenAt).toBe(t.clock.now().toISOString());
  });

  it('the same alarm again (also concurrently) → the same case and the same reply (200); another body → 422', async () => {
    const body = alarmBody(t, 'evt-0002', { urgency: 'emergency', title: '积水严重' });
    const first = await sendAlarm(t, device.token, body);
    expect(first.statusCode).toBe(201);
    const again = await Promise.all([1, 2, 3].map(() => sendAlarm(t, device.token, body)));
    expect(again.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    for (const r of again) expect(r.body).toBe(first.body);
    const rows = await t.database.db
      .selectFrom('device_alarm')
      .select('case_id')
      .where('device_id', '=', device.id)
      .where('alarm_id', '=', 'evt-0002')
      .execute();
    expect(rows).toEqual([{ case_id: first.json().caseId }]);
    const cases = await t.database.db
      .selectFrom('case')
      .select('id')
      .where('title', '=', '积水严重')
      .execute();
    expect(cases).toHaveLength(1);

    const changed = await sendAlarm(t, device.token, { ...body, description: '另一次告警' });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe('idempotency.mismatch');
    // Another device may use the same alarm id: its own case.
    const other = await createDevice(admin, home);
    const theirs = await sendAlarm(t, other.token, body);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().caseId).not.toBe(first.json().caseId);
  });

  it('an alarm may name its own category, and a location within SENSOR_LOCATION_RADIUS_M (50 m): filed there', async () => {
    // 0.0002° of latitude ≈ 22 m north of the device.
    const near = { lng: device.lng, lat: device.lat + 0.0002 };
    const res = await sendAlarm(
      t,
      device.token,
      alarmBody(t, 'evt-0003', { location: near, categoryCode: 'SJ0156', readings: undefined }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const c = (await admin.request('GET', `/api/v1/cases/${res.json().caseId}`)).json();
    expect(c.lng).toBeCloseTo(near.lng, 6);
    expect(c.lat).toBeCloseTo(near.lat, 6);
    expect(c.categoryCode).toBe('SJ0156');
    expect(c.description).not.toContain('读数');
  });

  it('an alarm 500 m from the device, or in another community → 400 naming body.location', async () => {
    const before = await casesOfDevice(device.id);
    // 0.0045° of latitude ≈ 500 m.
    for (const [id, location] of [
      ['far-1', { lng: device.lng, lat: device.lat + 0.0045 }],
      ['far-2', elsewhere],
    ] as const) {
      const res = await sendAlarm(t, device.token, alarmBody(t, id, { location }), {
        'accept-language': 'en',
      });
      expect(res.statusCode, id).toBe(400);
      expect(res.json().issues).toEqual([
        {
          field: 'body.location',
          reason: 'too_far',
          message: 'the alarm location lies more than 50 m from the device’s registered point',
        },
      ]);
    }
    expect(await casesOfDevice(device.id)).toBe(before);
  });

  it('observedAt a day ahead, or before the device was registered (beyond SENSOR_CLOCK_SKEW_S) → 400', async () => {
    const before = await casesOfDevice(device.id);
    const registered = new Date(
      (await admin.request('GET', `/api/v1/devices?q=${device.code}`)).json().items[0].createdAt,
    ).getTime();
    for (const [id, at, reason] of [
      ['time-1', t.clock.now().getTime() + 86_400_000, 'in_future'],
      ['time-2', registered - 86_400_000, 'before_registration'],
      ['time-3', registered - 301_000, 'before_registration'],
    ] as const) {
      const res = await sendAlarm(
        t,
        device.token,
        alarmBody(t, id, { observedAt: new Date(at).toISOString() }),
      );
      expect(`${id} ${res.statusCode}`).toBe(`${id} 400`);
      expect(
        res.json().issues.map((i: { field: string; reason: string }) => `${i.field}:${i.reason}`),
      ).toEqual([`body.observedAt:${reason}`]);
    }
    expect(await casesOfDevice(device.id)).toBe(before);
    // Within the skew of the registration (a device clock a little slow) is accepted.
    const ok = await sendAlarm(
      t,
      device.token,
      alarmBody(t, 'time-4', { observedAt: new Date(registered - 60_000).toISOString() }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('bad input → 400 naming the field; nothing is written', async () => {
    const before = await casesOfDevice(device.id);
    const cases: [object, string][] = [
      [alarmBody(t, 'bad-1', { location: { lng: 0, lat: 0 } }), 'body.location'],
      [alarmBody(t, 'bad-2', { categoryCode: 'XX9999' }), 'body.categoryCode'],
      [
        alarmBody(t, 'bad-3', { observedAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() }),
        'body.observedAt',
      ],
      [alarmBody(t, 'bad-4', { observedAt: 'yesterday' }), 'body.observedAt'],
      [alarmBody(t, ''), 'body.alarmId'],
      [alarmBody(t, 'x'.repeat(101)), 'body.alarmId'],
      [alarmBody(t, 'bad-5', { urgency: 'whenever' }), 'body.urgency'],
      [alarmBody(t, 'bad-6', { readings: { depth: { nested: 1 } } }), 'body.readings.depth'],
      [alarmBody(t, 'bad-7', { channel: 'sensor' }), 'body.channel'],
    ];
    for (const [body, field] of cases) {
      const res = await sendAlarm(t, device.token, body);
      expect(`${field} ${res.statusCode}`).toBe(`${field} 400`);
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    expect(await casesOfDevice(device.id)).toBe(before);
  });

  it('no token, a wrong one, a staff session or bearer token, or a disabled device → 401 problem+json', async () => {
    const body = alarmBody(t, 'evt-auth');
    const refusals = [
      await sendAlarm(t, null, body),
      await sendAlarm(t, `zzd_${'0'.repeat(64)}`, body),
      await sendAlarm(t, device.token.slice(0, -1) + (device.token.endsWith('0') ? '1' : '0'), body),
      await sendAlarm(t, 'nonsense', body),
      await sendAlarm(t, null, body, { authorization: `Bearer ${device.token}` }),
      await admin.request('POST', '/api/v1/sensor/alarms', body),
    ];
    for (const res of refusals) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('auth.token_invalid');
    }
    // Refused before the body is read: an invalid body without a token is 401 too, not 400.
    expect((await sendAlarm(t, null, { nonsense: true })).statusCode).toBe(401);

    const off = await createDevice(admin, home);
    expect((await sendAlarm(t, off.token, alarmBody(t, 'evt-off-1'))).statusCode).toBe(201);
    await admin.request('PATCH', `/api/v1/devices/${off.id}`, { disabled: true });
    const disabled = await sendAlarm(t, off.token, alarmBody(t, 'evt-off-2'));
    expect(disabled.statusCode).toBe(401);
    await admin.request('PATCH', `/api/v1/devices/${off.id}`, { disabled: false });
    expect((await sendAlarm(t, off.token, alarmBody(t, 'evt-off-2'))).statusCode).toBe(201);
    expect(await casesOfDevice(off.id)).toBe(2);
  });

  it('at most 60 requests per device per minute: then 429 with Retry-After, other devices unaffected', async () => {
    const busy = await createDevice(admin, home);
    const quiet = await createDevice(admin, home);
    const body = alarmBody(t, 'evt-burst');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await sendAlarm(t, busy.token, body)).statusCode);
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
    const limited = await sendAlarm(t, busy.token, body);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await sendAlarm(t, quiet.token, body)).statusCode).toBe(201);
    t.clock.advance(61_000);
    expect((await sendAlarm(t, busy.token, body)).statusCode).toBe(200);
    expect(await casesOfDevice(busy.id)).toBe(1);
  });
});
