import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, roles, type Permission, type Role } from '../../domain/identity/role.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../test/support/test-app.ts';

/** Routes anyone may call. Everything else must answer 401 to a caller without a session or token. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'POST /api/v1/auth/login',
  'GET /api/v1/system/info',
  // The citizen side: reporting, tracking and rating without an account (rate limited per IP).
  'POST /api/v1/public/attachments',
  'GET /api/v1/public/photos/:id',
  'POST /api/v1/public/cases',
  'GET /api/v1/public/track/:token',
  'POST /api/v1/public/track/lookup',
  'POST /api/v1/public/track/:token/rating',
  'POST /api/v1/public/track/rating',
  'GET /api/v1/public/categories',
  'GET /api/v1/public/regions.geojson',
  'GET /api/v1/public/locate',
]);
const isDocs = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/');
/**
 * Routes for machines with their own credentials (`Authorization: Device <token>`): no session or staff token
 * counts there, so they answer 401 to everyone else, staff included.
 */
const DEVICE = new Set(['POST /api/v1/sensor/alarms']);

/** The permission each authenticated route needs; null = any signed-in user. */
const REQUIRED: Record<string, Permission | null> = {
  'POST /api/v1/auth/logout': null,
  'GET /api/v1/auth/me': null,
  'POST /api/v1/auth/password': null,
  'GET /api/v1/workbench/summary': 'workbench.view',
  'GET /api/v1/users': 'user.manage',
  'POST /api/v1/users': 'user.manage',
  'GET /api/v1/users/:id': 'user.manage',
  'PATCH /api/v1/users/:id': 'user.manage',
  'POST /api/v1/users/:id/reset-password': 'user.manage',
  'GET /api/v1/tokens': 'token.manage',
  'POST /api/v1/tokens': 'token.manage',
  'DELETE /api/v1/tokens/:id': 'token.manage',
  'GET /api/v1/audit-log': 'audit.view',
  'GET /api/v1/regions': 'region.view',
  'GET /api/v1/regions/:code': 'region.view',
  'POST /api/v1/regions': 'region.manage',
  'GET /api/v1/departments': 'org.view',
  'GET /api/v1/departments/:id': 'org.view',
  'POST /api/v1/departments': 'org.manage',
  'PATCH /api/v1/departments/:id': 'org.manage',
  'POST /api/v1/spatial/imports': 'region.manage',
  'GET /api/v1/spatial/imports/:id': 'region.manage',
  'POST /api/v1/spatial/grids/generate': 'region.manage',
  'GET /api/v1/spatial/regions.geojson': 'region.view',
  'GET /api/v1/spatial/grids.geojson': 'region.view',
  'GET /api/v1/spatial/layers': 'region.view',
  'GET /api/v1/spatial/layers/:id/features.geojson': 'region.view',
  'GET /api/v1/spatial/grids/:code': 'region.view',
  'GET /api/v1/spatial/search': 'region.view',
  'PUT /api/v1/spatial/grids/:code/workers': 'region.manage',
  'GET /api/v1/spatial/locate': 'map.view',
  'GET /api/v1/categories': 'case.view',
  'GET /api/v1/categories/versions': 'case.view',
  'GET /api/v1/categories/versions/:v': 'case.view',
  'POST /api/v1/categories/versions': 'catalogue.manage',
  'GET /api/v1/calendar/years': 'case.view',
  'GET /api/v1/calendar/years/:year': 'case.view',
  'PUT /api/v1/calendar/years/:year': 'catalogue.manage',
  'GET /api/v1/responsibility-rules': 'org.view',
  'POST /api/v1/responsibility-rules': 'catalogue.manage',
  'PATCH /api/v1/responsibility-rules/:id': 'catalogue.manage',
  'DELETE /api/v1/responsibility-rules/:id': 'catalogue.manage',
  'POST /api/v1/responsibility-rules/preview': 'org.view',
  'GET /api/v1/cases/export': 'case.view',
  'POST /api/v1/cases/bulk-events': 'case.act',
  'POST /api/v1/cases': 'case.create',
  'GET /api/v1/cases': 'case.view',
  'GET /api/v1/cases/worklists': 'case.view',
  'GET /api/v1/cases/:id': 'case.view',
  'POST /api/v1/cases/:id/events': 'case.act',
  'POST /api/v1/attachments': 'case.act',
  'GET /api/v1/attachments/:id': 'case.view',
  'POST /api/v1/cases/duplicate-candidates': 'case.view',
  'GET /api/v1/cases/:id/duplicates': 'case.view',
  'GET /api/v1/cases/duplicate-settings': 'case.view',
  'PUT /api/v1/cases/duplicate-settings': 'system.manage',
  'GET /api/v1/notifications': null,
  'GET /api/v1/notifications/unread-count': null,
  'POST /api/v1/notifications/:id/read': null,
  'POST /api/v1/notifications/read-all': null,
  'GET /api/v1/webhooks': 'webhook.manage',
  'POST /api/v1/webhooks': 'webhook.manage',
  'GET /api/v1/webhooks/:id': 'webhook.manage',
  'PATCH /api/v1/webhooks/:id': 'webhook.manage',
  'DELETE /api/v1/webhooks/:id': 'webhook.manage',
  'POST /api/v1/webhooks/:id/rotate-secret': 'webhook.manage',
  'POST /api/v1/webhooks/:id/test': 'webhook.manage',
  'GET /api/v1/webhooks/:id/deliveries': 'webhook.manage',
  'GET /api/v1/devices': 'device.manage',
  'POST /api/v1/devices': 'device.manage',
  'PATCH /api/v1/devices/:id': 'device.manage',
  'POST /api/v1/devices/:id/token': 'device.manage',
};

/**
 * Every authenticated write, classified by how far it reaches. SYSTEM_WIDE routes change something that applies to everybody: only an administrator whose scope covers the whole deployment may call them,
 * so a street- or department-scoped administrator gets 403 auth.out_of_scope whatever the target. Each carries a
 * body that passes validation, so the refusal comes from the service. IN_SCOPE writes act on a target whose own
 * region or department the service checks against the caller's scope (or on the caller's own session and
 * notifications); their scope tests sit with their module (responsibility rules: one for everywhere is
 * system-wide, one for a region is not). A new write route must be added to one of the two.
 */
const SYSTEM_WIDE: Record<string, object | undefined> = {
  'POST /api/v1/categories/versions': {
    basedOn: 1,
    note: 'x',
    changes: [{ op: 'deactivate', code: 'RX01' }],
  },
  'PUT /api/v1/calendar/years/:year': { holidays: [], makeupWorkdays: [] },
  'PUT /api/v1/cases/duplicate-settings': { radiusM: 200, windowHours: 72 },
};
const IN_SCOPE = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'POST /api/v1/users',
  'PATCH /api/v1/users/:id',
  'POST /api/v1/users/:id/reset-password',
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/:id',
  'POST /api/v1/regions',
  'POST /api/v1/departments',
  'PATCH /api/v1/departments/:id',
  'POST /api/v1/spatial/imports',
  'POST /api/v1/spatial/grids/generate',
  'PUT /api/v1/spatial/grids/:code/workers',
  'POST /api/v1/responsibility-rules',
  'PATCH /api/v1/responsibility-rules/:id',
  'DELETE /api/v1/responsibility-rules/:id',
  'POST /api/v1/responsibility-rules/preview',
  'POST /api/v1/cases/bulk-events',
  'POST /api/v1/cases',
  'POST /api/v1/cases/:id/events',
  'POST /api/v1/attachments',
  'POST /api/v1/cases/duplicate-candidates',
  'POST /api/v1/notifications/:id/read',
  'POST /api/v1/notifications/read-all',
  'POST /api/v1/devices',
  'PATCH /api/v1/devices/:id',
  'POST /api/v1/devices/:id/token',
  // Webhook endpoints carry a scope of their own (webhook-scope.routes.test.ts).
  'POST /api/v1/webhooks',
  'PATCH /api/v1/webhooks/:id',
  'DELETE /api/v1/webhooks/:id',
  'POST /api/v1/webhooks/:id/rotate-secret',
  'POST /api/v1/webhooks/:id/test',
]);

function concrete(url: string): string {
  return url
    .replace(':id', '00000000-0000-4000-8000-000000000000')
    .replace(':code', '990102000000')
    .replace(':year', '2027')
    .replace(':v', '1');
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('route table', () => {
  it('every route outside the explicit public list answers 401 without a session or token', async () => {
    const guarded = t.app.registeredRoutes.filter(
      (r) => !PUBLIC.has(`${r.method} ${r.url}`) && !isDocs(r.url),
    );
    expect(guarded.length).toBeGreaterThanOrEqual(Object.keys(REQUIRED).length);
    for (const r of guarded) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: concrete(r.url),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(`${r.method} ${r.url} → ${res.statusCode}`).toBe(`${r.method} ${r.url} → 401`);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('a bad bearer token gets 401 too', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_invalid');
  });

  it('every authenticated route is in the permission table (new routes must be classified)', () => {
    const unknown = t.app.registeredRoutes
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !PUBLIC.has(k) && !DEVICE.has(k) && !isDocs(k.split(' ')[1]!) && !(k in REQUIRED));
    expect(unknown).toEqual([]);
  });

  it('device routes refuse sessions and staff tokens (401), whoever signs in', async () => {
    const admin = await t.login('admin');
    const token = (
      await admin.request('POST', '/api/v1/tokens', {
        name: 'route-table',
        permissions: ['case.create'],
        expiresInDays: 1,
      })
    ).json().token as string;
    for (const key of DEVICE) {
      const [method, url] = key.split(' ') as [string, string];
      const bySession = await admin.request(method, url, {});
      expect(`${key} session → ${bySession.statusCode}`).toBe(`${key} session → 401`);
      const byToken = await t.app.inject({
        method: method as 'POST',
        url,
        payload: {},
        headers: { authorization: `Bearer ${token}` },
      });
      expect(`${key} bearer → ${byToken.statusCode}`).toBe(`${key} bearer → 401`);
    }
  });

  it('every authenticated write is classified as system-wide or in-scope (new routes must be classified)', () => {
    const writes = Object.keys(REQUIRED).filter((k) => !k.startsWith('GET '));
    // In neither list or in both: unclassified.
    const unclassified = writes.filter((k) => k in SYSTEM_WIDE === IN_SCOPE.has(k));
    expect(unclassified).toEqual([]);
    const stale = [...Object.keys(SYSTEM_WIDE), ...IN_SCOPE].filter((k) => !(k in REQUIRED));
    expect(stale).toEqual([]);
  });

  describe.each([
    ['street', { regionCode: '990102001000' }],
    ['department', { departmentCode: 'CGW' }],
  ] as const)('an administrator scoped to a %s', (label, scope) => {
    let client: TestClient;
    beforeAll(async () => {
      const admin = await t.login('admin');
      const departmentId =
        'departmentCode' in scope
          ? (
              await t.database.db
                .selectFrom('department')
                .select('id')
                .where('code', '=', scope.departmentCode)
                .executeTakeFirstOrThrow()
            ).id
          : undefined;
      const username = `${label}admin`;
      const created = await admin.request('POST', '/api/v1/users', {
        username,
        displayName: username,
        role: 'admin',
        password: 'Scoped@2026x',
        scope: departmentId ? { departmentId } : { regionCode: (scope as { regionCode: string }).regionCode },
      });
      expect(created.statusCode, created.body).toBe(201);
      client = await t.login(username, 'Scoped@2026x');
    });

    it('gets 403 auth.out_of_scope on every system-wide route and auth.forbidden nowhere', async () => {
      for (const key of Object.keys(REQUIRED)) {
        if (key === 'POST /api/v1/auth/logout' || key === 'POST /api/v1/auth/password') continue;
        const [method, url] = key.split(' ') as [string, string];
        const systemWide = key in SYSTEM_WIDE;
        const body = systemWide ? SYSTEM_WIDE[key] : method === 'GET' || method === 'DELETE' ? undefined : {};
        const res = await client.request(method, concrete(url), body);
        const code = String(res.headers['content-type'] ?? '').includes('json')
          ? (res.json().code ?? null)
          : null;
        if (systemWide) expect(`${key} → ${res.statusCode} ${code}`).toBe(`${key} → 403 auth.out_of_scope`);
        // It holds every permission; refusals of other routes depend on the target's scope (module tests).
        expect(`${key} forbidden=${code === 'auth.forbidden'}`).toBe(`${key} forbidden=false`);
        expect(res.statusCode).not.toBe(401);
      }
    });
  });

  describe.each(roles)('role %s', (role: Role) => {
    let client: TestClient;
    beforeAll(async () => {
      const username = {
        admin: 'admin',
        leader: 'leader',
        shift_lead: 'shiftlead',
        dispatcher: 'dispatcher',
        intake_operator: 'intake',
        grid_worker: 'gridworker',
        handler: 'handler',
        data_steward: 'steward',
        auditor: 'auditor',
      }[role];
      client = await t.login(username);
    });

    it('gets 403 exactly where it lacks the permission', async () => {
      for (const [key, permission] of Object.entries(REQUIRED)) {
        if (key === 'POST /api/v1/auth/logout' || key === 'POST /api/v1/auth/password') continue; // would end the session
        const [method, url] = key.split(' ') as [string, string];
        const res = await client.request(
          method,
          concrete(url),
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        // Scope refusals (auth.out_of_scope) are a different matter, tested with the scope guard.
        const forbidden = res.statusCode === 403 && res.json().code === 'auth.forbidden';
        const expected = permission !== null && !hasPermission(role, permission);
        expect(`${key} forbidden=${forbidden}`).toBe(`${key} forbidden=${expected}`);
        expect(res.statusCode).not.toBe(401);
      }
    });
  });
});
