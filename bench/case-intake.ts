/**
 * case-intake: end-to-end case creation over HTTP — `POST /api/v1/cases` with an API token, through the real
 * server (`zhizhi serve`, a child process started the way an operator starts it, demo district and its 2,000
 * cases loaded, LOG_LEVEL=warn): validate, locate the point, suggest the department, insert the case, its first
 * timeline event and ledger entry, answer the full case detail. Concurrent keep-alive clients post random points
 * inside the district with random categories, after a warm-up; every answer is checked, and the rows are counted
 * afterwards.
 *
 * Baseline, same run, same concurrency: raw single-row INSERTs of a comparable row (every column of a case,
 * same indexes, no foreign keys) straight through `pg` into the same database. With BENCH_DATABASE_URL unset the
 * PostgreSQL figures are skipped (said on the line and on stderr); the embedded PGlite figures are always measured
 * (its baseline: the same raw insert into an in-process PGlite).
 *
 * Processes: the server runs alone in its own process (as in production), PostgreSQL in its own, and the client in
 * this one — a lean keep-alive HTTP/1.1 load generator, like wrk or autocannon. On a 2-core machine all three share
 * the cores, so the rate is what the machine does end to end, the client's cost included; CPU time per create is
 * reported for each of them (server_cpu_us, db_cpu_us, client_cpu_us, from /proc), which unlike the rate hardly
 * depends on what else the machine is doing.
 */
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { buildPolygonIndex } from '../src/domain/geo/polygon-index.ts';
import { generateDemoDistrict } from '../src/domain/region/demo-district.ts';
import { disposeAll, startServer, type ServerHandle } from '../e2e/support/server.ts';
import type { BenchResult } from './run.ts';
import { mulberry32 } from '../src/domain/shared/prng.ts';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const CREATES = env('BENCH_INTAKE_CREATES', 10_000);
const WARMUP = env('BENCH_INTAKE_WARMUP', 1_500);
const PGLITE_CREATES = env('BENCH_INTAKE_PGLITE_CREATES', 2_000);
const CONCURRENCY = env('BENCH_INTAKE_CONCURRENCY', 32);
// Server processes on PostgreSQL (ZHIZHI_WORKERS): one by default — on 2 cores shared with PostgreSQL and this
// client a second one is slower (docs/benchmarks.md).
const WORKERS = env('BENCH_INTAKE_WORKERS', 1);
const DEMO_PASSWORD = 'Zhizhi@2026';
const URGENCIES = ['emergency', 'urgent', 'normal', 'complex'] as const;

/** Uniform points inside the demo district's unit grids (rejection sampling over its bounding box). */
function districtPoints(count: number, seed: number): [number, number][] {
  const grids = generateDemoDistrict().grids;
  const index = buildPolygonIndex(grids.map((g) => g.geometry));
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const g of grids) {
    for (const [x, y] of g.geometry.coordinates[0]!) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  const rand = mulberry32(seed);
  const out: [number, number][] = [];
  while (out.length < count) {
    const p: [number, number] = [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)];
    if (index.locate(p[0], p[1]) >= 0) out.push(p);
  }
  return out;
}

// --- a lean keep-alive HTTP/1.1 connection for the measured requests ---------------------------------------------

/**
 * One keep-alive connection sending one request at a time, as a load generator does (wrk, autocannon): the request
 * is written in one go, the answer read up to its Content-Length. Cheaper than `http.request` per call, so the
 * client takes less of the cores it shares with the server and the database.
 */
interface Connection {
  send(head: string, body: string): Promise<{ status: number; body: string }>;
  close(): void;
}

function connect(base: URL): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: base.hostname, port: Number(base.port) }, () => {
      socket.setNoDelay(true);
      resolve({
        send(head, body) {
          return new Promise((res, rej) => {
            pending = { res, rej };
            socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
          });
        },
        close: () => socket.destroy(),
      });
    });
    let pending: { res: (r: { status: number; body: string }) => void; rej: (e: Error) => void } | null =
      null;
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0 || !pending) return;
      const head = buf.toString('latin1', 0, end);
      const m = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!m) {
        pending.rej(new Error(`no content-length in ${head.slice(0, 200)}`));
        return;
      }
      const total = end + 4 + Number(m[1]);
      if (buf.length < total) return;
      const p = pending;
      pending = null;
      const reply = { status: Number(head.slice(9, 12)), body: buf.toString('utf8', end + 4, total) };
      buf = buf.subarray(total);
      p.res(reply);
    });
    socket.on('error', (e) => (pending ? pending.rej(e) : reject(e)));
    socket.on('close', () => pending?.rej(new Error('connection closed')));
  });
}

// --- node:http for the set-up calls ------------------------------------------------------------------------------

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  body: string | null,
  headers: Record<string, string>,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          ...headers,
          ...(body !== null
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

async function json<T>(reply: Promise<Reply>, expected: number, what: string): Promise<T> {
  const r = await reply;
  if (r.status !== expected) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 500)}`);
  return JSON.parse(r.body) as T;
}

/** Signs in as `intake` and `admin`, and has the admin issue `intake` an API token that may create cases. */
async function issueToken(agent: http.Agent, base: URL): Promise<{ token: string; categories: string[] }> {
  const login = async (username: string) => {
    const r = await request(
      agent,
      base,
      'POST',
      '/api/v1/auth/login',
      JSON.stringify({ username, password: DEMO_PASSWORD }),
      {},
    );
    if (r.status !== 200) throw new Error(`login ${username}: HTTP ${r.status} ${r.body}`);
    const cookie = String(r.headers['set-cookie']?.find((c) => c.startsWith('zhizhi_session=')) ?? '').split(
      ';',
    )[0]!;
    const body = JSON.parse(r.body) as { user: { id: string }; csrfToken: string };
    return { id: body.user.id, headers: { cookie, 'x-csrf-token': body.csrfToken } };
  };
  const intake = await login('intake');
  const admin = await login('admin');
  const created = await json<{ token: string }>(
    request(
      agent,
      base,
      'POST',
      '/api/v1/tokens',
      JSON.stringify({
        name: 'bench case-intake',
        permissions: ['case.create'],
        expiresInDays: 1,
        staffId: intake.id,
      }),
      admin.headers,
    ),
    201,
    'create token',
  );
  interface Node {
    code: string;
    children?: Node[];
  }
  const tree = await json<{ items: Node[] }>(
    request(agent, base, 'GET', '/api/v1/categories', null, intake.headers),
    200,
    'categories',
  );
  const leaves: string[] = [];
  const walk = (n: Node) => (n.children?.length ? n.children.forEach(walk) : leaves.push(n.code));
  tree.items.forEach(walk);
  return { token: created.token, categories: leaves };
}

function bodies(count: number, seed: number, categories: string[]): string[] {
  const rand = mulberry32(seed);
  const points = districtPoints(count, seed);
  return points.map(([lng, lat], i) =>
    JSON.stringify({
      categoryCode: categories[Math.floor(rand() * categories.length)],
      urgency: URGENCIES[Math.floor(rand() * URGENCIES.length)],
      title: `压测案件 ${seed}-${i}`,
      description:
        '道路旁井盖破损，存在安全隐患，请尽快处理。Bench report: broken manhole cover by the road.',
      channel: 'api',
      location: { lng, lat },
      address: `示范区测试路 ${i % 500} 号`,
      reporter: { name: '张三', phone: `1380013${String(i % 10000).padStart(4, '0')}` },
    }),
  );
}

interface RunStats {
  count: number;
  ms: number;
  latencies: Float64Array;
  errors: number;
  firstError: string | null;
}

/** `count` calls of `one(i)` from `concurrency` workers; per-call latency and the wall time of the whole run. */
async function drive(
  count: number,
  concurrency: number,
  one: (i: number, worker: number) => Promise<string | null>,
): Promise<RunStats> {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < count; i = next++) {
        const s = performance.now();
        let err: string | null;
        try {
          err = await one(i, worker);
        } catch (e) {
          err = (e as Error).message;
        }
        latencies[i] = performance.now() - s;
        if (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  return { count, ms: performance.now() - t0, latencies, errors, firstError };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summarize(s: RunStats): { rate: number; p50: number; p99: number } {
  const sorted = s.latencies.slice().sort();
  return {
    rate: Math.round(s.count / (s.ms / 1000)),
    p50: Math.round(quantile(sorted, 0.5) * 10) / 10,
    p99: Math.round(quantile(sorted, 0.99) * 10) / 10,
  };
}

/** Warm-up, then the measured run of `creates` POSTs; every answer must be a 201 case detail in state `reported`. */
/** CPU time (ms) used so far by each of these processes, from /proc (Linux); a process gone is left out. */
function cpuMs(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS); // utime, stime
    } catch {
      // not on Linux, or the process ended
    }
  }
  return out;
}

/** CPU ms used between two readings by the processes present in both (null when none is). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>, pids: readonly number[]) {
  let ms = 0;
  let seen = false;
  for (const pid of pids) {
    const a = before.get(pid);
    const b = after.get(pid);
    if (a !== undefined && b !== undefined) {
      ms += b - a;
      seen = true;
    }
  }
  return seen ? ms : null;
}
const CLOCK_TICKS = 100;

/** The server's worker processes (ZHIZHI_WORKERS > 1), from /proc; none when not on Linux. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Warm-up, then the measured run of `creates` POSTs; every answer must be a 201 case detail with its code and
 * one timeline event. CPU per create is measured for the server process, the database backends (`dbPids`) and
 * this client: unlike rates, it hardly depends on what else the machine is doing.
 */
async function httpCreates(
  server: ServerHandle,
  creates: number,
  warmup: number,
  seed: number,
  dbPids: () => Promise<number[]>,
) {
  const base = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  let connections: Connection[] = [];
  try {
    const { token, categories } = await issueToken(agent, base);
    connections = await Promise.all(Array.from({ length: CONCURRENCY }, () => connect(base)));
    const head = (key: string) =>
      `POST /api/v1/cases HTTP/1.1\r\nHost: ${base.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nIdempotency-Key: ${key}\r\n`;
    const post = (all: string[], tag: string) => async (i: number, worker: number) => {
      const r = await connections[worker]!.send(head(`bench-${tag}-${seed}-${i}`), all[i]!);
      if (r.status !== 201) return `HTTP ${r.status} ${r.body.slice(0, 300)}`;
      // Every answer must be a case detail with its code and first timeline event (a real client reads it).
      const c = JSON.parse(r.body) as { code?: string; timeline?: unknown[] };
      if (!c.code || c.timeline?.length !== 1) return `unexpected answer ${r.body.slice(0, 300)}`;
      return null;
    };
    const warm = await drive(warmup, CONCURRENCY, post(bodies(warmup, seed + 1, categories), 'w'));
    if (warm.errors) throw new Error(`warm-up: ${warm.errors} failed, first: ${warm.firstError}`);
    const measured = bodies(creates, seed, categories);
    const serverPids = [server.proc.pid!, ...childPids(server.proc.pid!)];
    const pids = [...serverPids, ...(await dbPids())];
    // BENCH_INTAKE_SIGNAL: told to the server as the measured run starts (e.g. to start a profiler there).
    const signal = process.env['BENCH_INTAKE_SIGNAL'];
    if (signal) for (const pid of serverPids) process.kill(pid, signal as NodeJS.Signals);
    const cpu0 = cpuMs(pids);
    const client0 = process.cpuUsage();
    const run = await drive(creates, CONCURRENCY, post(measured, 'm'));
    const client = process.cpuUsage(client0);
    const cpu1 = cpuMs(pids);
    if (run.errors) throw new Error(`measured run: ${run.errors} failed, first: ${run.firstError}`);
    const perCreate = (ms: number | null) => (ms === null ? null : Math.round((ms * 1000) / creates));
    return {
      ...summarize(run),
      serverCpuUs: perCreate(cpuBetween(cpu0, cpu1, serverPids)),
      dbCpuUs: perCreate(cpuBetween(cpu0, cpu1, pids.slice(serverPids.length))),
      clientCpuUs: perCreate((client.user + client.system) / 1000)!,
    };
  } finally {
    agent.destroy();
    for (const c of connections) c.close();
  }
}

// --- the raw insert baseline -------------------------------------------------------------------------------------

const RAW_COLUMNS = [
  'id',
  'code',
  'state',
  'version',
  'category_code',
  'category_version',
  'urgency',
  'title',
  'description',
  'channel',
  'lng',
  'lat',
  'address',
  'grid_code',
  'community_code',
  'street_code',
  'district_code',
  'region_code',
  'reporter_name',
  'reporter_phone',
  'reporter_role',
  'stage',
  'stage_started_at',
  'stage_deadline',
  'stage_warn_at',
  'stage_time_kind',
  'created_by',
  'created_at',
  'updated_at',
];
const RAW_INSERT = `INSERT INTO bench_raw_case (${RAW_COLUMNS.join(', ')}) VALUES (${RAW_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

function rawRow(i: number, [lng, lat]: [number, number]): unknown[] {
  const now = new Date();
  return [
    crypto.randomUUID(),
    `B${String(i).padStart(12, '0')}`,
    'reported',
    1,
    'SJ010101',
    1,
    'normal',
    `压测案件 raw-${i}`,
    '道路旁井盖破损，存在安全隐患，请尽快处理。Bench report: broken manhole cover by the road.',
    'api',
    lng,
    lat,
    `示范区测试路 ${i % 500} 号`,
    '990102001001001',
    '990102001001',
    '990102001000',
    '990102000000',
    '990102001001',
    // Ciphertext-sized personal fields, as the server stores them.
    randomBytes(40).toString('base64'),
    randomBytes(44).toString('base64'),
    'intake_operator',
    'register',
    now,
    new Date(now.getTime() + 3_600_000),
    new Date(now.getTime() + 2_880_000),
    'work',
    null,
    now,
    now,
  ];
}

/** Single-row autocommit INSERTs from `concurrency` pooled connections; `query` runs one statement. */
async function rawInserts(
  count: number,
  concurrency: number,
  query: (text: string, values?: unknown[]) => Promise<unknown>,
): Promise<number> {
  await query('DROP TABLE IF EXISTS bench_raw_case');
  // Same columns, defaults, primary key, unique code and secondary indexes as "case"; no foreign keys.
  await query('CREATE TABLE bench_raw_case (LIKE "case" INCLUDING ALL)');
  const pts = districtPoints(count + 500, 77);
  await drive(500, concurrency, async (i) => {
    await query(RAW_INSERT, rawRow(count + i, pts[count + i]!));
    return null;
  });
  const run = await drive(count, concurrency, async (i) => {
    await query(RAW_INSERT, rawRow(i, pts[i]!));
    return null;
  });
  if (run.errors) throw new Error(`raw insert: ${run.errors} failed, first: ${run.firstError}`);
  await query('DROP TABLE bench_raw_case');
  return Math.round(run.count / (run.ms / 1000));
}

// --- the benchmark -----------------------------------------------------------------------------------------------

const fieldKey = () => randomBytes(32).toString('base64');

async function countRows(
  query: (text: string) => Promise<{ rows: { n: number }[] }>,
): Promise<{ cases: number; events: number; ledger: number }> {
  const n = async (sql: string) => Number((await query(sql)).rows[0]!.n);
  return {
    cases: await n(`SELECT count(*)::int AS n FROM "case" WHERE title LIKE '压测案件 %'`),
    events: await n(
      `SELECT count(*)::int AS n FROM case_event e JOIN "case" c ON c.id = e.case_id WHERE c.title LIKE '压测案件 %' AND e.event = 'create'`,
    ),
    ledger: await n(
      `SELECT count(*)::int AS n FROM ledger_entry WHERE kind = 'case.create' AND subject_id IN (SELECT id::text FROM "case" WHERE title LIKE '压测案件 %')`,
    ),
  };
}

async function postgresFigures(url: string): Promise<BenchResult> {
  const server = await startServer({
    databaseUrl: url,
    env: {
      LOG_LEVEL: 'warn',
      ZHIZHI_FIELD_KEY: fieldKey(),
      ZHIZHI_WORKERS: String(WORKERS),
      ...profileEnv(),
    },
  });
  const pool = new pg.Pool({ connectionString: server.databaseUrl, max: CONCURRENCY });
  try {
    const backends = async () =>
      (
        await pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
      ).rows.map((r) => r.pid);
    const http = await httpCreates(server, CREATES, WARMUP, 1, backends);
    const rows = await countRows((t) => pool.query(t));
    const expected = CREATES + WARMUP;
    if (rows.cases !== expected || rows.events !== expected || rows.ledger !== expected) {
      throw new Error(`expected ${expected} cases, events and ledger rows, found ${JSON.stringify(rows)}`);
    }
    const baseline = await rawInserts(CREATES, CONCURRENCY, (t, v) => pool.query(t, v));
    return {
      workers: WORKERS,
      rate: http.rate,
      p50_ms: http.p50,
      p99_ms: http.p99,
      baseline_rate: baseline,
      ratio: Math.round((http.rate / baseline) * 100) / 100,
      ...cpuFigures('', http),
    };
  } finally {
    await pool.end();
    await server.stop();
  }
}

async function pgliteFigures(): Promise<BenchResult> {
  const server = await startServer({
    engine: 'pglite',
    env: { LOG_LEVEL: 'warn', ZHIZHI_FIELD_KEY: fieldKey(), ...profileEnv() },
  });
  try {
    const http = await httpCreates(server, PGLITE_CREATES, Math.min(WARMUP, 500), 2, async () => []);
    await server.stop();
    // The raw baseline on the same engine: an in-process PGlite (one connection, as the server has).
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(server.dataDir);
    try {
      const baseline = await rawInserts(PGLITE_CREATES, CONCURRENCY, (t, v) => db.query(t, v));
      return {
        pglite_creates: PGLITE_CREATES,
        pglite_rate: http.rate,
        pglite_p50_ms: http.p50,
        pglite_p99_ms: http.p99,
        pglite_baseline_rate: baseline,
        pglite_ratio: Math.round((http.rate / baseline) * 100) / 100,
        ...cpuFigures('pglite_', http),
      };
    } finally {
      await db.close();
    }
  } finally {
    await server.stop();
  }
}

/** CPU microseconds per create: the server process, the database backends, this client (when /proc is there). */
function cpuFigures(
  prefix: string,
  h: { serverCpuUs: number | null; dbCpuUs: number | null; clientCpuUs: number },
): BenchResult {
  const out: BenchResult = {};
  if (h.serverCpuUs !== null) out[`${prefix}server_cpu_us`] = h.serverCpuUs;
  if (h.dbCpuUs !== null && prefix === '') out[`${prefix}db_cpu_us`] = h.dbCpuUs;
  out[`${prefix}client_cpu_us`] = h.clientCpuUs;
  return out;
}

/** BENCH_INTAKE_SERVER_NODE_OPTIONS: passed to the server process as NODE_OPTIONS (e.g. a profiling hook). */
function profileEnv(): Record<string, string> {
  const options = process.env['BENCH_INTAKE_SERVER_NODE_OPTIONS'];
  return options ? { NODE_OPTIONS: options } : {};
}

export async function runCaseIntake(): Promise<BenchResult> {
  const result: BenchResult = {
    creates: CREATES,
    concurrency: CONCURRENCY,
    cores: availableParallelism(),
    load1: Math.round(loadavg()[0]! * 100) / 100,
  };
  try {
    const url = process.env['BENCH_DATABASE_URL'];
    if (url) Object.assign(result, await postgresFigures(url));
    else {
      process.stderr.write('case-intake: BENCH_DATABASE_URL is not set; PostgreSQL figures skipped\n');
      result.postgres = 'skipped';
    }
    if (process.env['BENCH_INTAKE_PGLITE'] !== '0') Object.assign(result, await pgliteFigures());
  } finally {
    await disposeAll();
  }
  result.load1_end = Math.round(loadavg()[0]! * 100) / 100;
  return result;
}
