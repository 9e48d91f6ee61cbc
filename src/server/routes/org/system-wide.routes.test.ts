import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

/**
 * Settings that apply to everybody (catalogue versions, calendar years, duplicate detection) are changed
 * only by an administrator whose scope covers the whole deployment: the demo district's administrator, not a
 * street's or a department's.
 */
let t: TestApp;
let admin: TestClient;
let streetAdmin: TestClient;
let departmentAdmin: TestClient;
let deactivatable: string;

const STREET = '990102001000';

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
  admin = await t.login('admin');
  const cgwId = (
    await t.database.db
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'CGW')
      .executeTakeFirstOrThrow()
  ).id;
  for (const [username, scope] of [
    ['streetadmin', { regionCode: STREET }],
    ['depadmin', { departmentId: cgwId }],
  ] as const) {
    const created = await admin.request('POST', '/api/v1/users', {
      username,
      displayName: username,
      role: 'admin',
      password: 'Scoped@2026x',
      scope,
    });
    expect(created.statusCode, created.body).toBe(201);
  }
  streetAdmin = await t.login('streetadmin', 'Scoped@2026x');
  departmentAdmin = await t.login('depadmin', 'Scoped@2026x');
  const items = (await admin.request('GET', '/api/v1/categories/versions/1')).json().items as {
    code: string;
    active: boolean;
  }[];
  deactivatable = items.filter((i) => i.active).at(-1)!.code;
});
afterAll(() => t.close());

const changes = () => ({
  note: '停用一项',
  basedOn: 1,
  changes: [{ op: 'deactivate', code: deactivatable }],
});
const year = { holidays: ['2027-01-01'], makeupWorkdays: [], source: 'test' };
const duplicates = { radiusM: 200, windowHours: 48 };

describe('settings that apply beyond one scope', () => {
  it.each([
    ['street', () => streetAdmin],
    ['department', () => departmentAdmin],
  ])('a %s-scoped administrator gets 403 auth.out_of_scope', async (_, who) => {
    const c = who();
    for (const [method, url, body] of [
      ['POST', '/api/v1/categories/versions', changes()],
      ['PUT', '/api/v1/calendar/years/2027', year],
      ['PUT', '/api/v1/cases/duplicate-settings', duplicates],
    ] as const) {
      const res = await c.request(method, url, body, { 'accept-language': 'en' });
      expect(`${method} ${url} → ${res.statusCode} ${res.json().code}`).toBe(
        `${method} ${url} → 403 auth.out_of_scope`,
      );
    }
    // Nothing changed.
    expect((await admin.request('GET', '/api/v1/categories/versions')).json().total).toBe(1);
    expect((await admin.request('GET', '/api/v1/calendar/years/2027')).json().loaded).toBe(false);
    expect((await admin.request('GET', '/api/v1/cases/duplicate-settings')).json()).toEqual({
      radiusM: 100,
      windowHours: 72,
    });
  });

  it('GET /auth/me tells the web whether the scope covers the deployment', async () => {
    expect((await admin.request('GET', '/api/v1/auth/me')).json().user.systemWide).toBe(true);
    expect((await streetAdmin.request('GET', '/api/v1/auth/me')).json().user.systemWide).toBe(false);
    expect((await departmentAdmin.request('GET', '/api/v1/auth/me')).json().user.systemWide).toBe(false);
  });

  it('the administrator of the whole district changes them (2xx)', async () => {
    const published = await admin.request('POST', '/api/v1/categories/versions', changes());
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json().version).toBe(2);
    const put = await admin.request('PUT', '/api/v1/calendar/years/2027', year);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, loaded: true, holidays: ['2027-01-01'] });
    const settings = await admin.request('PUT', '/api/v1/cases/duplicate-settings', duplicates);
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json()).toEqual(duplicates);
  });
});
