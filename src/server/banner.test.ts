import { describe, expect, it } from 'vitest';
import { formatBanner, isLoopbackHost, type BannerInput } from './banner.ts';
import { loadConfig } from './config.ts';

const accounts = [
  { username: 'admin', role: 'admin', displayName: '王建国' },
  { username: 'gridworker', role: 'grid_worker', displayName: '杨帆' },
];

function banner(env: Record<string, string>, engine: BannerInput['engine'] = 'pglite'): string {
  const config = loadConfig(env);
  return formatBanner({
    config,
    engine,
    demoAccounts: config.ZHIZHI_MODE === 'demo' ? accounts : [],
    demoPassword: 'Zhizhi@2026',
    port: 41234,
    ms: 2345,
  });
}

const WARNING = /WARNING: demo mode is listening on/;
const WARNING_ZH = /警告：演示环境正在监听/;

describe('startup banner', () => {
  it('demo mode on its default loopback address: the accounts, and no warning', () => {
    const text = banner({});
    expect(text).toContain('智治 Zhizhi is running at http://localhost:41234  (started in 2.3 s)');
    expect(text).toContain('embedded PGlite in ./data');
    expect(text).toContain('password for all: Zhizhi@2026');
    expect(text).toMatch(/admin {8}admin {12}王建国/);
    expect(text).not.toMatch(WARNING);
    expect(text).not.toMatch(WARNING_ZH);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20'])(
    'demo mode listening on %s warns, in Chinese and English, that the demo passwords are exposed',
    (host) => {
      const text = banner({ HOST: host });
      expect(text).toMatch(WARNING_ZH);
      expect(text).toMatch(WARNING);
      expect(text).toContain(`listening on ${host}`);
      // The warning follows the accounts it is about.
      expect(text.indexOf('WARNING')).toBeGreaterThan(text.indexOf('王建国'));
    },
  );

  it('an explicit loopback HOST in demo mode does not warn', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(banner({ HOST: host })).not.toMatch(WARNING);
  });

  it('production mode lists no accounts and never warns about demo passwords', () => {
    const text = banner({ ZHIZHI_MODE: 'production' }, 'postgres');
    expect(text).toContain('database: PostgreSQL');
    expect(text).toContain('production mode: create the first administrator');
    expect(text).not.toContain('Zhizhi@2026');
    expect(text).not.toMatch(WARNING);
  });

  it('prints the address it listens on when that is one particular interface, else localhost or PUBLIC_URL', () => {
    expect(banner({ HOST: '192.168.1.20' })).toContain('is running at http://192.168.1.20:41234');
    expect(banner({ HOST: '0.0.0.0' })).toContain('is running at http://localhost:41234');
    expect(banner({ PUBLIC_URL: 'https://zhizhi.example.gov.cn' })).toContain(
      'is running at https://zhizhi.example.gov.cn  (',
    );
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from exposed addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.20', 'zhizhi.example', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});
