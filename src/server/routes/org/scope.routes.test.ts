import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

/** Region and department scope, enforced on every route through the scope guard. */
let t: TestApp;
let admin: TestClient;
let streetAdmin: TestClient;
let otherStreetUserId: string;
let cgwId: string;

const STREET = '990102001000';
const OTHER_STREET = '990102002000';

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await t.login('admin');
  cgwId = (
    await t.database.db
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'CGW')
      .executeTakeFirstOrThrow()
  ).id;
  const created = await admin.request('POST', '/api/v1/users', {
    username: 'streetadmin',
    displayName: '街道管理员',
    role: 'admin',
    password: 'Street123456',
    scope: { regionCode: STREET },
  });
  expect(created.statusCode, created.body).toBe(201);
  const other = await admin.request('POST', '/api/v1/users', {
    username: 'otherstreet',
    displayName: '另一街道',
    role: 'dispatcher',
    password: 'Other1234567',
    scope: { regionCode: OTHER_STREET },
  });
  expect(other.statusCode, other.body).toBe(201);
  otherStreetUserId = other.json().id;
  streetAdmin = await t.login('streetadmin', 'Street123456');
});
afterAll(() => t.close());

describe('regions by scope', () => {
  it('a grid worker’s GET /regions returns only its community', async () => {
    const gw = await t.login('gridworker');
    const res = await gw.request('GET', '/api/v1/regions');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({ code: '990102001001', level: 'community', parentCode: STREET }),
    ]);
    expect((await gw.request('GET', '/api/v1/regions/990102001001')).statusCode).toBe(200);
  });

  it('a grid worker asking for the district’s children → 403 auth.out_of_scope', async () => {
    const gw = await t.login('gridworker');
    for (const url of [
      '/api/v1/regions?parentCode=990102000000',
      `/api/v1/regions?parentCode=${STREET}`,
      '/api/v1/regions/990102001002',
      `/api/v1/regions/${STREET}`,
    ]) {
      const res = await gw.request('GET', url, undefined, { 'accept-language': 'en' });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('auth.out_of_scope');
      expect(res.json().title).toBe('Outside your scope');
    }
  });

  it('the district admin starts at the district and browses down', async () => {
    const top = (await admin.request('GET', '/api/v1/regions')).json();
    expect(top).toEqual([
      expect.objectContaining({ code: '990102000000', level: 'district', childCount: 4 }),
    ]);
    const streets = (await admin.request('GET', '/api/v1/regions?parentCode=990102000000')).json();
    expect(streets.map((r: { code: string }) => r.code)).toEqual([
      '990102001000',
      '990102002000',
      '990102003000',
      '990102004000',
    ]);
    // Above the district is outside the scope.
    expect((await admin.request('GET', '/api/v1/regions/990100000000')).statusCode).toBe(403);
  });

  it('a street admin cannot add a community to another street', async () => {
    const res = await streetAdmin.request('POST', '/api/v1/regions', {
      code: '990102002090',
      name: '越界社区',
      parentCode: OTHER_STREET,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.out_of_scope');
    const exists = await t.database.db
      .selectFrom('region')
      .select('code')
      .where('code', '=', '990102002090')
      .executeTakeFirst();
    expect(exists).toBeUndefined();
  });
});

describe('departments by scope', () => {
  it.each(['handler', 'steward'])('%s sees only department CGW', async (username) => {
    const c = await t.login(username);
    const res = await c.request('GET', '/api/v1/departments?pageSize=200');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(1);
    expect(res.json().items.map((d: { code: string }) => d.code)).toEqual(['CGW']);
    expect((await c.request('GET', `/api/v1/departments/${cgwId}`)).statusCode).toBe(200);
    const zjw = await t.database.db
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'ZJW')
      .executeTakeFirstOrThrow();
    expect((await c.request('GET', `/api/v1/departments/${zjw.id}`)).statusCode).toBe(404);
  });

  it('the district admin sees all ten demo departments', async () => {
    const res = await admin.request('GET', '/api/v1/departments?pageSize=200');
    expect(res.json().total).toBeGreaterThanOrEqual(10);
  });

  it('a street admin cannot create a department serving the whole district', async () => {
    const res = await streetAdmin.request('POST', '/api/v1/departments', {
      code: 'STREETDEP',
      name: '街道越权部门',
      regionCode: '990102000000',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.out_of_scope');
  });
});

describe('a street-scoped administrator', () => {
  it('cannot create a user scoped to another street, nor a system-wide or district one', async () => {
    const before = await t.database.db
      .selectFrom('staff')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const scope of [
      { regionCode: OTHER_STREET },
      { regionCode: '990102000000' },
      { departmentId: cgwId },
    ]) {
      const res = await streetAdmin.request('POST', '/api/v1/users', {
        username: `x${Math.random().toString(36).slice(2, 8)}`,
        displayName: '越界',
        role: 'dispatcher',
        password: 'Escape123456',
        scope,
      });
      expect(res.statusCode, JSON.stringify(scope)).toBe(403);
      expect(res.json().code).toBe('auth.out_of_scope');
    }
    // No scope at all is refused before any scope comparison: only administrators may be system-wide.
    const none = await streetAdmin.request('POST', '/api/v1/users', {
      username: 'xnoscope',
      displayName: '越界',
      role: 'dispatcher',
      password: 'Escape123456',
      scope: {},
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().issues[0]).toMatchObject({ field: 'body.scope', reason: 'required' });
    const after = await t.database.db
      .selectFrom('staff')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('can create a user inside its street', async () => {
    const res = await streetAdmin.request('POST', '/api/v1/users', {
      username: 'streetworker',
      displayName: '街道网格员',
      role: 'grid_worker',
      password: 'Inside123456',
      scope: { regionCode: '990102001002' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('sees only users of its own street', async () => {
    const res = await streetAdmin.request('GET', '/api/v1/users?pageSize=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { username: string; scope: { regionCode: string | null } }[];
    expect(res.json().total).toBe(items.length);
    expect(items.map((u) => u.username).sort()).toEqual(['gridworker', 'streetadmin', 'streetworker']);
    for (const u of items) expect(u.scope.regionCode?.startsWith('990102001')).toBe(true);

    const other = await streetAdmin.request('GET', `/api/v1/users/${otherStreetUserId}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('auth.out_of_scope');
  });

  it('cannot edit, disable or reset users outside its street, nor move its own users out', async () => {
    const patch = await streetAdmin.request('PATCH', `/api/v1/users/${otherStreetUserId}`, {
      disabled: true,
    });
    expect(patch.statusCode).toBe(403);
    const reset = await streetAdmin.request('POST', `/api/v1/users/${otherStreetUserId}/reset-password`);
    expect(reset.statusCode).toBe(403);
    const row = await t.database.db
      .selectFrom('staff')
      .select('disabled')
      .where('id', '=', otherStreetUserId)
      .executeTakeFirstOrThrow();
    expect(row.disabled).toBe(false);

    const gw = (await streetAdmin.request('GET', '/api/v1/users?q=gridworker')).json().items[0] as {
      id: string;
    };
    const move = await streetAdmin.request('PATCH', `/api/v1/users/${gw.id}`, {
      scope: { regionCode: OTHER_STREET },
    });
    expect(move.statusCode).toBe(403);
    const me = (await streetAdmin.request('GET', '/api/v1/auth/me')).json().user as { id: string };
    const widen = await streetAdmin.request('PATCH', `/api/v1/users/${me.id}`, {
      scope: { regionCode: '990102000000' },
    });
    expect(widen.statusCode).toBe(403);
  });

  it('cannot issue a token acting for a user outside its street, and does not list other tokens', async () => {
    const adminToken = await admin.request('POST', '/api/v1/tokens', {
      name: 'district-token',
      permissions: ['region.view'],
      expiresInDays: 7,
    });
    expect(adminToken.statusCode).toBe(201);
    const res = await streetAdmin.request('POST', '/api/v1/tokens', {
      name: 'borrowed',
      permissions: ['region.view'],
      expiresInDays: 7,
      staffId: otherStreetUserId,
    });
    expect(res.statusCode).toBe(403);
    const list = (await streetAdmin.request('GET', '/api/v1/tokens')).json() as { id: string }[];
    expect(list.map((x) => x.id)).not.toContain(adminToken.json().id);
    const revoke = await streetAdmin.request('DELETE', `/api/v1/tokens/${adminToken.json().id}`);
    expect(revoke.statusCode).toBe(403);
  });
});

describe('workbench summary by scope', () => {
  async function gridsUnder(prefix: string): Promise<number> {
    const r = await t.database.db
      .selectFrom('grid')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_code', 'like', `${prefix}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it('counts only what the caller’s scope covers', async () => {
    const district = (await admin.request('GET', '/api/v1/workbench/summary')).json();
    const gw = (await (await t.login('gridworker')).request('GET', '/api/v1/workbench/summary')).json();
    const street = (await streetAdmin.request('GET', '/api/v1/workbench/summary')).json();

    const communityGrids = await gridsUnder('990102001001');
    expect(communityGrids).toBeGreaterThan(0);
    expect(gw.grids).toBe(communityGrids);
    expect(gw.regions).toBe(1);
    expect(gw.staff).toBeNull(); // no user.manage

    expect(street.grids).toBe(await gridsUnder('990102001'));
    expect(district.grids).toBe(await gridsUnder('990102'));
    expect(district.grids).toBeGreaterThan(street.grids);
    expect(street.grids).toBeGreaterThan(gw.grids);
    expect(district.regions).toBeGreaterThan(street.regions);
    expect(district.departments).toBeGreaterThanOrEqual(10);
    expect(street.departments).toBe(0);

    const steward = (await (await t.login('steward')).request('GET', '/api/v1/workbench/summary')).json();
    expect(steward).toMatchObject({ regions: 0, grids: 0, departments: 1 });
  });
});
