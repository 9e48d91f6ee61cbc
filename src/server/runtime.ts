import { resolveFieldKey } from './field-key.ts';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { connect, migrate, type Database } from '../db/connect.ts';
import { systemClock } from '../domain/shared/clock.ts';
import { createServices, type Services } from '../services/compose.ts';
import { DEMO_PASSWORD } from '../services/demo/demo.service.ts';
import { cryptoIds } from '../services/ids.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface Runtime {
  config: Config;
  database: Database;
  services: Services;
}

/** Opens the database, brings the schema up to date and wires the services: shared by the server and the CLI. */
export async function openRuntime(config: Config): Promise<Runtime> {
  const database = await connect({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.ZHIZHI_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    await migrate(database.db);
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
      lockMinutes: config.LOGIN_LOCK_MINUTES,
    },
    schedulerIntervalMs: config.SCHEDULER_INTERVAL_MS,
    webhooks: {
      intervalMs: config.WEBHOOK_INTERVAL_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    },
    fieldKey,
  });
  return { config, database, services };
}

/** Starts the HTTP server: demo data on first start in demo mode, a banner, and a graceful shutdown on signals. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const started = Date.now();
  const runtime = await openRuntime(config);
  const { services, database } = runtime;
  if (config.ZHIZHI_MODE === 'demo' && !(await services.demo.isLoaded())) {
    const r = await services.demo.load((step, done, total) =>
      process.stdout.write(`  demo data: ${step} (${done}/${total})\n`),
    );
    process.stdout.write(
      `  demo data loaded: ${r.regions} regions, ${r.grids} grids, ${r.departments} departments, ${r.accounts} accounts, ${r.layerFeatures} layer features, ${r.cases} cases\n`,
    );
  }
  const app = await buildApp({ config, database, services, webDist: WEB_DIST });
  app.addHook('onClose', async () => services.locate.close());
  // Stopped (and an escalation run in progress awaited) before the shutdown closes the database.
  app.addHook('onClose', async () => services.caseScheduler.stop());
  app.addHook('onClose', async () => services.webhookWorker.stop());
  await app.listen({ host: config.HOST, port: config.PORT });
  services.caseScheduler.start();
  services.webhookWorker.start();
  printBanner(runtime, app, Date.now() - started);
  installShutdown(app, database, config.SHUTDOWN_GRACE_MS);
  return app;
}

function printBanner(runtime: Runtime, app: FastifyInstance, ms: number): void {
  const { config, database, services } = runtime;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;
  const lines = [
    '',
    `  智治 Zhizhi is running at ${url}  (started in ${(ms / 1000).toFixed(1)} s)`,
    `  database: ${database.engine === 'pglite' ? `embedded PGlite in ${config.ZHIZHI_DATA_DIR}` : 'PostgreSQL'}`,
    `  API docs: ${url}/api/docs`,
  ];
  if (config.ZHIZHI_MODE === 'demo') {
    lines.push(
      '',
      '  演示环境 DEMO MODE — fictional data. Demo accounts (password for all: ' + DEMO_PASSWORD + '):',
    );
    for (const a of services.system.info().demoAccounts)
      lines.push(`    ${a.username.padEnd(12)} ${a.role.padEnd(16)} ${a.displayName}`);
  } else {
    lines.push(
      '  production mode: create the first administrator with `npx zhizhi user create --role admin ...`',
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
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
