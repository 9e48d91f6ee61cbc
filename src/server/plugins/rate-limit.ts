import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/compose.ts';

/** A route's limit per client address: at most `max` requests in each window of `windowMs`. */
export interface RouteRateLimit {
  max: number;
  windowMs: number;
  /** Routes naming the same bucket share one count; by default each route counts on its own. */
  bucket?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Rate limit per client address, checked (and counted in the database) before anything else. */
    rateLimit?: RouteRateLimit;
  }
}

/**
 * Routes with `config.rateLimit` are limited per client address by the shared, database-backed rate limiter
 * (services/shared/rate-limiter.ts), so that a limit holds across server processes and restarts. Runs first in
 * onRequest: an address over its limit costs one counter update and nothing else. Over the limit → 429
 * `rate_limited` with Retry-After (set by the error handler).
 */
export function registerRateLimits(app: FastifyInstance, services: Services): void {
  app.addHook('onRequest', async (req) => {
    const limit = req.routeOptions.config?.rateLimit;
    if (!limit) return;
    const bucket = limit.bucket ?? `route:${req.method} ${req.routeOptions.url ?? ''}`;
    await services.rateLimiter.take({ bucket, max: limit.max, windowMs: limit.windowMs }, req.ip);
  });
}
