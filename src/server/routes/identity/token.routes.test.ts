import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

const bearer = (token: string, method: string, url: string, payload?: object) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

async function createToken(body: Record<string, unknown>, by: TestClient = admin) {
  const res = await by.request('POST', '/api/v1/tokens', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: string;
    token: string;
    prefix: string;
    permissions: string[];
    expiresAt: string;
  };
}

async function auditRows(action: string, targetId: string) {
  return t.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
}

describe('API tokens', () => {
  it('creates a token: the secret is returned once and only its SHA-256 is stored; creation is audited', async () => {
    const created = await createToken({
      name: '数据交换',
      permissions: ['region.view', 'org.view'],
      expiresInDays: 30,
    });
    expect(created.token).toMatch(/^zz_[0-9a-f]{64}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect(created.expiresAt).toBe(new Date(t.clock.now().getTime() + 30 * 86400_000).toISOString());

    const row = await t.database.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const { createHash } = await import('node:crypto');
    expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(3));

    const audit = await auditRows('token.create', created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('admin');
    expect(JSON.stringify(audit[0])).not.toContain(created.token.slice(3));
  });

  it('the list shows the prefix but never the secret', async () => {
    const created = await createToken({ name: 'list-me', permissions: ['region.view'], expiresInDays: 1 });
    const res = await admin.request('GET', '/api/v1/tokens');
    expect(res.statusCode).toBe(200);
    const item = (res.json() as { id: string; prefix: string; token?: string }[]).find(
      (x) => x.id === created.id,
    );
    expect(item).toBeDefined();
    expect(item!.prefix).toBe(created.prefix);
    expect(item!.token).toBeUndefined();
    expect(res.body).not.toContain(created.token.slice(3));
  });

  it('bearer calls work without a CSRF token, within the token’s permissions only', async () => {
    const { token, id } = await createToken({
      name: 'regions-only',
      permissions: ['region.view', 'org.manage', 'org.view'],
      expiresInDays: 7,
    });
    const regions = await bearer(token, 'GET', '/api/v1/regions');
    expect(regions.statusCode).toBe(200);
    const write = await bearer(token, 'POST', '/api/v1/departments', {
      code: 'TOKDEP',
      name: '令牌部门',
      regionCode: '990102000000',
    });
    expect(write.statusCode, write.body).toBe(201);
    // Its owner is an administrator, but the token does not carry user.manage.
    const users = await bearer(token, 'GET', '/api/v1/users');
    expect(users.statusCode).toBe(403);
    expect(users.json().code).toBe('auth.forbidden');
    const me = await bearer(token, 'GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect([...me.json().user.permissions].sort()).toEqual(['org.manage', 'org.view', 'region.view']);
    // Use is recorded.
    const row = await t.database.db
      .selectFrom('api_token')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at?.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('an expired token → 401', async () => {
    const { token } = await createToken({ name: 'short', permissions: ['region.view'], expiresInDays: 1 });
    expect((await bearer(token, 'GET', '/api/v1/regions')).statusCode).toBe(200);
    t.clock.advance(86400_000 - 1000);
    expect((await bearer(token, 'GET', '/api/v1/regions')).statusCode).toBe(200);
    t.clock.advance(1000);
    const res = await bearer(token, 'GET', '/api/v1/regions');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_invalid');
    admin = await t.login('admin'); // the admin session may have expired too
  });

  it('a revoked token → 401; revocation is audited', async () => {
    const { token, id } = await createToken({
      name: 'revoke-me',
      permissions: ['region.view'],
      expiresInDays: 7,
    });
    expect((await bearer(token, 'GET', '/api/v1/regions')).statusCode).toBe(200);
    const del = await admin.request('DELETE', `/api/v1/tokens/${id}`);
    expect(del.statusCode).toBe(204);
    const res = await bearer(token, 'GET', '/api/v1/regions');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_invalid');
    const audit = await auditRows('token.revoke', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('admin');
    const listed = (await admin.request('GET', '/api/v1/tokens')).json() as {
      id: string;
      revokedAt: string;
    }[];
    expect(listed.find((x) => x.id === id)?.revokedAt).toBe(t.clock.now().toISOString());
    // Revoking again is harmless and not audited twice.
    expect((await admin.request('DELETE', `/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect(await auditRows('token.revoke', id)).toHaveLength(1);
  });

  it('revoking an unknown token → 404', async () => {
    const res = await admin.request('DELETE', '/api/v1/tokens/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
  });

  it('a token cannot carry a permission its owner lacks (400 naming body.permissions)', async () => {
    const leader = await t.database.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'leader')
      .executeTakeFirstOrThrow();
    const before = await t.database.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await admin.request(
      'POST',
      '/api/v1/tokens',
      { name: 'escalate', permissions: ['region.view', 'user.manage'], expiresInDays: 7, staffId: leader.id },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(400);
    const issue = res.json().issues.find((i: { field: string }) => i.field === 'body.permissions');
    expect(issue).toMatchObject({
      reason: 'not_held',
      message: 'a token cannot hold permissions its owner lacks',
    });
    const after = await t.database.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    // For the permissions the owner holds, it works, and the token acts as the leader.
    const ok = await createToken({
      name: 'leader-token',
      permissions: ['region.view'],
      expiresInDays: 7,
      staffId: leader.id,
    });
    const me = await bearer(ok.token, 'GET', '/api/v1/auth/me');
    expect(me.json().user.username).toBe('leader');
  });

  it('a token whose owner is disabled stops working', async () => {
    const { token } = await createToken({
      name: 'owner-off',
      permissions: ['region.view'],
      expiresInDays: 7,
    });
    await t.database.db
      .updateTable('staff')
      .set({ disabled: true })
      .where('username', '=', 'admin')
      .execute();
    try {
      expect((await bearer(token, 'GET', '/api/v1/regions')).statusCode).toBe(401);
    } finally {
      await t.database.db
        .updateTable('staff')
        .set({ disabled: false })
        .where('username', '=', 'admin')
        .execute();
    }
    expect((await bearer(token, 'GET', '/api/v1/regions')).statusCode).toBe(200);
  });

  it('a token cannot change its owner’s password, even knowing the current one', async () => {
    const { token } = await createToken({
      name: 'no-takeover',
      permissions: ['region.view'],
      expiresInDays: 7,
    });
    const res = await bearer(token, 'POST', '/api/v1/auth/password', {
      currentPassword: 'Zhizhi@2026',
      newPassword: 'Hijacked12345',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'Zhizhi@2026' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('only roles with token.manage may create tokens', async () => {
    const leader = await t.login('leader');
    const res = await leader.request('POST', '/api/v1/tokens', {
      name: 'mine',
      permissions: ['region.view'],
      expiresInDays: 7,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
  });
});

describe('API tokens of other staff', () => {
  /** A street administrator, signed in with a password of its own (a new account must change it first). */
  async function streetAdmin(username: string): Promise<TestClient> {
    const created = await admin.request('POST', '/api/v1/users', {
      username,
      displayName: '街道管理员',
      role: 'admin',
      password: 'Initial12345',
      scope: { regionCode: '990102001000' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await t.login(username, 'Initial12345');
    const changed = await first.request('POST', '/api/v1/auth/password', {
      currentPassword: 'Initial12345',
      newPassword: 'StreetAdmin12345',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    return t.login(username, 'StreetAdmin12345');
  }

  async function staffId(username: string): Promise<string> {
    const row = await t.database.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('a street admin cannot create, see or revoke a token of a department-only account whose department lies elsewhere', async () => {
    const street = await streetAdmin('street-tokens');
    // `steward` is scoped to the department CGW only; CGW is located in the district, outside the street.
    const stewardId = await staffId('steward');
    const res = await street.request('POST', '/api/v1/tokens', {
      name: 'reach-the-district',
      permissions: ['case.view'],
      expiresInDays: 7,
      staffId: stewardId,
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().code).toBe('auth.out_of_scope');
    expect(
      await t.database.db
        .selectFrom('api_token')
        .select('id')
        .where('name', '=', 'reach-the-district')
        .execute(),
    ).toHaveLength(0);

    // Such a token made by the district's administrator is neither listed to nor revocable by the street admin.
    const theirs = await createToken({
      name: 'steward-exchange',
      permissions: ['case.view'],
      expiresInDays: 7,
      staffId: stewardId,
    });
    const listed = (await street.request('GET', '/api/v1/tokens')).json() as { id: string }[];
    expect(listed.map((x) => x.id)).not.toContain(theirs.id);
    const del = await street.request('DELETE', `/api/v1/tokens/${theirs.id}`);
    expect(del.statusCode).toBe(403);
    expect((await bearer(theirs.token, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);

    // An account inside the street stays manageable: its token is created, listed and revoked.
    const inside = await admin.request('POST', '/api/v1/users', {
      username: 'street-handler',
      displayName: '街道处置员',
      role: 'handler',
      password: 'Initial12345',
      scope: { regionCode: '990102001001' },
    });
    expect(inside.statusCode, inside.body).toBe(201);
    const own = await createToken(
      { name: 'street-own', permissions: ['case.view'], expiresInDays: 7, staffId: inside.json().id },
      street,
    );
    const mine = (await street.request('GET', '/api/v1/tokens')).json() as { id: string }[];
    expect(mine.map((x) => x.id)).toContain(own.id);
    expect((await street.request('DELETE', `/api/v1/tokens/${own.id}`)).statusCode).toBe(204);
  });
});
