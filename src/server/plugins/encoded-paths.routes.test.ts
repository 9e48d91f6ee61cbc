import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission } from '../../domain/identity/role.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../test/support/test-app.ts';

/**
 * The router decodes percent-encoded paths before matching, so `/%61pi/v1/users` reaches the handler of
 * `/api/v1/users`. The authentication, CSRF and permission checks must decide on that same matched route, not on
 * the raw URL: every encoded variant of every guarded route must be refused exactly like the plain one.
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function concrete(url: string): string {
  return url
    .replace(':id', '00000000-0000-4000-8000-000000000000')
    .replace(':token', 'TRK0000000000000')
    .replace(':code', '990102000000')
    .replace(':year', '2027')
    .replace(':v', '1');
}

/** Percent-encodes one character at the given index of the path (an unreserved one, so the route still matches). */
function encodeAt(path: string, index: number): string {
  const hex = path.charCodeAt(index).toString(16).toUpperCase().padStart(2, '0');
  return `${path.slice(0, index)}%${hex}${path.slice(index + 1)}`;
}

/** `/%61pi/v1/…`, `/api/%761/…`, `/api/v%31/…`, and the first letter after the version (`/api/v1/%75sers`). */
function encodedVariants(path: string): string[] {
  const afterVersion = '/api/v1/'.length;
  const variants = [encodeAt(path, 1), encodeAt(path, 5), encodeAt(path, 6)];
  if (/[a-z]/.test(path[afterVersion] ?? '')) variants.push(encodeAt(path, afterVersion));
  return [...new Set(variants)].filter((v) => v !== path);
}

let t: TestApp;
let gridWorker: TestClient;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  gridWorker = await t.login('gridworker');
});
afterAll(() => t.close());

const payloadFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

describe('percent-encoded paths', () => {
  const guarded = () =>
    t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/') && !r.public && !r.url.includes('*'));

  it('the router really decodes them (otherwise this test would prove nothing)', async () => {
    const res = await admin.request('GET', '/%61pi/%761/auth/me');
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('admin');
  });

  it('every encoded variant of every guarded route answers 401 to a stranger', async () => {
    const seen: string[] = [];
    for (const r of guarded()) {
      for (const url of encodedVariants(concrete(r.url))) {
        const res = await t.app.inject({ method: r.method as 'GET', url, payload: payloadFor(r.method) });
        seen.push(`${r.method} ${url} → ${res.statusCode}`);
        expect(`${r.method} ${url} → ${res.statusCode}`).toBe(`${r.method} ${url} → 401`);
      }
    }
    expect(seen.length).toBeGreaterThan(250);
  });

  it('an unknown API path, plain or encoded, is 401 to a stranger and 404 to a signed-in user', async () => {
    for (const url of ['/api/v1/no-such-route', '/%61pi/v1/no-such-route', '/api/%761/no-such-route']) {
      expect(`${url} → ${(await t.app.inject({ method: 'GET', url })).statusCode}`).toBe(`${url} → 401`);
      expect(`${url} → ${(await admin.request('GET', url)).statusCode}`).toBe(`${url} → 404`);
    }
  });

  it('every encoded variant of every unsafe route needs the CSRF header with a session cookie', async () => {
    for (const r of guarded().filter((x) => UNSAFE.has(x.method))) {
      for (const url of encodedVariants(concrete(r.url))) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url,
          cookies: { zhizhi_session: admin.cookie },
          payload: payloadFor(r.method),
        });
        const code = res.statusCode === 403 ? (res.json() as { code: string }).code : res.statusCode;
        expect(`${r.method} ${url} → ${code}`).toBe(`${r.method} ${url} → auth.csrf_failed`);
      }
    }
  });

  it('every encoded variant is refused to a role that lacks the route permission', async () => {
    const lacking = guarded().filter((r) => r.permission && !hasPermission('grid_worker', r.permission));
    expect(lacking.length).toBeGreaterThan(10);
    for (const r of lacking) {
      for (const url of encodedVariants(concrete(r.url))) {
        const res = await gridWorker.request(r.method, url, payloadFor(r.method));
        const code = res.statusCode === 403 ? (res.json() as { code: string }).code : res.statusCode;
        expect(`${r.method} ${url} → ${code}`).toBe(`${r.method} ${url} → auth.forbidden`);
      }
    }
  });
});
