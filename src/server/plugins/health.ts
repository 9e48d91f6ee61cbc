import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/connect.ts';

/** Liveness (the process answers) and readiness (the database answers, within a short deadline). */
export function registerHealth(app: FastifyInstance, database: Database): void {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await Promise.race([
        database.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('database ping timed out')), 2000).unref(),
        ),
      ]);
      return { status: 'ready', database: database.engine };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', database: database.engine, error: String(err) });
    }
  });
}
