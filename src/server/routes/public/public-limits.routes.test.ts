import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { HOME, pointIn } from '../../../../test/support/case-helpers.ts';

/**
 * Limits are counted in the database: two server processes over one database share them, and a restarted process
 * still knows them. (Two apps over one PGlite database stand for two processes over one PostgreSQL.)
 */
const LOOKUPS = 10;
const env = { TRACK_LOOKUP_RATE_PER_HOUR: String(LOOKUPS), LOGIN_RATE_PER_MINUTE: '3' };

let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  first = await createTestApp(env);
  second = await createTestApp(env, { database: first.database });
}, 60_000);
afterAll(async () => {
  await second.close();
  first.services.locate.close();
  await first.close();
});

function call(t: TestApp, url: string, body: object, ip: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url, payload: body, remoteAddress: ip });
}

describe('rate limits across server processes and restarts', () => {
  it('10 tracking-code guesses split across two processes: the 11th is refused, also after a restart', async () => {
    const reported = await call(
      first,
      '/api/v1/public/cases',
      {
        categoryCode: 'RX010101',
        title: '小区门口路灯不亮',
        description: '连续三晚不亮，晚上很黑',
        location: await pointIn(first, HOME),
        address: '示范路 1 号',
        reporter: { name: '李四', phone: '139 1234 5678' },
      },
      '198.51.100.1',
    );
    expect(reported.statusCode, reported.body).toBe(201);
    const { code } = reported.json() as { code: string };
    const ip = '198.51.100.2';
    const statuses: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const app = i % 2 === 0 ? first : second;
      const res = await call(app, '/api/v1/public/track/lookup', { code, phoneTail: String(1000 + i) }, ip);
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array.from({ length: LOOKUPS }, () => 404));
    const right = { code, phoneTail: '5678' };
    for (const app of [first, second]) {
      const limited = await call(app, '/api/v1/public/track/lookup', right, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }

    // A restarted process over the same database still refuses.
    const restarted = await createTestApp(env, { database: first.database });
    try {
      expect((await call(restarted, '/api/v1/public/track/lookup', right, ip)).statusCode).toBe(429);
      // Another address is not affected.
      expect((await call(restarted, '/api/v1/public/track/lookup', right, '198.51.100.3')).statusCode).toBe(
        200,
      );
    } finally {
      await restarted.close();
    }
  });

  it('sign-ins per address per minute are counted across processes', async () => {
    const ip = '198.51.100.20';
    const attempt = (app: TestApp, username: string) =>
      call(app, '/api/v1/auth/login', { username, password: 'wrong-password' }, ip);
    expect((await attempt(first, 'nobody1')).statusCode).toBe(401);
    expect((await attempt(second, 'nobody2')).statusCode).toBe(401);
    expect((await attempt(first, 'nobody3')).statusCode).toBe(401);
    const limited = await attempt(second, 'nobody4');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
