import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../services/demo/demo.service.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await t.login('admin');
  adminId = (await admin.request('GET', '/api/v1/auth/me')).json().user.id;
});
afterAll(() => t.close());

interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  scope: { regionCode: string | null; regionName: string | null; departmentId: string | null };
  disabled: boolean;
}

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

async function audit(action: string, targetId: string) {
  return t.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
}

async function createUser(body: Record<string, unknown>, by: TestClient = admin): Promise<UserView> {
  const res = await by.request('POST', '/api/v1/users', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as UserView;
}

describe('user administration', () => {
  it('creates a user inside the admin’s scope; the action is audited with the actor', async () => {
    const u = await createUser({
      username: 'newbie',
      displayName: '新同事',
      role: 'dispatcher',
      password: 'Initial12345',
      scope: { regionCode: '990102001000' },
      phone: '010-12345678',
    });
    expect(u).toMatchObject({
      username: 'newbie',
      role: 'dispatcher',
      disabled: false,
      scope: { regionCode: '990102001000', departmentId: null },
    });
    expect(u.scope.regionName).toBeTruthy();
    const rows = await audit('user.create', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).toBe(adminId);
    expect(rows[0]!.actor_name).toBe('admin');
    expect(JSON.stringify(rows[0]!.details)).not.toContain('Initial12345');
    // The new account signs in and must change its password first.
    const res = await login('newbie', 'Initial12345');
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    // The password is not stored in clear.
    const row = await t.database.db
      .selectFrom('staff')
      .select('password_hash')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('enforces the password policy, naming body.password', async () => {
    const res = await admin.request('POST', '/api/v1/users', {
      username: 'weakling',
      displayName: '弱密码',
      role: 'leader',
      password: 'abc',
      scope: { regionCode: '990102000000' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([
      expect.objectContaining({ field: 'body.password', reason: 'weak_password' }),
    ]);
    expect((await login('weakling', 'abc')).statusCode).toBe(401);
  });

  it('a duplicate username → 409 user.duplicate_username naming body.username', async () => {
    const res = await admin.request('POST', '/api/v1/users', {
      username: 'leader',
      displayName: '重名',
      role: 'leader',
      password: 'Another12345',
      scope: { regionCode: '990102000000' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('user.duplicate_username');
    expect(res.json().issues[0]).toMatchObject({ field: 'body.username', reason: 'duplicate' });
    // The original account is untouched.
    expect((await login('leader', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a non-admin role needs a scope; an unknown scope region or department is named', async () => {
    const noScope = await admin.request('POST', '/api/v1/users', {
      username: 'noscope',
      displayName: '无范围',
      role: 'leader',
      password: 'Another12345',
      scope: {},
    });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.json().issues[0]).toMatchObject({ field: 'body.scope', reason: 'required' });
    const badRegion = await admin.request('POST', '/api/v1/users', {
      username: 'badregion',
      displayName: '坏区划',
      role: 'leader',
      password: 'Another12345',
      scope: { regionCode: '990102009000' },
    });
    expect(badRegion.statusCode).toBe(400);
    expect(badRegion.json().issues[0]).toMatchObject({ field: 'body.scope.regionCode', reason: 'not_found' });
    const badDep = await admin.request('POST', '/api/v1/users', {
      username: 'baddep',
      displayName: '坏部门',
      role: 'handler',
      password: 'Another12345',
      scope: { regionCode: '990102000000', departmentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(badDep.statusCode).toBe(400);
    expect(badDep.json().issues[0]).toMatchObject({ field: 'body.scope.departmentId', reason: 'not_found' });
  });

  it('lists with paging and filters (q, role, disabled)', async () => {
    const all = await admin.request('GET', '/api/v1/users?pageSize=200');
    expect(all.statusCode).toBe(200);
    const total = all.json().total as number;
    expect(total).toBeGreaterThanOrEqual(9);
    expect(all.json().items).toHaveLength(total);

    const page1 = (await admin.request('GET', '/api/v1/users?page=1&pageSize=3')).json();
    const page2 = (await admin.request('GET', '/api/v1/users?page=2&pageSize=3')).json();
    expect(page1).toMatchObject({ page: 1, pageSize: 3, total });
    expect(page1.items).toHaveLength(3);
    expect(page2.items).toHaveLength(3);
    const ids1 = page1.items.map((u: UserView) => u.id);
    for (const u of page2.items as UserView[]) expect(ids1).not.toContain(u.id);

    const q = (await admin.request('GET', '/api/v1/users?q=grid')).json();
    expect(q.items.map((u: UserView) => u.username)).toEqual(['gridworker']);
    const byName = (await admin.request('GET', `/api/v1/users?q=${encodeURIComponent('杨帆')}`)).json();
    expect(byName.items.map((u: UserView) => u.username)).toEqual(['gridworker']);
    // LIKE wildcards in q are literal.
    expect((await admin.request('GET', '/api/v1/users?q=%25')).json().total).toBe(0);

    const handlers = (await admin.request('GET', '/api/v1/users?role=handler')).json();
    expect(handlers.items.map((u: UserView) => u.username)).toEqual(['handler']);
    expect(handlers.total).toBe(1);

    const disabled = (await admin.request('GET', '/api/v1/users?disabled=true')).json();
    expect(disabled.items.every((u: UserView) => u.disabled)).toBe(true);
    const enabled = (await admin.request('GET', '/api/v1/users?disabled=false')).json();
    expect(enabled.total + disabled.total).toBe(total);
  });

  it('edits role and scope; the user’s sessions end so the new rights apply', async () => {
    const u = await createUser({
      username: 'mover',
      displayName: '调岗',
      role: 'intake_operator',
      password: 'Mover123456',
      scope: { regionCode: '990102000000' },
    });
    const s = await login('mover', 'Mover123456');
    const cookie = s.cookies.find((c) => c.name === 'zhizhi_session')!.value;
    const res = await admin.request('PATCH', `/api/v1/users/${u.id}`, {
      role: 'grid_worker',
      scope: { regionCode: '990102002001' },
      displayName: '调岗员',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      role: 'grid_worker',
      displayName: '调岗员',
      scope: { regionCode: '990102002001' },
    });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { zhizhi_session: cookie },
    });
    expect(me.statusCode).toBe(401);
    const rows = await audit('user.update', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toBe('admin');
    const again = await login('mover', 'Mover123456');
    expect(again.json().user.role).toBe('grid_worker');
    expect(again.json().user.scope.regionCode).toBe('990102002001');
  });

  it('disables a user: their sessions end and they cannot sign in (403 auth.account_disabled)', async () => {
    const u = await createUser({
      username: 'leaver',
      displayName: '离职',
      role: 'leader',
      password: 'Leaver123456',
      scope: { regionCode: '990102000000' },
    });
    const s = await login('leaver', 'Leaver123456');
    const cookie = s.cookies.find((c) => c.name === 'zhizhi_session')!.value;
    const res = await admin.request('PATCH', `/api/v1/users/${u.id}`, { disabled: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { zhizhi_session: cookie },
    });
    expect(me.statusCode).toBe(401);
    const sessions = await t.database.db
      .selectFrom('session')
      .select('id_hash')
      .where('staff_id', '=', u.id)
      .execute();
    expect(sessions).toHaveLength(0);
    const again = await login('leaver', 'Leaver123456');
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('auth.account_disabled');
    const rows = await audit('user.disable', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).toBe(adminId);

    expect((await admin.request('PATCH', `/api/v1/users/${u.id}`, { disabled: false })).statusCode).toBe(200);
    expect(await audit('user.enable', u.id)).toHaveLength(1);
    expect((await login('leaver', 'Leaver123456')).statusCode).toBe(200);
  });

  it('resets a password: the temporary one works, the old does not, must-change is set', async () => {
    const u = await createUser({
      username: 'forgetful',
      displayName: '健忘',
      role: 'leader',
      password: 'Forgot123456',
      scope: { regionCode: '990102000000' },
    });
    // Clear the must-change flag first, so the reset visibly sets it.
    const first = await login('forgetful', 'Forgot123456');
    const fc = first.cookies.find((c) => c.name === 'zhizhi_session')!.value;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      cookies: { zhizhi_session: fc },
      headers: { 'x-csrf-token': first.json().csrfToken },
      payload: { currentPassword: 'Forgot123456', newPassword: 'Remember12345' },
    });
    expect((await login('forgetful', 'Remember12345')).json().user.mustChangePassword).toBe(false);

    const res = await admin.request('POST', `/api/v1/users/${u.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = res.json() as { temporaryPassword: string };
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(10);
    expect((await login('forgetful', 'Remember12345')).statusCode).toBe(401);
    const s = await login('forgetful', temporaryPassword);
    expect(s.statusCode).toBe(200);
    expect(s.json().user.mustChangePassword).toBe(true);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { zhizhi_session: s.cookies.find((c) => c.name === 'zhizhi_session')!.value },
    });
    expect(me.json().user.mustChangePassword).toBe(true);
    const rows = await audit('user.reset_password', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toBe('admin');
    expect(JSON.stringify(rows[0]!.details)).not.toContain(temporaryPassword);
  });

  it('an administrator cannot disable himself nor change his own role', async () => {
    const res = await admin.request('PATCH', `/api/v1/users/${adminId}`, { disabled: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('resource.conflict');
    const role = await admin.request('PATCH', `/api/v1/users/${adminId}`, { role: 'leader' });
    expect(role.statusCode).toBe(409);
    expect((await admin.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom('staff')
      .select(['disabled', 'role'])
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ disabled: false, role: 'admin' });
  });

  it('a system-wide administrator cannot leave a non-admin without a scope by editing', async () => {
    await t.services.users.createUnchecked(t.database.db, {
      username: 'rootadmin',
      displayName: '系统管理员',
      role: 'admin',
      password: 'Root12345678',
      scope: {},
    });
    const root = await t.login('rootadmin', 'Root12345678');
    const leader = (await root.request('GET', '/api/v1/users?q=leader&role=leader')).json()
      .items[0] as UserView;
    const res = await root.request('PATCH', `/api/v1/users/${leader.id}`, { scope: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0]).toMatchObject({ field: 'body.scope', reason: 'required' });
    const globalAdmin = await createUser(
      { username: 'root2', displayName: '二号', role: 'admin', password: 'Root12345678', scope: {} },
      root,
    );
    const demote = await root.request('PATCH', `/api/v1/users/${globalAdmin.id}`, { role: 'leader' });
    expect(demote.statusCode).toBe(400);
    const row = await t.database.db
      .selectFrom('staff')
      .select(['role', 'scope_region_code'])
      .where('id', 'in', [leader.id, globalAdmin.id])
      .orderBy('username')
      .execute();
    expect(row).toEqual([
      { role: 'leader', scope_region_code: '990102000000' },
      { role: 'admin', scope_region_code: null },
    ]);
    // With a scope in the same edit, the demotion is fine.
    const ok = await root.request('PATCH', `/api/v1/users/${globalAdmin.id}`, {
      role: 'leader',
      scope: { regionCode: '990102000000' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('an unknown user id → 404', async () => {
    const res = await admin.request('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('resource.not_found');
  });

  it('a non-admin gets 403 on every user action, and nothing changes', async () => {
    const leader = await t.login('leader');
    const target = (await admin.request('GET', '/api/v1/users?q=gridworker')).json().items[0] as UserView;
    const attempts = [
      leader.request('GET', '/api/v1/users'),
      leader.request('GET', `/api/v1/users/${target.id}`),
      leader.request('POST', '/api/v1/users', {
        username: 'sneaky',
        displayName: 'S',
        role: 'admin',
        password: 'Sneaky123456',
        scope: {},
      }),
      leader.request('PATCH', `/api/v1/users/${target.id}`, { disabled: true }),
      leader.request('POST', `/api/v1/users/${target.id}/reset-password`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('auth.forbidden');
    }
    expect((await login('gridworker', DEMO_PASSWORD)).statusCode).toBe(200);
    expect((await login('sneaky', 'Sneaky123456')).statusCode).toBe(401);
  });
});
