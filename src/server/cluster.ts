import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.ts';
import { resolveFieldKey } from './field-key.ts';

/**
 * Several server processes sharing one port (node:cluster), for a machine with more cores than one Node process
 * can use. The primary does what must happen once — migrate, load the demo data, settle the field key — and
 * closes its database; then it starts ZHIZHI_WORKERS workers, each a full server on the same PostgreSQL, which
 * share the listening socket (the primary hands out connections in turn). Worker 0 also runs the background jobs:
 * case scheduler, webhook worker, upload sweeper (all safe in several processes anyway). Everything a worker keeps
 * in memory is either a cache checked against a version in the database (places, catalogue, calendar,
 * responsibility list) or per-process by design (rate limits: N processes allow N times the limit).
 *
 * A worker that dies is started again (after a second); one that dies before it ever listened stops the cluster —
 * a bad configuration is reported, not restarted forever. SIGTERM/SIGINT reach every worker, which finish their
 * requests; the primary exits when they all have.
 */

const WORKER_INDEX = 'ZHIZHI_WORKER_INDEX';
const RESTART_DELAY_MS = 1000;

/** Whether this process runs the background jobs: a single server, or a cluster's worker 0. */
export function runsBackgroundJobs(): boolean {
  return !cluster.isWorker || process.env[WORKER_INDEX] === '0';
}

interface Prepared {
  close(): Promise<void>;
  banner(port: number, ms: number): string;
}

export async function serveCluster(config: Config, prepare: () => Promise<Prepared>): Promise<void> {
  const started = Date.now();
  const count = config.ZHIZHI_WORKERS;
  const prepared = await prepare();
  const banner = (port: number) => prepared.banner(port, Date.now() - started);
  await prepared.close();
  // Every worker must encrypt and decrypt with the same key: pass the one settled here.
  const fieldKey = resolveFieldKey(config).toString('base64');

  let stopping = false;
  let exitCode = 0;
  let listening = 0;
  const everListened = new Set<number>();
  const workers = new Map<number, Worker>();

  const fork = (index: number) => {
    const w = cluster.fork({ [WORKER_INDEX]: String(index), ZHIZHI_FIELD_KEY: fieldKey });
    workers.set(index, w);
    w.once('listening', (address) => {
      if (everListened.has(index)) return;
      everListened.add(index);
      if (++listening === count) process.stdout.write(banner(address.port));
    });
    w.once('exit', (code, signal) => {
      workers.delete(index);
      if (stopping) {
        if (workers.size === 0) process.exit(exitCode);
        return;
      }
      process.stderr.write(`server process ${index} exited (${signal ?? `code ${code}`})\n`);
      if (!everListened.has(index)) {
        // It never served: a configuration or start-up failure that a restart would only repeat.
        stop(1);
        return;
      }
      setTimeout(() => !stopping && fork(index), RESTART_DELAY_MS).unref();
    });
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (workers.size === 0) process.exit(exitCode);
    for (const w of workers.values()) w.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 2000);
    timer.unref();
  };

  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  for (let i = 0; i < count; i++) fork(i);
}
