import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notAnImage, tinyJpeg, tinyPng } from '../../../../test/support/test-images.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { photoOf, uploadPublic } from '../../../../test/support/upload-helpers.ts';
import { departmentId, HOME, pointIn, putInState, writes } from '../../../../test/support/case-helpers.ts';

/** Small limits so that the rate-limit tests stay short; every other test uses its own client address. */
const RATE = 12;
const LOOKUPS = 5;

let t: TestApp;
let intake: TestClient;
let handler: TestClient;
let home: { lng: number; lat: number };
let cgw: string;
let ipSeq = 0;
const nextIp = () => `192.0.2.${++ipSeq}`;

beforeAll(async () => {
  t = await createTestApp({
    PUBLIC_RATE_PER_MINUTE: String(RATE),
    TRACK_LOOKUP_RATE_PER_HOUR: String(LOOKUPS),
  });
  intake = await t.login('intake');
  handler = await t.login('handler');
  home = await pointIn(t, HOME);
  cgw = await departmentId(t, 'CGW');
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

function call(
  method: 'GET' | 'POST',
  url: string,
  body?: object,
  opts: { ip?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    ...(body ? { payload: body } : {}),
    headers: opts.headers ?? {},
    remoteAddress: opts.ip ?? nextIp(),
  });
}

const report = (over: Record<string, unknown> = {}) => ({
  categoryCode: 'RX010101',
  title: '小区门口路灯不亮',
  description: '连续三晚不亮，晚上很黑',
  location: home,
  address: '示范路 1 号',
  reporter: { name: '李四', phone: '139 1234 5678' },
  ...over,
});

async function reportCase(over: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/public/cases', report(over));
  expect(res.statusCode).toBe(201);
  const out = res.json() as { code: string; trackingToken: string; trackingUrl: string };
  const row = await t.database.db
    .selectFrom('case')
    .selectAll()
    .where('code', '=', out.code)
    .executeTakeFirstOrThrow();
  return { ...out, row };
}

const issues = (res: LightMyRequestResponse) =>
  (res.json() as { issues?: { field: string; reason: string }[] }).issues?.map(
    (i) => `${i.field} ${i.reason}`,
  );

describe('public photo upload', () => {
  it('accepts an image without an account, refuses anything else by content', async () => {
    const ok = await uploadPublic(t, tinyPng(), nextIp(), {
      filename: 'x.pdf',
      contentType: 'application/pdf',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().contentType).toBe('image/png');
    const row = await t.database.db
      .selectFrom('attachment')
      .select(['public_upload', 'uploaded_by', 'case_id'])
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ public_upload: true, uploaded_by: null, case_id: null });
    const bad = await uploadPublic(t, notAnImage, nextIp(), { filename: 'photo.jpg' });
    expect(bad.statusCode).toBe(415);
    expect(issues(bad)).toEqual(['file not_an_image']);
  });

  it('is rate limited per address (429 problem), other addresses are unaffected', async () => {
    const ip = nextIp();
    const codes: number[] = [];
    for (let i = 0; i <= RATE; i++) codes.push((await uploadPublic(t, tinyJpeg(), ip)).statusCode);
    expect(codes.slice(0, RATE).every((c) => c === 201)).toBe(true);
    const limited = await uploadPublic(t, tinyJpeg(), ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect((await uploadPublic(t, tinyJpeg(), nextIp())).statusCode).toBe(201);
  });
});

describe('POST /api/v1/public/cases', () => {
  it('files a web report in state reported, with photos, an encrypted reporter and only the token’s hash', async () => {
    const photo = (await uploadPublic(t, tinyJpeg(), nextIp())).json().id as string;
    const { code, trackingToken, trackingUrl, row } = await reportCase({ photos: [photo] });
    expect(code).toMatch(/^\d{13}$/);
    expect(trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(trackingToken, 'base64url')).toHaveLength(32);
    expect(trackingUrl).toBe(`/track/${trackingToken}`);
    expect(row).toMatchObject({ channel: 'web', state: 'reported', urgency: 'normal', reporter_role: null });
    expect(row.created_by).toBeNull();
    expect(row.tracking_token_hash).toBe(createHash('sha256').update(trackingToken).digest('hex'));
    expect(row.reporter_phone).toMatch(/^enc:v1:/);
    expect(row.reporter_name).toMatch(/^enc:v1:/);
    const ev = await t.database.db
      .selectFrom('case_event')
      .select(['actor_name', 'role', 'actor_id', 'event'])
      .where('case_id', '=', row.id)
      .execute();
    expect(ev).toEqual([{ actor_name: '市民', role: null, actor_id: null, event: 'create' }]);
    const linked = await t.database.db
      .selectFrom('attachment')
      .select(['case_id', 'purpose'])
      .where('id', '=', photo)
      .executeTakeFirstOrThrow();
    expect(linked).toEqual({ case_id: row.id, purpose: 'report' });
    // Staff see the photo in the case detail.
    const detail = (await intake.request('GET', `/api/v1/cases/${row.id}`)).json();
    expect(detail.attachments.map((a: { id: string }) => a.id)).toEqual([photo]);
    expect(detail.reporterPhone).toBe('139****5678');
  });

  it('the same Idempotency-Key gives one case and the same code and token; another body → 422', async () => {
    const headers = { 'idempotency-key': 'public-idem-0001' };
    const body = report({ title: '公众幂等测试' });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/api/v1/public/cases', body, { headers })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    const rows = await t.database.db
      .selectFrom('case')
      .select('id')
      .where('title', '=', '公众幂等测试')
      .execute();
    expect(rows).toHaveLength(1);
    // The stored answer to a retry keeps the token encrypted.
    const token = results[0]!.json().trackingToken as string;
    const stored = await t.database.db
      .selectFrom('idempotency_key')
      .select('response')
      .where('key', '=', 'public-idem-0001')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.response)).not.toContain(token);
    const other = await call('POST', '/api/v1/public/cases', report({ title: '另一个' }), { headers });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency.mismatch');
  });

  it('refuses a staff upload as a public photo, unknown fields, and staff-only fields such as channel', async () => {
    const staffPhoto = await photoOf(intake);
    const res = await call('POST', '/api/v1/public/cases', report({ photos: [staffPhoto] }));
    expect(res.statusCode).toBe(400);
    expect(issues(res)).toEqual(['body.photos not_found']);
    const channel = await call('POST', '/api/v1/public/cases', report({ channel: 'hotline' }));
    expect(channel.statusCode).toBe(400);
    expect(issues(channel)).toEqual(['body.channel unknown_field']);
  });

  it('is rate limited per address', async () => {
    const ip = nextIp();
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i <= RATE; i++) last = await call('POST', '/api/v1/public/cases', { title: '' }, { ip });
    expect(last!.statusCode).toBe(429);
  });
});

describe('tracking', () => {
  it('by token: stage, public timeline without staff names or comments, and the reporter’s photos', async () => {
    const photo = (await uploadPublic(t, tinyJpeg(), nextIp())).json().id as string;
    const { trackingToken, row } = await reportCase({ photos: [photo] });
    const first = await call('GET', `/api/v1/public/track/${trackingToken}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      code: row.code,
      categoryName: expect.any(String),
      title: row.title,
      state: 'reported',
      stage: 'submitted',
      timeline: [{ stage: 'submitted' }],
      reply: null,
      canRate: false,
    });
    expect(first.json().categoryName).not.toBe(row.category_code);
    const reg = await intake.request('POST', `/api/v1/cases/${row.id}/events`, {
      event: 'register',
      expectedVersion: row.version,
      comment: '内部备注：联系城管科王科长',
    });
    expect(reg.statusCode).toBe(200);
    const after = await call('GET', `/api/v1/public/track/${trackingToken}`);
    const view = after.json();
    expect(view.stage).toBe('accepted');
    expect(view.timeline.map((e: { stage: string }) => e.stage)).toEqual(['submitted', 'accepted']);
    const me = (await intake.request('GET', '/api/v1/auth/me')).json();
    expect(after.body).not.toContain('内部备注');
    expect(after.body).not.toContain(me.user.displayName);
    expect(after.body).not.toContain('5678');
    expect(view.photos).toEqual([
      { id: photo, purpose: 'report', url: expect.stringMatching(/^\/api\/v1\/public\/photos\//) },
    ]);
    const img = await call('GET', view.photos[0].url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.rawPayload.equals(tinyJpeg())).toBe(true);
  });

  it('signed photo links: altered or expired → 404', async () => {
    const photo = (await uploadPublic(t, tinyJpeg(), nextIp())).json().id as string;
    const { trackingToken } = await reportCase({ photos: [photo] });
    const url = (await call('GET', `/api/v1/public/track/${trackingToken}`)).json().photos[0].url as string;
    const other = (await uploadPublic(t, tinyPng(), nextIp())).json().id as string;
    expect((await call('GET', url.replace(photo, other))).statusCode).toBe(404);
    expect((await call('GET', url.replace(/sig=.{5}/, 'sig=AAAAA'))).statusCode).toBe(404);
    const start = t.clock.now();
    t.clock.advance(3 * 3600_000);
    try {
      expect((await call('GET', url)).statusCode).toBe(404);
    } finally {
      t.clock.set(start);
    }
  });

  it('an unknown token, an unknown code and a wrong phone tail all answer the same 404', async () => {
    const { code } = await reportCase();
    const unknownToken = await call('GET', `/api/v1/public/track/${'A'.repeat(43)}`);
    const wrongTail = await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: '0000' });
    const unknownCode = await call('POST', '/api/v1/public/track/lookup', {
      code: '2000010100001',
      phoneTail: '5678',
    });
    for (const r of [unknownToken, wrongTail, unknownCode]) {
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('resource.not_found');
    }
    expect(wrongTail.json().detail).toBe(unknownCode.json().detail);
    const ok = await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: '5678' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().code).toBe(code);
    const malformed = await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: '56' });
    expect(malformed.statusCode).toBe(400);
    expect(issues(malformed)).toEqual(['body.phoneTail invalid_format']);
  });

  it('code + tail guesses are limited per address and code', async () => {
    const { code } = await reportCase();
    const { code: otherCode } = await reportCase();
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      statuses.push(
        (await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: String(1000 + i) }, { ip }))
          .statusCode,
      );
    }
    expect(statuses).toEqual(Array.from({ length: LOOKUPS }, () => 404));
    // Even the right digits are refused now from this address for this code…
    const limited = await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: '5678' }, { ip });
    expect(limited.statusCode).toBe(429);
    // …while another code, or another address, still answers.
    expect(
      (await call('POST', '/api/v1/public/track/lookup', { code: otherCode, phoneTail: '5678' }, { ip }))
        .statusCode,
    ).toBe(200);
    expect((await call('POST', '/api/v1/public/track/lookup', { code, phoneTail: '5678' })).statusCode).toBe(
      200,
    );
  });
});

describe('rating', () => {
  it('only a closed case can be rated: 409 before; then replied as 市民 with ledger and version; again → 409', async () => {
    const { trackingToken, row } = await reportCase();
    const rating = { resolved: true, satisfaction: 'basically_satisfied', comment: '处理及时' };
    const early = await call('POST', `/api/v1/public/track/${trackingToken}/rating`, rating);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('case.invalid_transition');
    await putInState(t, row.id, 'closed', cgw);
    const before = await writes(t, row.id);
    const view0 = (await call('GET', `/api/v1/public/track/${trackingToken}`)).json();
    expect(view0).toMatchObject({ stage: 'closed', canRate: true });
    const res = await call('POST', `/api/v1/public/track/${trackingToken}/rating`, rating);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'replied',
      stage: 'rated',
      canRate: false,
      reply: { resolved: true, satisfaction: 'basically_satisfied' },
    });
    expect(await writes(t, row.id)).toEqual({
      version: before.version + 1,
      events: before.events + 1,
      ledger: before.ledger + 1,
    });
    const c = await t.database.db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ reply_satisfaction: 'basically_satisfied', reply_resolved: true });
    expect(c.replied_at?.toISOString()).toBe(t.clock.now().toISOString());
    const last = await t.database.db
      .selectFrom('case_event')
      .select(['actor_name', 'actor_id', 'role', 'event', 'from_state', 'to_state', 'comment'])
      .where('case_id', '=', row.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({
      actor_name: '市民',
      actor_id: null,
      role: null,
      event: 'reply',
      from_state: 'closed',
      to_state: 'replied',
      comment: '处理及时',
    });
    const again = await call('POST', `/api/v1/public/track/${trackingToken}/rating`, rating);
    expect(again.statusCode).toBe(409);
    // Staff see the reply; an unsatisfied one could now be reopened by intake within the window.
    const detail = (await intake.request('GET', `/api/v1/cases/${row.id}`)).json();
    expect(detail.state).toBe('replied');
  });

  it('by code + phone tail; a wrong tail → 404; a missing satisfaction → 400 naming it', async () => {
    const { code, row } = await reportCase();
    await putInState(t, row.id, 'closed', cgw);
    const wrong = await call('POST', '/api/v1/public/track/rating', {
      code,
      phoneTail: '1111',
      resolved: false,
      satisfaction: 'unsatisfied',
    });
    expect(wrong.statusCode).toBe(404);
    const missing = await call('POST', '/api/v1/public/track/rating', {
      code,
      phoneTail: '5678',
      resolved: false,
    });
    expect(missing.statusCode).toBe(400);
    expect(issues(missing)).toEqual(['body.satisfaction invalid_value']);
    const ok = await call('POST', '/api/v1/public/track/rating', {
      code,
      phoneTail: '5678',
      resolved: false,
      satisfaction: 'unsatisfied',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().reply).toMatchObject({ resolved: false, satisfaction: 'unsatisfied' });
    const detail = (await intake.request('GET', `/api/v1/cases/${row.id}`)).json();
    expect(detail.allowedEvents).toContain('reopen');
  });

  it('the handling evidence is shown to the reporter only once the case is closed', async () => {
    const { trackingToken, row } = await reportCase();
    await putInState(t, row.id, 'in_progress', cgw);
    const v = (await handler.request('GET', `/api/v1/cases/${row.id}`)).json().version as number;
    const handled = await handler.request('POST', `/api/v1/cases/${row.id}/events`, {
      event: 'handle',
      expectedVersion: v,
      evidence: [await photoOf(handler)],
    });
    expect(handled.statusCode).toBe(200);
    const during = (await call('GET', `/api/v1/public/track/${trackingToken}`)).json();
    expect(during.stage).toBe('in_progress');
    expect(during.photos).toEqual([]);
    await putInState(t, row.id, 'closed', cgw);
    const closed = (await call('GET', `/api/v1/public/track/${trackingToken}`)).json();
    expect(closed.photos.map((p: { purpose: string }) => p.purpose)).toEqual(['evidence']);
  });
});

describe('what the report form reads without an account', () => {
  it('categories, community outlines and the inside check', async () => {
    const cats = await call('GET', '/api/v1/public/categories');
    expect(cats.statusCode).toBe(200);
    expect(cats.json().items.map((c: { code: string }) => c.code)).toContain('RX01');
    expect(cats.body).not.toContain('timeLimits');
    const regions = await call('GET', '/api/v1/public/regions.geojson');
    expect(regions.statusCode).toBe(200);
    expect(regions.json().features).toHaveLength(20);
    const inside = await call('GET', `/api/v1/public/locate?lng=${home.lng}&lat=${home.lat}`);
    expect(inside.json()).toMatchObject({ inside: true, communityName: expect.any(String) });
    const outside = await call('GET', '/api/v1/public/locate?lng=0&lat=0');
    expect(outside.json()).toEqual({ inside: false, streetName: null, communityName: null });
  });
});
