import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../services/demo/demo.service.ts';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const MAX_FAILURES = 3;
const TTL_HOURS = 2;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    SESSION_TTL_HOURS: String(TTL_HOURS),
    // This file signs in far more often than a person would; the rate limit has its own app below.
    LOGIN_RATE_PER_MINUTE: '10000',
  });
});
afterAll(() => t.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });

async function auditCount(action: string): Promise<number> {
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function sessionCount(): Promise<number> {
  const r = await t.database.db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('sign-in', () => {
  it('a wrong password → 401 auth.invalid_credentials; an unknown user gets the very same answer', async () => {
    const wrong = await login('leader', 'Wrong-password-1');
    const unknown = await login('no-such-user', 'Wrong-password-1');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const a = wrong.json();
    const b = unknown.json();
    expect(a.code).toBe('auth.invalid_credentials');
    expect({ ...a, requestId: '' }).toEqual({ ...b, requestId: '' });
    // Reset leader's counter for later tests.
    expect((await login('leader', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a success sets an HttpOnly, SameSite session cookie and returns the user and a CSRF token', async () => {
    const res = await login('dispatcher', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'zhizhi_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(String(cookie!.sameSite).toLowerCase()).toMatch(/^(lax|strict)$/);
    expect(cookie!.path).toBe('/');
    expect(cookie!.maxAge).toBe(TTL_HOURS * 3600);
    const body = res.json();
    expect(body.user.username).toBe('dispatcher');
    expect(body.user.role).toBe('dispatcher');
    expect(body.csrfToken).toMatch(/^[0-9a-f]{32,}$/);
    // Only a hash of the session id is stored.
    const rows = await t.database.db.selectFrom('session').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === cookie!.value)).toBe(false);

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { zhizhi_session: cookie!.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('dispatcher');
    expect(me.json().user.permissions).toContain('workbench.view');
    expect(me.json().csrfToken).toBe(body.csrfToken);
  });

  it('/auth/me without a session or with a forged cookie → 401', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('auth.unauthenticated');
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { zhizhi_session: 'f'.repeat(64) },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('a success resets the failure count of that username from that address', async () => {
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      expect((await login('intake', 'Wrong-password-1')).statusCode).toBe(401);
    }
    expect((await login('intake', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      expect((await login('intake', 'Wrong-password-1')).statusCode).toBe(401);
    }
    // Had the count not been reset, this address would now have to wait (429).
    expect((await login('intake', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a disabled account cannot sign in, even with the right password', async () => {
    await t.database.db
      .updateTable('staff')
      .set({ disabled: true })
      .where('username', '=', 'auditor')
      .execute();
    const res = await login('auditor', DEMO_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.account_disabled');
    expect(res.headers['set-cookie']).toBeUndefined();
    const wrong = await login('auditor', 'Wrong-password-1');
    expect(wrong.statusCode).toBe(401);
    await t.database.db
      .updateTable('staff')
      .set({ disabled: false })
      .where('username', '=', 'auditor')
      .execute();
    expect((await login('auditor', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a malformed login body → 400 naming the field, no session', async () => {
    const before = await sessionCount();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string }) => i.field)).toContain('body.password');
    expect(await sessionCount()).toBe(before);
  });
});

describe('CSRF', () => {
  it('a cookie-authenticated write without or with a wrong X-CSRF-Token → 403 auth.csrf_failed, nothing written', async () => {
    const admin = await t.login('admin');
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('department')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const auditBefore = await auditCount('department.create');
    const payload = { code: 'CSRFDEP', name: '跨站部门', regionCode: '990102000000' };
    const without = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      cookies: { zhizhi_session: admin.cookie },
      payload,
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('auth.csrf_failed');
    const wrong = await admin.request('POST', '/api/v1/departments', payload, { 'x-csrf-token': 'nope' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('auth.csrf_failed');
    // Another session's token is no good either.
    const other = await t.login('admin');
    const crossed = await admin.request('POST', '/api/v1/departments', payload, {
      'x-csrf-token': other.csrfToken,
    });
    expect(crossed.statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect(await auditCount('department.create')).toBe(auditBefore);

    const ok = await admin.request('POST', '/api/v1/departments', payload);
    expect(ok.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('signing in again while an old session cookie lingers needs no CSRF token', async () => {
    const old = await t.login('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: { zhizhi_session: old.cookie },
      payload: { username: 'leader', password: DEMO_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.username).toBe('leader');
  });

  it('logout is a write too and needs the CSRF token', async () => {
    const c = await t.login('leader');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { zhizhi_session: c.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('session lifetime', () => {
  it('logout ends the session', async () => {
    const c = await t.login('leader');
    expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const out = await c.request('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((x) => x.name === 'zhizhi_session');
    expect(cleared?.value).toBe('');
    const me = await c.request('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('auth.unauthenticated');
  });

  it('a session expires after SESSION_TTL_HOURS', async () => {
    const c = await t.login('leader');
    t.clock.advance(TTL_HOURS * 3600_000 - 60_000);
    expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(120_000);
    const me = await c.request('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('auth.unauthenticated');
  });
});

describe('changing one’s own password', () => {
  it('enforces the policy, naming body.newPassword, and leaves the old password working', async () => {
    const c = await t.login('gridworker');
    const weak = await c.request(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: DEMO_PASSWORD, newPassword: 'short1' },
      { 'accept-language': 'en' },
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.headers['content-type']).toMatch(/^application\/problem\+json/);
    const issue = weak.json().issues.find((i: { field: string }) => i.field === 'body.newPassword');
    expect(issue).toMatchObject({ reason: 'weak_password' });
    expect(issue.message).toMatch(/at least 10 characters/);
    for (const newPassword of ['onlyletterslong', '1234567890123']) {
      const res = await c.request('POST', '/api/v1/auth/password', {
        currentPassword: DEMO_PASSWORD,
        newPassword,
      });
      expect(res.statusCode, newPassword).toBe(400);
    }
    expect((await login('gridworker', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('needs the current password', async () => {
    const c = await t.login('gridworker');
    const res = await c.request('POST', '/api/v1/auth/password', {
      currentPassword: 'Not-the-password-1',
      newPassword: 'NewSecret12345',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_credentials');
    expect((await login('gridworker', 'NewSecret12345')).statusCode).toBe(401);
  });

  it('changes the password: the new one works, the old one does not, and it is audited', async () => {
    const c = await t.login('gridworker');
    const before = await auditCount('user.change_password');
    const res = await c.request('POST', '/api/v1/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'NewSecret12345',
    });
    expect(res.statusCode).toBe(204);
    expect(await auditCount('user.change_password')).toBe(before + 1);
    expect((await login('gridworker', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await login('gridworker', 'NewSecret12345')).statusCode).toBe(200);
  });
});

describe('login rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ LOGIN_RATE_PER_MINUTE: '3' });
  });
  afterAll(() => limited.close());

  it('more than LOGIN_RATE_PER_MINUTE attempts from one address → 429 problem+json', async () => {
    const attempt = (password: string, ip = '10.0.0.1') =>
      limited.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'leader', password },
        remoteAddress: ip,
        headers: { 'accept-language': 'en' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt('Wrong-password-1')).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    const over = await attempt(DEMO_PASSWORD);
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json().code).toBe('rate_limited');
    expect(over.json().title).toMatch(/Too many requests/);
    expect(over.headers['set-cookie']).toBeUndefined();
    // Another address is not affected.
    expect((await attempt(DEMO_PASSWORD, '10.0.0.2')).statusCode).toBe(200);
  });
});
