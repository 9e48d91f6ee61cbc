import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_POSTGRES, requirePostgresUrl } from '../support/ci.ts';
import { disposeAll, makeDatabaseUrl, makeTempDir, runCli, type CliResult } from '../support/server.ts';

// The `zhizhi` command as an operator runs it (`node bin/zhizhi.js`, the package's bin), with its documented exit
// codes: 0 ok, 2 usage, 65 data error, 69 database unavailable, 75 data directory in use (data-dir-lock.e2e.test.ts),
// 78 bad configuration.

afterAll(() => disposeAll());

const show = (r: CliResult) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

describe('help and usage', () => {
  const commands = [
    [],
    ['serve'],
    ['db'],
    ['db', 'migrate'],
    ['demo'],
    ['demo', 'load'],
    ['user'],
    ['user', 'create'],
  ];

  // Independent short processes: run them side by side.
  it.concurrent.for(commands.map((c) => [c.join(' ') || '(root)', c] as const))(
    '`%s --help` exits 0',
    async ([, args], { expect }) => {
      const r = await runCli([...args, '--help']);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toMatch(/Usage: zhizhi/);
      if (args.length) expect(r.stdout).toContain(args[args.length - 1]!);
    },
  );

  it('`user create --help` documents its options', async () => {
    const r = await runCli(['user', 'create', '--help']);
    for (const flag of ['--username', '--name', '--role', '--password', '--region', '--department']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('an unknown command exits 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/unknown command/i);
  });

  it('an unknown option exits 2', async () => {
    const r = await runCli(['db', 'migrate', '--no-such-option']);
    expect(r.code, show(r)).toBe(2);
  });

  it('a missing required option exits 2', async () => {
    const r = await runCli(['user', 'create', '-n', '张三', '-p', 'Strong-Passw0rd-1'], {
      ZHIZHI_DATA_DIR: makeTempDir(),
    });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/--username/);
  });

  it('--version prints the version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

/** The data commands, on one engine; `env` points the CLI at a fresh database. */
function dataCommands(engine: string, freshEnv: () => Promise<Record<string, string>>) {
  describe(`data commands on ${engine}`, () => {
    let env: Record<string, string>;

    beforeAll(async () => {
      env = await freshEnv();
    });

    it('`db migrate` applies the schema once, then reports it up to date', async () => {
      const a = await runCli(['db', 'migrate'], env);
      expect(a.code, show(a)).toBe(0);
      expect(a.stdout).toMatch(/^applied: \S/m);
      const b = await runCli(['db', 'migrate'], env);
      expect(b.code, show(b)).toBe(0);
      expect(b.stdout).toMatch(/up to date/);
      expect(b.stdout).not.toMatch(/applied:/);
    });

    it('`demo load` twice is idempotent: the second run adds nothing', async () => {
      const a = await runCli(['demo', 'load'], env);
      expect(a.code, show(a)).toBe(0);
      const first = counts(a.stdout);
      expect(first.regions).toBeGreaterThan(0);
      expect(first.departments).toBeGreaterThan(0);
      expect(first.accounts).toBeGreaterThanOrEqual(9);
      const b = await runCli(['demo', 'load'], env);
      expect(b.code, show(b)).toBe(0);
      expect(counts(b.stdout)).toEqual({
        regions: 0,
        grids: 0,
        departments: 0,
        accounts: 0,
        layerFeatures: 0,
        assignments: 0,
        cases: 0,
      });
    });

    it('`user create` creates an account, and refuses the same username again with 65', async () => {
      const args = [
        'user',
        'create',
        '-u',
        'clerk01',
        '-n',
        '王小明',
        '-r',
        'admin',
        '-p',
        'Clerk-Passw0rd-2026',
      ];
      const a = await runCli(args, env);
      expect(a.code, show(a)).toBe(0);
      expect(a.stdout).toMatch(/created admin clerk01/);
      const b = await runCli(args, env);
      expect(b.code, show(b)).toBe(65);
      expect(b.stderr).toMatch(/duplicate|exists/i);
      // A demo account's name is taken too.
      const c = await runCli(
        ['user', 'create', '-u', 'admin', '-n', '另一个', '-p', 'Another-Passw0rd-1'],
        env,
      );
      expect(c.code, show(c)).toBe(65);
    });

    it('`user create` with a weak password exits 65 and writes nothing', async () => {
      const weak = await runCli(
        ['user', 'create', '-u', 'weakling', '-n', '弱密码', '-r', 'admin', '-p', 'abc'],
        env,
      );
      expect(weak.code, show(weak)).toBe(65);
      expect(weak.stderr).toMatch(/password/i);
      expect(weak.stdout).not.toMatch(/created/);
      // Nothing was written: the same username with a good password is still free.
      const ok = await runCli(
        ['user', 'create', '-u', 'weakling', '-n', '弱密码', '-r', 'admin', '-p', 'Now-Strong-Passw0rd-9'],
        env,
      );
      expect(ok.code, show(ok)).toBe(0);
    });

    it('`user create` with a malformed username or unknown role names the field', async () => {
      const badName = await runCli(
        ['user', 'create', '-u', 'x y', '-n', '某人', '-p', 'Strong-Passw0rd-1'],
        env,
      );
      expect([2, 65], show(badName)).toContain(badName.code);
      expect(badName.stderr).toMatch(/username/);
      const badRole = await runCli(
        ['user', 'create', '-u', 'someone', '-n', '某人', '-r', 'emperor', '-p', 'Strong-Passw0rd-1'],
        env,
      );
      expect([2, 65], show(badRole)).toContain(badRole.code);
      expect(badRole.stderr).toMatch(/role/);
    });
  });
}

function counts(stdout: string): Record<string, number> {
  const m =
    /added (\d+) regions, (\d+) grids, (\d+) departments, (\d+) accounts, (\d+) layer features, (\d+) grid assignments, (\d+) cases/.exec(
      stdout,
    );
  if (!m) throw new Error(`no summary line in:\n${stdout}`);
  return {
    regions: Number(m[1]),
    grids: Number(m[2]),
    departments: Number(m[3]),
    accounts: Number(m[4]),
    layerFeatures: Number(m[5]),
    assignments: Number(m[6]),
    cases: Number(m[7]),
  };
}

dataCommands('PGlite', async () => ({ ZHIZHI_DATA_DIR: makeTempDir() }));

if (RUN_POSTGRES) {
  dataCommands('PostgreSQL', async () => ({ DATABASE_URL: await makeDatabaseUrl(requirePostgresUrl()) }));
}

describe('database and configuration failures', () => {
  it('exits 69 when PostgreSQL is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const r = await runCli(['db', 'migrate'], { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
    expect(r.code, show(r)).toBe(69);
    expect(r.stderr).toMatch(/unreachable|unavailable/i);
  });

  it('exits 78 on a bad configuration, before touching any database', async () => {
    const r = await runCli(['db', 'migrate'], { ZHIZHI_MODE: 'staging', DATABASE_POOL_SIZE: '0' });
    expect(r.code, show(r)).toBe(78);
    expect(r.stderr).toMatch(/ZHIZHI_MODE/);
    expect(r.stderr).toMatch(/DATABASE_POOL_SIZE/);
  });
});
