import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('OUTBOUND_ALLOW_CIDRS: empty by default; a list of CIDR blocks, each checked', () => {
    expect(loadConfig({}).OUTBOUND_ALLOW_CIDRS).toBe('');
    expect(loadConfig({ OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8, 172.20.0.0/16' }).OUTBOUND_ALLOW_CIDRS).toBe(
      '10.0.0.0/8, 172.20.0.0/16',
    );
    expect(problemsOf({ OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8,intranet' })).toEqual([
      'OUTBOUND_ALLOW_CIDRS: not a CIDR block: intranet',
    ]);
  });

  it('runs with no environment at all: demo mode on embedded PGlite in ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      ZHIZHI_MODE: 'demo',
      HOST: '127.0.0.1',
      PORT: 3000,
      ZHIZHI_DATA_DIR: './data',
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1024 * 1024,
      SESSION_TTL_HOURS: 12,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_MAX_DELAY_MINUTES: 15,
      LOGIN_RATE_PER_MINUTE: 20,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PUBLIC_URL).toBeUndefined();
    expect(c.COOKIE_SECURE).toBeUndefined();
  });

  it('HOST: demo mode keeps to this machine (127.0.0.1) unless set; production listens on every interface', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ ZHIZHI_MODE: 'demo', HOST: '' }).HOST).toBe('127.0.0.1');
    expect(loadConfig({ ZHIZHI_MODE: 'production' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ ZHIZHI_MODE: 'demo', HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ ZHIZHI_MODE: 'production', HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
  });

  it('treats empty strings as unset and coerces numbers and booleans', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', SESSION_TTL_HOURS: '8', COOKIE_SECURE: '1' });
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SESSION_TTL_HOURS).toBe(8);
    expect(c.COOKIE_SECURE).toBe(true);
    expect(loadConfig({ COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
  });

  it('lists every problem at once, each naming its key', () => {
    const problems = problemsOf({
      PORT: '70000',
      ZHIZHI_MODE: 'staging',
      LOG_LEVEL: 'loud',
      BODY_LIMIT_BYTES: '10',
      COOKIE_SECURE: 'yes',
    });
    expect(problems).toHaveLength(5);
    for (const key of ['PORT', 'ZHIZHI_MODE', 'LOG_LEVEL', 'BODY_LIMIT_BYTES', 'COOKIE_SECURE']) {
      expect(
        problems.some((p) => p.startsWith(`${key}:`)),
        key,
      ).toBe(true);
    }
    const err = (() => {
      try {
        loadConfig({ PORT: 'x', LOGIN_MAX_FAILURES: '0' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/PORT/);
    expect(err?.message).toMatch(/LOGIN_MAX_FAILURES/);
  });

  it('requires DATABASE_URL to be a postgres:// or postgresql:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/zhizhi' }).DATABASE_URL).toBe(
      'postgres://u:p@db:5432/zhizhi',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/zhizhi' }).DATABASE_URL).toBe(
      'postgresql://db/zhizhi',
    );
    for (const bad of ['mysql://db/zhizhi', 'db:5432', 'file:./data']) {
      const problems = problemsOf({ DATABASE_URL: bad });
      expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: .*postgres:\/\//)]);
    }
  });

  it('rejects a PUBLIC_URL that is not a URL', () => {
    expect(problemsOf({ PUBLIC_URL: 'not a url' })).toEqual([expect.stringMatching(/^PUBLIC_URL:/)]);
  });

  it('ZHIZHI_WORKERS: 1 by default, auto is one per core, more than one needs PostgreSQL', () => {
    expect(loadConfig({}).ZHIZHI_WORKERS).toBe(1);
    const pg = { DATABASE_URL: 'postgres://u:p@localhost/db' };
    expect(loadConfig({ ...pg, ZHIZHI_WORKERS: '3' }).ZHIZHI_WORKERS).toBe(3);
    expect(loadConfig({ ...pg, ZHIZHI_WORKERS: 'auto' }).ZHIZHI_WORKERS).toBe(availableParallelism());
    expect(problemsOf({ ZHIZHI_WORKERS: '2' })).toEqual([
      'ZHIZHI_WORKERS: more than one server process needs PostgreSQL (DATABASE_URL): embedded PGlite serves one process',
    ]);
    expect(problemsOf({ ...pg, ZHIZHI_WORKERS: '0' })[0]).toMatch(/^ZHIZHI_WORKERS: /);
  });
});
