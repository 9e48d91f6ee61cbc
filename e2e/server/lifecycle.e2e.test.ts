import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IS_CI } from '../support/ci.ts';
import { anonymous, API, login, request, type Client } from '../support/http.ts';
import {
  DEMO_PASSWORD,
  disposeAll,
  REPO_ROOT,
  runCli,
  startServer,
  type ServerHandle,
} from '../support/server.ts';

// The server's life on embedded PGlite, as an operator sees it: first start, restart, graceful stop, bad
// configuration, production mode. (Durability under kill -9 and PostgreSQL are in durability.e2e.test.ts.)

const REGION = '990102000000';
const WEB_INDEX = join(REPO_ROOT, 'web', 'dist', 'index.html');

afterAll(() => disposeAll());

async function createDepartment(client: Client, code: string): Promise<void> {
  const r = await client.post(`${API}/departments`, { code, name: `部门 ${code}`, regionCode: REGION });
  expect(r.status, r.text).toBe(201);
}

async function departmentCodes(client: Client, q: string): Promise<string[]> {
  const r = await client.get<{ items: { code: string }[] }>(`${API}/departments?page=1&pageSize=200&q=${q}`);
  expect(r.status, r.text).toBe(200);
  return r.json.items.map((d) => d.code);
}

/**
 * Starts a POST whose body arrives in two parts: the server has the request in hand (headers and half the body)
 * but cannot finish it until `finish()` sends the rest. With `keepAlive` the connection stays open after the
 * response, as a browser's does; without it the client asks the server to close it.
 */
function slowPost(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  keepAlive: boolean,
) {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  const agent = new http.Agent({ keepAlive });
  let resolveReply!: (r: { status: number; text: string }) => void;
  let rejectReply!: (e: Error) => void;
  const reply = new Promise<{ status: number; text: string }>((res, rej) => {
    resolveReply = res;
    rejectReply = rej;
  });
  const req = http.request(`${url}${path}`, {
    method: 'POST',
    agent,
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(payload.length),
      ...(keepAlive ? {} : { connection: 'close' }),
    },
  });
  req.on('response', (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolveReply({ status: res.statusCode ?? 0, text }));
  });
  req.on('error', rejectReply);
  req.flushHeaders();
  req.write(payload.subarray(0, half));
  return {
    reply,
    finish: () => req.end(payload.subarray(half)),
    destroyAgent: () => agent.destroy(),
  };
}

describe('server lifecycle on embedded PGlite', () => {
  let first: ServerHandle;
  let dataDir: string;

  it('starts on a fresh data directory, serves the web app and lets the demo admin log in', async () => {
    first = await startServer({ engine: 'pglite' });
    dataDir = first.dataDir;
    console.log(`first start (migrations + demo data): ${first.startupMs} ms`);
    expect(first.output()).toContain('is running at http://localhost:');

    const health = await request<{ status: string }>('GET', `${first.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await request<{ status: string; database: string }>('GET', `${first.url}/readyz`);
    expect(ready.json).toMatchObject({ status: 'ready', database: 'pglite' });

    const admin = await login(first.url, 'admin', DEMO_PASSWORD);
    expect(admin.csrfToken).not.toBe('');
    const me = await admin.get<{ user: { username: string } }>(`${API}/auth/me`);
    expect(me.status).toBe(200);
    expect(me.json.user.username).toBe('admin');
    await createDepartment(admin, 'LIFECYCLE-1');
  });

  // The web build is an artifact of `npm run build`; in CI it must exist (the pipeline builds before e2e).
  it.skipIf(!existsSync(WEB_INDEX) && !IS_CI)(
    'serves index.html at / and for client-side routes',
    async () => {
      expect(existsSync(WEB_INDEX), 'web/dist/index.html is missing: run `npm run build` first').toBe(true);
      for (const path of ['/', '/login', '/workbench']) {
        const r = await request('GET', `${first.url}${path}`, undefined, {
          headers: { accept: 'text/html' },
        });
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type'), path).toMatch(/text\/html/);
        expect(r.text, path).toMatch(/<!doctype html>/i);
        expect(r.text, path).toContain('<div id="root"');
      }
      // Unknown API paths are problems, never the app shell: 401 to a stranger, 404 once signed in.
      expect((await request('GET', `${first.url}${API}/no-such-route`)).status).toBe(401);
      const admin = await login(first.url, 'admin', DEMO_PASSWORD);
      const api404 = await admin.get(`${API}/no-such-route`);
      expect(api404.status, api404.text).toBe(404);
      expect(api404.headers.get('content-type')).toMatch(/problem\+json/);
    },
  );

  it('restarts on the same directory in seconds and keeps the data', async () => {
    expect(await first.stop()).toBe(0);
    const again = await startServer({ engine: 'pglite', dataDir });
    try {
      console.log(`restart on existing data: ${again.startupMs} ms`);
      expect(again.startupMs).toBeLessThan(30_000);
      expect(again.output(), 'demo data must not be loaded twice').not.toContain('demo data loaded');
      const admin = await login(again.url, 'admin', DEMO_PASSWORD);
      expect(await departmentCodes(admin, 'LIFECYCLE')).toEqual(['LIFECYCLE-1']);
    } finally {
      await again.stop();
    }
  });

  it.each([
    ['a client that closes its connection', 'LIFECYCLE-SLOW-1', false],
    ['a keep-alive client (as browsers are)', 'LIFECYCLE-SLOW-2', true],
  ] as const)(
    'on SIGTERM finishes the request in flight from %s, exits 0, and the data reopens',
    async (_n, code, keepAlive) => {
      const server = await startServer({ engine: 'pglite', dataDir });
      const admin = await login(server.url, 'admin', DEMO_PASSWORD);
      const slow = slowPost(
        server.url,
        `${API}/departments`,
        { code, name: '慢请求部门', regionCode: REGION },
        admin.authHeaders(),
        keepAlive,
      );
      try {
        await new Promise((r) => setTimeout(r, 500)); // the server now holds a half-received request
        server.proc.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1500));
        expect(server.proc.exitCode, 'the server must wait for the request in flight').toBeNull();
        // A new connection is refused or answered 503 while the server drains.
        const late = await request('GET', `${server.url}/healthz`, undefined, { timeoutMs: 3000 }).catch(
          () => null,
        );
        if (late) expect(late.status).toBe(503);

        slow.finish();
        const reply = await slow.reply;
        expect(reply.status, reply.text).toBe(201);
        expect(JSON.parse(reply.text)).toMatchObject({ code });
        const t0 = Date.now();
        const exitCode = await server.exited;
        console.log(
          `SIGTERM (${keepAlive ? 'keep-alive' : 'close'}): exit ${exitCode}, ${Date.now() - t0} ms after the response`,
        );
        expect(server.output(), 'an idle keep-alive connection must not hold the shutdown').not.toMatch(
          /graceful shutdown timed out/,
        );
        expect(exitCode, server.output()).toBe(0);
      } finally {
        slow.destroyAgent();
        await server.kill9();
      }

      const reopened = await startServer({ engine: 'pglite', dataDir });
      try {
        const again = await login(reopened.url, 'admin', DEMO_PASSWORD);
        expect(await departmentCodes(again, 'LIFECYCLE')).toContain(code);
        expect(await reopened.stop()).toBe(0);
      } finally {
        await reopened.kill9();
      }
    },
  );
});

describe('configuration', () => {
  it('refuses a bad configuration with exit 78 and names every problem', async () => {
    const r = await runCli(['serve'], {
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      ZHIZHI_DATA_DIR: '/nonexistent',
    });
    expect(r.code, r.stdout + r.stderr).toBe(78);
    expect(r.stderr).toMatch(/PORT/);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stdout).not.toContain('is running at');
  });

  it('starts in production mode with no demo accounts; `user create` makes the first administrator', async () => {
    const env = { ZHIZHI_MODE: 'production' };
    const server = await startServer({ engine: 'pglite', env });
    const { dataDir: dir } = server;
    try {
      expect(server.output()).not.toContain('demo data');
      const denied = await anonymous(server.url).login('admin', DEMO_PASSWORD);
      expect(denied.status).toBe(401);
      const departments = await request('GET', `${server.url}${API}/departments`);
      expect(departments.status).toBe(401);
    } finally {
      // PGlite is one process's database: the CLI works on the directory while the server is stopped.
      expect(await server.stop()).toBe(0);
    }

    const created = await runCli(
      ['user', 'create', '-u', 'chief', '-n', '系统管理员', '-r', 'admin', '-p', 'Chief-Admin-2026x'],
      { ...env, ZHIZHI_DATA_DIR: dir },
    );
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect(created.stdout).toMatch(/created admin chief/);

    const again = await startServer({ engine: 'pglite', dataDir: dir, env });
    try {
      const chief = await login(again.url, 'chief', 'Chief-Admin-2026x');
      const me = await chief.get<{ user: { username: string; role: string } }>(`${API}/auth/me`);
      expect(me.json.user).toMatchObject({ username: 'chief', role: 'admin' });
      const users = await chief.get<{ total: number }>(`${API}/users?page=1&pageSize=20`);
      expect(users.status, users.text).toBe(200);
      expect(users.json.total, 'production starts with no accounts but the one created').toBe(1);
      expect((await anonymous(again.url).login('admin', DEMO_PASSWORD)).status).toBe(401);
      const demo = await runCli(['demo', 'load'], { ...env, ZHIZHI_DATA_DIR: '/nonexistent-never-opened' });
      expect(demo.code, demo.stderr).toBe(2);
      expect(demo.stderr).toMatch(/production/);
    } finally {
      await again.stop();
    }
  });
});
