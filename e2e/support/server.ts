/**
 * Starts the real server as a child process (`node bin/zhizhi.js serve`), the way an operator does, on a fresh
 * embedded PGlite directory or on a fresh schema of a PostgreSQL server, and waits until it is ready.
 *
 * Restarting on the same data: pass the first handle's `dataDir` (PGlite) or `databaseUrl` (PostgreSQL) to the next
 * `startServer()`. Whatever the harness created (temp directories, databases) is removed by `disposeAll()`; temp
 * directories and still-running servers also at process exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_ENTRY = join(REPO_ROOT, 'bin', 'zhizhi.js');
export const DEMO_PASSWORD = 'Zhizhi@2026';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
/** The output kept per process: enough for every banner and error, bounded for long write storms. */
const OUTPUT_LIMIT = 2_000_000;

export interface StartOptions {
  /** Extra environment for the server (wins over the harness defaults: PORT=0, HOST=127.0.0.1, LOG_LEVEL=warn). */
  env?: Record<string, string>;
  /** PGlite data directory to (re)use; default a fresh temp directory. Ignored when a database URL applies. */
  dataDir?: string;
  /**
   * PostgreSQL instead of PGlite: the server of this URL gets a fresh database for this server, unless the URL is a
   * previous handle's `databaseUrl` (then it restarts on that data). Default: `process.env.E2E_DATABASE_URL`.
   */
  databaseUrl?: string;
  /** Force embedded PGlite even when E2E_DATABASE_URL is set. */
  engine?: 'pglite' | 'postgres';
}

export interface ServerHandle {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  engine: 'pglite' | 'postgres';
  /** The PGlite directory ('' on PostgreSQL). */
  dataDir: string;
  /** The PostgreSQL URL of this server's own database ('' on PGlite): pass it back to restart on the same data. */
  databaseUrl: string;
  proc: ChildProcess;
  /** Milliseconds from spawn until /readyz answered 200. */
  startupMs: number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code (null when ended by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** `kill -9`, then waits until the process is gone. */
  kill9(): Promise<void>;
  /** Everything the process printed on stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

// --- resources to clean up ----------------------------------------------------------------------------------------

const liveProcs = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
const ownedDatabases: { baseUrl: string; name: string }[] = [];
const ownedSchemas: { baseUrl: string; name: string }[] = [];
/** URLs this harness made: passing one back restarts on the same data instead of making a new database. */
const madeUrls = new Set<string>();

process.once('exit', () => {
  // Synchronous only: kill what still runs, remove temp directories, and drop leftover databases with psql when it
  // is installed (best effort: a caller that never ran disposeAll(), such as a browser test, leaves no trace).
  for (const p of liveProcs) p.kill('SIGKILL');
  for (const d of ownedDirs) rmSync(d, { recursive: true, force: true });
  for (const { baseUrl, sql } of dropStatements()) {
    spawnSync('psql', [baseUrl, '-qc', sql], {
      stdio: 'ignore',
      timeout: 10_000,
      env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    });
  }
});

function dropStatements(): { baseUrl: string; sql: string }[] {
  return [
    ...ownedDatabases.splice(0).map((d) => ({
      baseUrl: d.baseUrl,
      sql: `DROP DATABASE IF EXISTS "${d.name}" WITH (FORCE)`,
    })),
    ...ownedSchemas
      .splice(0)
      .map((d) => ({ baseUrl: d.baseUrl, sql: `DROP SCHEMA IF EXISTS "${d.name}" CASCADE` })),
  ];
}

/** Kills every server still running, removes the temp directories and drops the databases this process created. */
export async function disposeAll(): Promise<void> {
  await Promise.all([...liveProcs].map((p) => killAndWait(p)));
  for (const d of ownedDirs) rmSync(d, { recursive: true, force: true });
  ownedDirs.clear();
  for (const { baseUrl, sql } of dropStatements()) {
    const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** Under `npm run test:e2e` the global setup gives one directory for the run, removed at its end. */
export function makeTempDir(prefix = 'zhizhi-e2e-'): string {
  const dir = mkdtempSync(join(process.env.ZHIZHI_E2E_TMP ?? tmpdir(), prefix));
  ownedDirs.add(dir);
  return dir;
}

/**
 * A fresh, empty database on the PostgreSQL server of `baseUrl`, as an operator would give the server (its own
 * database, public schema), and its URL. Falls back to a fresh schema in the base database (first on the search
 * path) when the role may not create databases.
 */
export async function makeDatabaseUrl(baseUrl: string): Promise<string> {
  // The run id lets the global teardown find whatever this run left behind.
  const name = `e2e_${process.env.ZHIZHI_E2E_RUN ?? 'x'}_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      ownedDatabases.push({ baseUrl, name });
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      madeUrls.add(url.toString());
      return url.toString();
    } catch (err) {
      if ((err as { code?: string }).code !== '42501') throw err; // insufficient_privilege: use a schema
    }
    await client.query(`CREATE SCHEMA "${name}"`);
    ownedSchemas.push({ baseUrl, name });
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${name}`);
    madeUrls.add(url.toString());
    return url.toString();
  } finally {
    await client.end();
  }
}

/** Variables of ours that would point a child at another database, port or mode (the harness sets its own). */
const NOT_INHERITED =
  /^(DATABASE_URL|TEST_DATABASE_URL|ZHIZHI_.*|PORT|HOST|PUBLIC_URL|LOG_LEVEL|NODE_OPTIONS|VITEST.*)$/;

/** The environment every child starts from: ours, less anything that would point it at another database or port. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.test(k)) env[k] = v;
  return env;
}

async function resolveDatabase(
  opts: StartOptions,
): Promise<{ engine: 'pglite' | 'postgres'; dataDir: string; databaseUrl: string }> {
  const wanted = opts.engine === 'pglite' ? undefined : (opts.databaseUrl ?? process.env.E2E_DATABASE_URL);
  if (opts.engine === 'postgres' && !wanted)
    throw new Error('engine postgres needs databaseUrl or E2E_DATABASE_URL');
  if (wanted) {
    const url = madeUrls.has(wanted) ? wanted : await makeDatabaseUrl(wanted);
    return { engine: 'postgres', dataDir: '', databaseUrl: url };
  }
  return { engine: 'pglite', dataDir: opts.dataDir ?? makeTempDir(), databaseUrl: '' };
}

// --- starting and stopping ----------------------------------------------------------------------------------------

export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  const db = await resolveDatabase(opts);
  const env: Record<string, string> = {
    ...baseEnv(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...(db.engine === 'postgres' ? { DATABASE_URL: db.databaseUrl } : { ZHIZHI_DATA_DIR: db.dataDir }),
    ...opts.env,
  };
  const t0 = Date.now();
  const proc = spawn(process.execPath, [CLI_ENTRY, 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveProcs.add(proc);
  const out = captureOutput(proc);
  const exited = new Promise<number | null>((resolve) => {
    // 'close' rather than 'exit': by then stdout and stderr are drained, so output() is complete.
    proc.once('close', (code) => {
      liveProcs.delete(proc);
      resolve(code);
    });
  });

  let port: number;
  try {
    port = await waitForPort(proc, out, exited);
    await waitReady(`http://127.0.0.1:${port}`, exited, out);
  } catch (err) {
    await killAndWait(proc);
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    engine: db.engine,
    dataDir: db.dataDir,
    databaseUrl: db.databaseUrl,
    proc,
    startupMs: Date.now() - t0,
    exited,
    output: () => out.text,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill9: async () => {
      await killAndWait(proc);
    },
  };
}

function captureOutput(proc: ChildProcess): { text: string } {
  const out = { text: '' };
  const add = (chunk: Buffer) => {
    out.text += chunk.toString('utf8');
    if (out.text.length > OUTPUT_LIMIT) out.text = out.text.slice(-OUTPUT_LIMIT);
  };
  proc.stdout?.on('data', add);
  proc.stderr?.on('data', add);
  return out;
}

function failure(message: string, out: { text: string }): Error {
  return new Error(`${message}\n--- server output ---\n${out.text.slice(-20_000)}`);
}

/** Reads the port from the banner line `... is running at http://localhost:<port>`. */
function waitForPort(
  proc: ChildProcess,
  out: { text: string },
  exited: Promise<number | null>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => finish(failure(`no banner within ${READY_TIMEOUT_MS} ms`, out)),
      READY_TIMEOUT_MS,
    );
    const onData = () => {
      const m = /is running at https?:\/\/[^\s:/]+:(\d+)/.exec(out.text);
      if (m) finish(null, Number(m[1]));
    };
    const finish = (err: Error | null, port?: number) => {
      clearTimeout(deadline);
      proc.stdout?.off('data', onData);
      if (err) reject(err);
      else resolve(port!);
    };
    proc.stdout?.on('data', onData);
    void exited.then((code) => finish(failure(`server exited with code ${code} before it was ready`, out)));
  });
}

async function waitReady(url: string, exited: Promise<number | null>, out: { text: string }): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (gone !== undefined) throw failure(`server exited with code ${gone} before /readyz answered 200`, out);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw failure(`/readyz did not answer 200 within ${READY_TIMEOUT_MS} ms (last: ${last})`, out);
}

function killAndWait(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('close', () => resolve());
    proc.kill('SIGKILL');
  });
}

// --- the CLI --------------------------------------------------------------------------------------------------------

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `zhizhi <args>` to completion with the harness environment plus `env` (no stdin). */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: REPO_ROOT,
      env: { ...baseEnv(), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(`zhizhi ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
