import type { Engine } from '../db/connect.ts';
import type { Config } from './config.ts';

export interface BannerInput {
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT' | 'ZHIZHI_MODE' | 'ZHIZHI_DATA_DIR' | 'ZHIZHI_WORKERS'>;
  engine: Engine;
  /** Demo mode: the accounts listed, and their shared password. */
  demoAccounts: readonly { username: string; role: string; displayName: string }[];
  demoPassword: string;
  /** The port actually listened on (0 in the config means one chosen by the system). */
  port: number;
  /** Milliseconds the start took. */
  ms: number;
}

/** Whether `host` can only be reached from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The address to print: the listening host itself unless it is loopback or every interface. */
function urlOf(config: BannerInput['config'], port: number): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  const host = config.HOST;
  const shown =
    isLoopbackHost(host) || isWildcardHost(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port || config.PORT}`;
}

/**
 * What an operator sees once the server listens: the address, the database, and in demo mode the demo accounts —
 * with a warning when those published passwords are reachable from the network (demo mode on a non-loopback
 * address). Console texts are bilingual, zh-CN first, like the rest of the banner.
 */
export function formatBanner(input: BannerInput): string {
  const { config, engine, port, ms } = input;
  const url = urlOf(config, port);
  const workers = config.ZHIZHI_WORKERS > 1 ? `, ${config.ZHIZHI_WORKERS} server processes` : '';
  const lines = [
    '',
    `  智治 Zhizhi is running at ${url}  (started in ${(ms / 1000).toFixed(1)} s${workers})`,
    `  database: ${engine === 'pglite' ? `embedded PGlite in ${config.ZHIZHI_DATA_DIR}` : 'PostgreSQL'}`,
    `  API docs: ${url}/api/docs`,
  ];
  if (config.ZHIZHI_MODE === 'demo') {
    lines.push(
      '',
      `  演示环境 DEMO MODE — fictional data. Demo accounts (password for all: ${input.demoPassword}):`,
    );
    for (const a of input.demoAccounts)
      lines.push(`    ${a.username.padEnd(12)} ${a.role.padEnd(16)} ${a.displayName}`);
    if (!isLoopbackHost(config.HOST)) lines.push('', ...exposedDemoWarning(config.HOST));
  } else {
    lines.push(
      '  production mode: create the first administrator with `npx zhizhi user create --role admin ...`',
    );
  }
  return lines.join('\n') + '\n\n';
}

function exposedDemoWarning(host: string): string[] {
  return [
    `  !! 警告：演示环境正在监听 ${host}，网络上的任何人都能用上面公开的演示密码登录（包括系统管理员）。`,
    '  !! 只在本机试用时请不要设置 HOST（演示环境默认只监听 127.0.0.1）；真实使用请用 ZHIZHI_MODE=production。',
    `  !! WARNING: demo mode is listening on ${host}: anyone on the network can sign in with the published demo`,
    '  !! passwords above, administrator included. Leave HOST unset to keep the demo on this machine (127.0.0.1);',
    '  !! for real use run ZHIZHI_MODE=production.',
  ];
}
