import { afterAll, describe, expect, it } from 'vitest';
import { anonymous, API, login } from '../support/http.ts';
import {
  DEMO_PASSWORD,
  disposeAll,
  runCli,
  startServer,
  type CliResult,
  type ServerHandle,
} from '../support/server.ts';

// Embedded PGlite is one process's database: while a server runs on a data directory, every other `zhizhi`
// process that would open it (a second server, a CLI command) refuses with exit 75 and names the holder, instead
// of writing into a copy the server never sees. A lock left by `kill -9` does not block the next start.

afterAll(() => disposeAll());

const IN_USE = 75;
const show = (r: CliResult) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

function expectRefused(r: CliResult, holder: ServerHandle): void {
  expect(r.code, show(r)).toBe(IN_USE);
  expect(r.stderr).toContain(`in use by process ${holder.proc.pid}`);
  expect(r.stderr).toContain(`正被进程 ${holder.proc.pid}`);
  expect(r.stdout).not.toMatch(/created|applied|is running at/);
}

describe('one process per embedded data directory', () => {
  let server: ServerHandle;

  it('refuses `user create` while the server runs, and the server keeps working', async () => {
    server = await startServer({ engine: 'pglite' });
    const env = { ZHIZHI_DATA_DIR: server.dataDir };
    const created = await runCli(
      ['user', 'create', '-u', 'lockchief', '-n', '锁测试', '-r', 'admin', '-p', 'Lock-Chief-2026x'],
      env,
    );
    expectRefused(created, server);
    expectRefused(await runCli(['db', 'migrate'], env), server);

    // Nothing was written anywhere: the account does not exist for the running server.
    expect((await anonymous(server.url).login('lockchief', 'Lock-Chief-2026x')).status).toBe(401);
    const admin = await login(server.url, 'admin', DEMO_PASSWORD);
    const me = await admin.get<{ user: { username: string } }>(`${API}/auth/me`);
    expect(me.status, me.text).toBe(200);
  });

  it('refuses a second server on the same directory', async () => {
    const second = await runCli(
      ['serve'],
      { ZHIZHI_DATA_DIR: server.dataDir, PORT: '0', HOST: '127.0.0.1' },
      60_000,
    );
    expectRefused(second, server);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('starts again after `kill -9` left its lock behind, and frees the directory on a clean stop', async () => {
    await server.kill9();
    const again = await startServer({ engine: 'pglite', dataDir: server.dataDir });
    const admin = await login(again.url, 'admin', DEMO_PASSWORD);
    expect((await admin.get(`${API}/auth/me`)).status).toBe(200);
    expect(await again.stop()).toBe(0);

    const created = await runCli(
      ['user', 'create', '-u', 'lockchief', '-n', '锁测试', '-r', 'admin', '-p', 'Lock-Chief-2026x'],
      { ZHIZHI_DATA_DIR: server.dataDir },
    );
    expect(created.code, show(created)).toBe(0);
  });
});
