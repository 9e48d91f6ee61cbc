import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDistrict } from '../../src/services/spatial/fixtures/gcj02-district.ts';
import { RUN_POSTGRES, requirePostgresUrl } from '../support/ci.ts';
import { API, login } from '../support/http.ts';
import { DEMO_PASSWORD, disposeAll, runCli, startServer } from '../support/server.ts';

// Several server processes on one port (ZHIZHI_WORKERS, node:cluster) over one PostgreSQL, as an operator runs
// them on a machine with more cores: every process answers, a job started through one is polled through any, a
// process that dies is replaced, and SIGTERM stops them all.

afterAll(() => disposeAll());

/** The worker processes of the primary `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** A GET on a connection of its own (no keep-alive), answered with the status and the parsed JSON. */
function getFresh(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: { status?: string; accepted?: boolean | null } }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
  });
}

async function until<T>(what: string, f: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('ZHIZHI_WORKERS=2 on PostgreSQL', () => {
  it.runIf(RUN_POSTGRES)(
    'two processes serve one port; an import job is polled through either; a dead process is replaced',
    async () => {
      const server = await startServer({ databaseUrl: requirePostgresUrl(), env: { ZHIZHI_WORKERS: '2' } });
      expect(server.output()).toContain('2 server processes');
      const primary = server.proc.pid!;
      const workers = childrenOf(primary);
      expect(workers).toHaveLength(2);

      // A system-wide administrator (the demo admin is scoped to 示范区) imports a district as a dry run.
      const cli = await runCli(
        ['user', 'create', '-u', 'root', '-n', '系统管理员', '-r', 'admin', '-p', DEMO_PASSWORD],
        { DATABASE_URL: server.databaseUrl },
      );
      expect(cli.code, cli.stderr).toBe(0);
      const root = await login(server.url, 'root', DEMO_PASSWORD);
      const started = await root.post<{ jobId: string }>(`${API}/spatial/imports`, {
        format: 'geojson',
        data: fixtureDistrict().gcj02,
        kind: 'regions',
        crs: 'gcj02',
        mapping: { code: 'CODE', name: 'NAME', parentCode: 'PCODE' },
        dryRun: true,
      });
      expect(started.status, started.text).toBe(202);
      // Each poll on a new connection: the primary hands connections to the processes in turn, and the job is
      // found whichever answers.
      const poll = () =>
        getFresh(`${server.url}${API}/spatial/imports/${started.json.jobId}`, root.authHeaders());
      let last = await poll();
      for (let i = 0; i < 40 && last.json?.status !== 'done'; i++) {
        expect(last.status, last.text).toBe(200);
        await new Promise((r) => setTimeout(r, 250));
        last = await poll();
      }
      expect(last.json).toMatchObject({ status: 'done', accepted: true });
      for (let i = 0; i < 6; i++) expect((await poll()).status).toBe(200);

      // kill -9 one process: the primary starts another; the port keeps answering meanwhile.
      process.kill(workers[0]!, 'SIGKILL');
      const replaced = await until('a replacement process', () => {
        const now = childrenOf(primary);
        return now.length === 2 && !now.includes(workers[0]!) ? now : undefined;
      });
      expect(replaced).toContain(workers[1]);
      for (let i = 0; i < 6; i++) {
        expect((await getFresh(`${server.url}/readyz`)).status).toBe(200);
      }
      expect(server.output()).toMatch(/server process 0 exited \(SIGKILL\)/);

      // SIGTERM: every process finishes and the primary exits 0.
      expect(await server.stop()).toBe(0);
      expect(() => process.kill(replaced[0]!, 0)).toThrow();
      expect(() => process.kill(replaced[1]!, 0)).toThrow();
    },
    120_000,
  );
});
