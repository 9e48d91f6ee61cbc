import { testFieldKey } from '../../src/services/crypto/field-cipher.ts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openTestDatabase } from './test-database.ts';
import type { Database } from '../../src/db/connect.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';
import { createServices, type Services } from '../../src/services/compose.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/demo.service.ts';
import { cryptoIds } from '../../src/services/ids.ts';
import type { Resolver } from '../../src/services/net/outbound-guard.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
  /**
   * Signs in and returns a client that sends the session cookie and CSRF header (a temporary password is
   * "changed" to itself first, see below).
   */
  login(username: string, password?: string): Promise<TestClient>;
  close(): Promise<void>;
}

export interface TestClient {
  cookie: string;
  csrfToken: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/**
 * A real app over a fresh database with the demo district loaded, driven through `app.inject()`. Given the
 * `database` of another test app, it is a second server process over the same database (the demo is not loaded
 * again, and closing it leaves the database open): for what must hold across processes and restarts. `resolve`
 * replaces DNS for the outbound address policy.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  opts: { database?: Database; resolve?: Resolver } = {},
): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const database = opts.database ?? (await openTestDatabase());
  const clock = fixedClock('2026-11-22T02:00:00Z');
  const services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: config.ZHIZHI_MODE,
    auth: {
      sessionTtlHours: config.SESSION_TTL_HOURS,
      maxFailures: config.LOGIN_MAX_FAILURES,
      maxDelayMinutes: config.LOGIN_MAX_DELAY_MINUTES,
    },
    sensorLimits: {
      locationRadiusM: config.SENSOR_LOCATION_RADIUS_M,
      clockSkewS: config.SENSOR_CLOCK_SKEW_S,
    },
    outbound: { allowCidrs: config.OUTBOUND_ALLOW_CIDRS, ...(opts.resolve ? { resolve: opts.resolve } : {}) },
  });
  if (config.ZHIZHI_MODE === 'demo' && !opts.database) await services.demo.load();
  const app = await buildApp({ config, database, services, logger: false });
  await app.ready();

  async function login(username: string, password = DEMO_PASSWORD): Promise<TestClient> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'zhizhi_session');
    if (!cookie) throw new Error('no session cookie');
    const { csrfToken, user } = res.json() as { csrfToken: string; user: { mustChangePassword: boolean } };
    if (user.mustChangePassword) {
      // A new account's session may do nothing before its temporary password is changed. Tests that are not
      // about that sign in as if it had been: the "new" password is the same one, so later sign-ins still work.
      const changed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        cookies: { zhizhi_session: cookie.value },
        headers: { 'x-csrf-token': csrfToken },
        payload: { currentPassword: password, newPassword: password },
      });
      if (changed.statusCode !== 204)
        throw new Error(`password change of ${username} failed: ${changed.body}`);
    }
    return {
      cookie: cookie.value,
      csrfToken,
      request: (method, url, body, headers = {}) =>
        app.inject({
          method: method as 'GET',
          url,
          cookies: { zhizhi_session: cookie.value },
          headers: { 'x-csrf-token': csrfToken, ...headers },
          ...(body !== undefined ? { payload: body as object } : {}),
        }),
    };
  }

  return {
    app,
    database,
    services,
    clock,
    login,
    close: async () => {
      await app.close();
      if (!opts.database) await database.close();
    },
  };
}
