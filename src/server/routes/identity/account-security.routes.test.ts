import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../services/demo/demo.service.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

const MAX_FAILURES = 3;
const MAX_DELAY_MINUTES = 2;

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp({
    LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    LOGIN_MAX_DELAY_MINUTES: String(MAX_DELAY_MINUTES),
    // Only the per-username throttle is under test here.
    LOGIN_RATE_PER_MINUTE: '10000',
  });
  admin = await t.login('admin');
});
afterAll(() => t.close());

const login = (username: string, password: string, ip = '203.0.113.1'): Promise<LightMyRequestResponse> =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
    headers: { 'accept-language': 'en' },
  });

async function signIn(username: string, password: string, ip?: string): Promise<TestClient> {
  const res = await login(username, password, ip);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'zhizhi_session')!.value;
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrfToken,
    request: (method, url, body, headers = {}) =>
      t.app.inject({
        method: method as 'GET',
        url,
        cookies: { zhizhi_session: cookie },
        headers: { 'x-csrf-token': csrfToken, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
  };
}

async function auditRows(action: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
}

describe('sign-in throttling instead of account lockout', () => {
  it('10 wrong passwords for admin from one address do not stop admin signing in from another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login('admin', 'Wrong-password-1', '203.0.113.10')).statusCode);
    expect(statuses.slice(0, MAX_FAILURES)).toEqual(Array(MAX_FAILURES).fill(401));
    // Past the free failures, that address waits before it is heard again.
    expect(statuses.slice(MAX_FAILURES).every((s) => s === 429)).toBe(true);
    expect((await login('admin', DEMO_PASSWORD, '203.0.113.11')).statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom('staff')
      .select(['locked_until', 'failed_logins'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.locked_until).toBeNull();
  });

  it('the waits double from one second up to LOGIN_MAX_DELAY_MINUTES; the throttling is audited', async () => {
    const ip = '203.0.113.20';
    const before = (await auditRows('auth.throttled')).length;
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await login('leader', 'Wrong-password-1', ip)).statusCode).toBe(401);
    const audited = await auditRows('auth.throttled');
    expect(audited).toHaveLength(before + 1);
    expect(audited.at(-1)!.details).toMatchObject({ username: 'leader', ip });

    // Even the right password waits: the attempt is not evaluated.
    const held = await login('leader', DEMO_PASSWORD, ip);
    expect(held.statusCode).toBe(429);
    expect(held.json().code).toBe('rate_limited');
    expect(held.headers['retry-after']).toBe('1');
    expect(held.headers['set-cookie']).toBeUndefined();
    t.clock.advance(1000);
    expect((await login('leader', 'Wrong-password-1', ip)).statusCode).toBe(401);
    expect((await login('leader', DEMO_PASSWORD, ip)).headers['retry-after']).toBe('2');
    // Many more failures: the wait stops growing at the cap.
    for (let i = 0; i < 12; i++) {
      t.clock.advance(MAX_DELAY_MINUTES * 60_000);
      expect((await login('leader', 'Wrong-password-1', ip)).statusCode).toBe(401);
    }
    expect((await login('leader', DEMO_PASSWORD, ip)).headers['retry-after']).toBe(
      String(MAX_DELAY_MINUTES * 60),
    );
    t.clock.advance(MAX_DELAY_MINUTES * 60_000);
    // Once heard, the right password signs in and clears the address's failures.
    expect((await login('leader', DEMO_PASSWORD, ip)).statusCode).toBe(200);
    expect((await login('leader', 'Wrong-password-1', ip)).statusCode).toBe(401);
    expect((await login('leader', DEMO_PASSWORD, ip)).statusCode).toBe(200);
    admin = await t.login('admin'); // the clock moved past the admin session's lifetime
  });
});

describe('passwords and sessions', () => {
  it('changing one’s password ends one’s other sessions and keeps the current one', async () => {
    const here = await signIn('dispatcher', DEMO_PASSWORD);
    const elsewhere = await signIn('dispatcher', DEMO_PASSWORD, '203.0.113.30');
    const res = await here.request('POST', '/api/v1/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'Dispatcher12345',
    });
    expect(res.statusCode).toBe(204);
    expect((await here.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const old = await elsewhere.request('GET', '/api/v1/auth/me');
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('auth.unauthenticated');
  });

  it('an administrator’s reset ends every session of that account', async () => {
    const one = await signIn('shiftlead', DEMO_PASSWORD);
    const two = await signIn('shiftlead', DEMO_PASSWORD, '203.0.113.31');
    const id = (await one.request('GET', '/api/v1/auth/me')).json().user.id as string;
    const reset = await admin.request('POST', `/api/v1/users/${id}/reset-password`);
    expect(reset.statusCode, reset.body).toBe(200);
    for (const c of [one, two]) expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('a temporary password allows only the change, /auth/me and logout until it is changed', async () => {
    const created = await admin.request('POST', '/api/v1/users', {
      username: 'fresh-one',
      displayName: '新同事',
      role: 'dispatcher',
      password: 'Initial12345',
      scope: { regionCode: '990102001000' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const c = await signIn('fresh-one', 'Initial12345');
    const cases = await c.request('GET', '/api/v1/cases', undefined, { 'accept-language': 'en' });
    expect(cases.statusCode).toBe(403);
    expect(cases.json().code).toBe('auth.password_change_required');
    expect(cases.json().title).toMatch(/temporary password/);
    const me = await c.request('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);
    // Public routes stay public; a write elsewhere is refused too.
    expect((await c.request('GET', '/api/v1/system/info')).statusCode).toBe(200);
    const write = await c.request('POST', '/api/v1/departments', {
      code: 'TMPDEP',
      name: '临时',
      regionCode: '990102001000',
    });
    expect(write.json().code).toBe('auth.password_change_required');

    const changed = await c.request('POST', '/api/v1/auth/password', {
      currentPassword: 'Initial12345',
      newPassword: 'FreshOne12345',
    });
    expect(changed.statusCode).toBe(204);
    expect((await c.request('GET', '/api/v1/cases')).statusCode).toBe(200);
    expect((await c.request('GET', '/api/v1/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await c.request('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
  });
});
