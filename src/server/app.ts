import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Database } from '../db/connect.ts';
import type { Permission } from '../domain/identity/role.ts';
import type { Services } from '../services/compose.ts';
import { APP_VERSION } from '../services/system/system.service.ts';
import type { Config } from './config.ts';
import { registerAuth, routePathOf } from './plugins/auth.ts';
import { registerTextInputGuard } from './plugins/text-input.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerErrorHandler, sendProblem } from './plugins/error-handler.ts';
import { registerHealth } from './plugins/health.ts';
import { authRoutes } from './routes/identity/auth.routes.ts';
import { auditRoutes } from './routes/identity/audit.routes.ts';
import { tokenRoutes } from './routes/identity/token.routes.ts';
import { userRoutes } from './routes/identity/user.routes.ts';
import { caseRoutes } from './routes/case/case.routes.ts';
import { caseDuplicateRoutes } from './routes/case/case-duplicates.routes.ts';
import { notificationRoutes } from './routes/notification/notification.routes.ts';
import { webhookRoutes } from './routes/notification/webhook.routes.ts';
import { deviceRoutes } from './routes/device/device.routes.ts';
import { sensorRoutes } from './routes/device/sensor.routes.ts';
import { categoryRoutes } from './routes/case/category.routes.ts';
import { caseBulkRoutes } from './routes/case/case-bulk.routes.ts';
import { caseExportRoutes } from './routes/case/case-export.routes.ts';
import { calendarRoutes } from './routes/taxonomy/calendar.routes.ts';
import { catalogueRoutes } from './routes/taxonomy/catalogue.routes.ts';
import { responsibilityRoutes } from './routes/taxonomy/responsibility.routes.ts';
import { departmentRoutes } from './routes/org/department.routes.ts';
import { regionRoutes } from './routes/org/region.routes.ts';
import { locateRoutes } from './routes/spatial/locate.routes.ts';
import { systemRoutes } from './routes/system/system.routes.ts';
import { attachmentRoutes } from './routes/attachment/attachment.routes.ts';
import { publicRoutes } from './routes/public/public.routes.ts';
import { spatialRoutes } from './routes/spatial/spatial.routes.ts';
import { defaultImportLimits } from '../services/spatial/spatial-import.service.ts';

export interface RouteSummary {
  method: string;
  url: string;
  public: boolean;
  /** The permission the route's config demands before the body is parsed, if any. */
  permission: Permission | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the route-table security tests. */
    registeredRoutes: RouteSummary[];
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  services: Services;
  /** Where the built web app lives; served at `/` when present. */
  webDist?: string;
  logger?: boolean;
}

/** The composition root of the HTTP server: plugins, error mapping, auth, then one plugin per module. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, services } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    // Only behind a reverse proxy may X-Forwarded-For be believed (it feeds rate limits and the audit trail).
    trustProxy: config.TRUST_PROXY,
    // On close, idle keep-alive connections are dropped at once; busy ones finish their request (see below).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  const routes: RouteSummary[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD')
        routes.push({
          method,
          url: r.url,
          public: r.config?.public === true,
          permission: r.config?.permission ?? null,
        });
    }
  });
  app.decorate('registeredRoutes', routes);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // While shutting down, every reply asks the client to close its keep-alive connection, so that the server can
  // stop as soon as in-flight requests have been answered.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  registerErrorHandler(app);
  const https = config.COOKIE_SECURE ?? config.PUBLIC_URL?.startsWith('https://') ?? false;
  await registerSecurityHeaders(app, {
    // Behind plain HTTP (a street office's LAN), HSTS and upgrade-insecure-requests would break the app.
    hsts: https,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(fastifyCookie);
  // Spatial imports upload one file; larger ones are refused while streaming (413 naming the file).
  await app.register(fastifyMultipart, {
    limits: { fileSize: defaultImportLimits.maxFileBytes, files: 1, fields: 20, fieldSize: 1024 * 1024 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Zhizhi 智治 API', version: APP_VERSION },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'zhizhi_session' },
          bearer: { type: 'http', scheme: 'bearer' },
          device: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Device <token>' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  // Rate limits first: an address over its limit is refused before its credentials are even looked at.
  registerRateLimits(app, services);
  registerAuth(app, services);
  registerTextInputGuard(app);
  registerHealth(app, opts.database);

  await app.register(
    async (api) => {
      await api.register(systemRoutes, { services });
      await api.register(authRoutes, {
        services,
        cookieSecure: https,
        sessionTtlHours: config.SESSION_TTL_HOURS,
        loginRatePerMinute: config.LOGIN_RATE_PER_MINUTE,
      });
      await api.register(userRoutes, { services });
      await api.register(tokenRoutes, { services });
      await api.register(auditRoutes, { services });
      await api.register(regionRoutes, { services });
      await api.register(departmentRoutes, { services });
      await api.register(locateRoutes, { services });
      await api.register(spatialRoutes, { services, uploadLimitBytes: defaultImportLimits.maxFileBytes });
      await api.register(categoryRoutes, { services });
      await api.register(catalogueRoutes, { services });
      await api.register(calendarRoutes, { services });
      await api.register(responsibilityRoutes, { services });
      await api.register(caseExportRoutes, { services });
      await api.register(caseBulkRoutes, { services });
      await api.register(caseRoutes, { services });
      await api.register(attachmentRoutes, { services });
      await api.register(publicRoutes, {
        services,
        ratePerMinute: config.PUBLIC_RATE_PER_MINUTE,
        lookupsPerHour: config.TRACK_LOOKUP_RATE_PER_HOUR,
      });
      await api.register(caseDuplicateRoutes, { services });
      await api.register(notificationRoutes, { services });
      await api.register(webhookRoutes, { services });
      await api.register(deviceRoutes, { services });
      await api.register(sensorRoutes, { services });
    },
    { prefix: '/api/v1' },
  );

  const hasWeb = opts.webDist !== undefined && existsSync(join(opts.webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: opts.webDist!, wildcard: false });
  // Client-side routes: any GET outside the API that is not a file gets the app shell.
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !routePathOf(req).startsWith('/api/'))
      return reply.sendFile('index.html');
    return sendProblem(req, reply, 404, 'request.not_found');
  });
  return app;
}
