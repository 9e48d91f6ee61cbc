/**
 * The durability experiment shared by `e2e/server/durability.e2e.test.ts` and `scripts/durability-check.ts`:
 * acknowledged writes stream into a real server, the server is killed with SIGKILL while writes are in flight,
 * a new server opens the same data, and every write that got a 2xx must be there.
 */
import { API, login, type Client } from './http.ts';
import { DEMO_PASSWORD, startServer, type ServerHandle, type StartOptions } from './server.ts';

export interface DurabilityOptions {
  engine: 'pglite' | 'postgres';
  /** PostgreSQL server for engine 'postgres' (a fresh database is made on it); default E2E_DATABASE_URL. */
  databaseUrl?: string;
  /** How long writes stream before the kill, at least. */
  writeMs?: number;
  /**
   * Keep writing past `writeMs` until this many writes were acknowledged (bounded by `maxWriteMs`), so that a slow
   * or busy machine still gives the experiment enough writes to mean something.
   */
  minAcknowledged?: number;
  maxWriteMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface DurabilityResult {
  engine: 'pglite' | 'postgres';
  /** Writes answered with a 2xx before the kill. */
  acknowledged: number;
  /** Acknowledged writes present after the restart. */
  found: number;
  /** Acknowledged writes missing after the restart: must be 0. */
  lost: number;
  lostCodes: string[];
  /** Requests that were in flight when the process died (no answer). */
  inFlightAtKill: number;
  /** Writes that never got an answer but were committed anyway (allowed: the client just never heard). */
  committedUnanswered: number;
  /** Non-2xx answers before the kill (should be 0: each one is a bug in the write path or the test). */
  rejected: number;
  rejectedSamples: string[];
  writeMs: number;
  writesPerSecond: number;
  restartMs: number;
}

const REGION = '990102000000';

export async function runDurability(opts: DurabilityOptions): Promise<DurabilityResult> {
  const log = opts.log ?? (() => {});
  const writeMs = opts.writeMs ?? 4000;
  const concurrency = opts.concurrency ?? 8;
  const start: StartOptions =
    opts.engine === 'pglite'
      ? { engine: 'pglite' }
      : { engine: 'postgres', ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) };

  const first = await startServer(start);
  let second: ServerHandle | undefined;
  try {
    log(`started ${first.engine} server at ${first.url} in ${first.startupMs} ms`);
    const admin = await login(first.url, 'admin', DEMO_PASSWORD);

    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    const rejectedSamples: string[] = [];
    let rejected = 0;
    let inFlight = 0;
    let seq = 0;
    let killed = false;

    const writer = async () => {
      while (!killed) {
        const code = `D${++seq}`;
        attempted.add(code);
        inFlight++;
        try {
          const r = await admin.post(`${API}/departments`, {
            code,
            name: `耐久 ${code}`,
            regionCode: REGION,
          });
          // Any 2xx that fully arrived is an acknowledgement, even one read just after the kill was decided:
          // the process can only have sent it before it died.
          if (r.status >= 200 && r.status < 300) acknowledged.add(code);
          else if (!killed) {
            rejected++;
            if (rejectedSamples.length < 5)
              rejectedSamples.push(`${code}: ${r.status} ${r.text.slice(0, 200)}`);
          }
        } catch {
          // The connection died with the process: this write was never acknowledged.
          return;
        } finally {
          inFlight--;
        }
      }
    };

    const t0 = Date.now();
    const writers = Array.from({ length: concurrency }, () => writer());
    const minAcknowledged = opts.minAcknowledged ?? 0;
    const hardStop = t0 + Math.max(writeMs, opts.maxWriteMs ?? 30_000);
    await new Promise((r) => setTimeout(r, writeMs));
    while (acknowledged.size < minAcknowledged && Date.now() < hardStop)
      await new Promise((r) => setTimeout(r, 20));
    // Kill only while requests are actually in flight (they nearly always are; wait briefly if not).
    const waitUntil = Date.now() + 2000;
    while (inFlight === 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 1));
    const inFlightAtKill = inFlight;
    killed = true;
    await first.kill9();
    const elapsed = Date.now() - t0;
    await Promise.allSettled(writers);
    log(`killed -9 after ${elapsed} ms: ${acknowledged.size} acknowledged, ${inFlightAtKill} in flight`);

    const r0 = Date.now();
    second = await startServer({
      ...start,
      dataDir: first.dataDir,
      databaseUrl: first.databaseUrl || undefined,
    });
    const restartMs = Date.now() - r0;
    log(`restarted on the same data in ${restartMs} ms`);
    const present = await listDepartmentCodes(await login(second.url, 'admin', DEMO_PASSWORD));

    const lostCodes = [...acknowledged].filter((c) => !present.has(c));
    const committedUnanswered = [...attempted].filter((c) => !acknowledged.has(c) && present.has(c)).length;
    return {
      engine: first.engine,
      acknowledged: acknowledged.size,
      found: acknowledged.size - lostCodes.length,
      lost: lostCodes.length,
      lostCodes: lostCodes.slice(0, 20),
      inFlightAtKill,
      committedUnanswered,
      rejected,
      rejectedSamples,
      writeMs: elapsed,
      writesPerSecond: Math.round((acknowledged.size / elapsed) * 1000),
      restartMs,
    };
  } finally {
    await first.kill9();
    await second?.stop();
  }
}

/** Every department code the admin can see, page by page. */
export async function listDepartmentCodes(client: Client): Promise<Set<string>> {
  const codes = new Set<string>();
  for (let page = 1; ; page++) {
    const r = await client.get<{ items: { code: string }[]; total: number }>(
      `${API}/departments?page=${page}&pageSize=200`,
    );
    if (r.status !== 200) throw new Error(`GET departments page ${page}: ${r.status} ${r.text}`);
    for (const d of r.json.items) codes.add(d.code);
    if (r.json.items.length === 0 || page * 200 >= r.json.total) break;
  }
  return codes;
}

export function formatDurability(r: DurabilityResult): string {
  return (
    `DURABILITY acknowledged=${r.acknowledged} found=${r.found} lost=${r.lost} engine=${r.engine}` +
    ` in_flight_at_kill=${r.inFlightAtKill} committed_unanswered=${r.committedUnanswered} rejected=${r.rejected}` +
    ` write_ms=${r.writeMs} writes_per_s=${r.writesPerSecond} restart_ms=${r.restartMs}`
  );
}
