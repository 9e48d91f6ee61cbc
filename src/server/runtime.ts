import { resolveFieldKey } from './field-key.ts';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { connect, migrate, type Database } from '../db/connect.ts';
import { systemClock } from '../domain/shared/clock.ts';
import { createServices, type Services } from '../services/compose.ts';
import { DEMO_PASSWORD } from '../services/demo/demo.service.ts';
import { cryptoIds } from '../services/ids.ts';
import { buildApp } from './app.ts';
import { formatBanner } from './banner.ts';
import { runsBackgroundJobs, serveCluster } from './cluster.ts';
import type { Config } from './config.ts';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface Runtime {
  config: Config;
  database: Database;
  services: Services;
}

/** Opens the database, brings the schema up to date and wires the services: shared by the server and the CLI. */
export async function openRuntime(config: Config, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const database = await connect({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.ZHIZHI_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    if (opts.migrate !== false) await migrate(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  let fieldKey: Buffer;
  try {
    fieldKey = resolveFieldKey(config);
  } catch (err) {
    await database.close();
    throw err;
  }
  const services = createServices({
    db: database.db,
    clock: systemClock,
    ids: cryptoIds,
    mode: config.ZHIZHI_MODE,
    auth: {
      sessionTtlHours: config.SESSION_TTL_HOURS,
      maxFailures: config.LOGIN_MAX_FAILURES,
      maxDelayMinutes: config.LOGIN_MAX_DELAY_MINUTES,
    },
    schedulerIntervalMs: config.SCHEDULER_INTERVAL_MS,
    webhooks: {
      intervalMs: config.WEBHOOK_INTERVAL_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    },
    outbound: { allowCidrs: config.OUTBOUND_ALLOW_CIDRS },
    fieldKey,
    uploadRetentionHours: config.UPLOAD_RETENTION_HOURS,
    sensorLimits: {
      locationRadiusM: config.SENSOR_LOCATION_RADIUS_M,
      clockSkewS: config.SENSOR_CLOCK_SKEW_S,
    },
  });
  return { config, database, services };
}

/**
 * Starts the HTTP server: demo data on first start in demo mode, a banner, and a graceful shutdown on signals.
 * With ZHIZHI_WORKERS > 1 this process becomes the primary of a cluster (cluster.ts) and each worker, started
 * the same way, lands in `serveWorker`.
 */
export async function serve(config: Config): Promise<FastifyInstance | undefined> {
  if (cluster.isWorker) return serveWorker(config);
  if (config.ZHIZHI_WORKERS > 1) {
    await serveCluster(config, async () => {
      const runtime = await prepare(config);
      return {
        close: () => runtime.database.close(),
        banner: (port, ms) => bannerOf(runtime, port, ms),
      };
    });
    return undefined;
  }
  const started = Date.now();
  const runtime = await prepare(config);
  const app = await listen(runtime, true);
  process.stdout.write(bannerOf(runtime, portOf(app), Date.now() - started));
  installShutdown(app, runtime.database, config.SHUTDOWN_GRACE_MS);
  return app;
}

/** Migrates, resolves the field key and loads the demo data once (the single process, or a cluster's primary). */
export async function prepare(config: Config): Promise<Runtime> {
  const runtime = await openRuntime(config);
  const { services } = runtime;
  if (config.ZHIZHI_MODE === 'demo' && !(await services.demo.isLoaded())) {
    const r = await services.demo.load((step, done, total) =>
      process.stdout.write(`  demo data: ${step} (${done}/${total})\n`),
    );
    process.stdout.write(
      `  demo data loaded: ${r.regions} regions, ${r.grids} grids, ${r.departments} departments, ${r.accounts} accounts, ${r.layerFeatures} layer features, ${r.cases} cases\n`,
    );
  }
  return runtime;
}

/** A cluster worker: the schema is migrated and the demo loaded by the primary, which also passed the field key. */
async function serveWorker(config: Config): Promise<FastifyInstance> {
  const runtime = await openRuntime(config, { migrate: false });
  const app = await listen(runtime, runsBackgroundJobs());
  installShutdown(app, runtime.database, config.SHUTDOWN_GRACE_MS);
  return app;
}

/** Builds the app and listens; `background`: this process also runs the background jobs (scheduler, webhooks, sweeper,
 * rate-counter pruning). */
async function listen(runtime: Runtime, background: boolean): Promise<FastifyInstance> {
  const { config, database, services } = runtime;
  const app = await buildApp({ config, database, services, webDist: WEB_DIST });
  app.addHook('onClose', async () => services.locate.close());
  // Stopped (and an escalation run in progress awaited) before the shutdown closes the database.
  app.addHook('onClose', async () => services.caseScheduler.stop());
  app.addHook('onClose', async () => services.webhookWorker.stop());
  app.addHook('onClose', async () => services.uploadSweeper.stop());
  app.addHook('onClose', async () => services.rateLimiter.pruner.stop());
  await app.listen({ host: config.HOST, port: config.PORT });
  if (background) {
    services.caseScheduler.start();
    services.webhookWorker.start();
    services.uploadSweeper.start();
    services.rateLimiter.pruner.start();
  }
  return app;
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** The startup banner (banner.ts) of this runtime. */
export function bannerOf(runtime: Runtime, port: number, ms: number): string {
  const { config, database, services } = runtime;
  return formatBanner({
    config,
    engine: database.engine,
    demoAccounts: services.system.info().demoAccounts,
    demoPassword: DEMO_PASSWORD,
    port,
    ms,
  });
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to the grace period), then close the database. */
function installShutdown(app: FastifyInstance, database: Database, graceMs: number): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('graceful shutdown timed out');
      process.exit(1);
    }, graceMs);
    timer.unref();
    try {
      await app.close();
      await database.close();
      app.log.info('shutdown complete');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
