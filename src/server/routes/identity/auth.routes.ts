import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changePasswordBodySchema,
  loginBodySchema,
  sessionResponseSchema,
} from '../../../contracts/identity.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf, SESSION_COOKIE } from '../../plugins/auth.ts';

export interface AuthRouteOptions {
  services: Services;
  cookieSecure: boolean;
  sessionTtlHours: number;
  loginRatePerMinute: number;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  const { services } = opts;
  const tags = ['auth'];

  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: opts.loginRatePerMinute, windowMs: 60_000 } },
      schema: { tags, body: loginBodySchema, response: { 200: sessionResponseSchema } },
    },
    async (req, reply) => {
      const r = await services.auth.login({
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, r.sessionId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.cookieSecure,
        path: '/',
        maxAge: opts.sessionTtlHours * 3600,
      });
      return { user: await services.users.me(r.principal, r.mustChangePassword), csrfToken: r.csrfToken };
    },
  );

  // Logout, one's identity and the password change stay open to a session with a temporary password.
  const duringPasswordChange = { allowedBeforePasswordChange: true };

  app.post(
    '/auth/logout',
    { config: duringPasswordChange, schema: { tags, response: { 204: z.null() } } },
    async (req, reply) => {
      if (req.sessionHash) await services.auth.logout(req.sessionHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { config: duringPasswordChange, schema: { tags, response: { 200: sessionResponseSchema } } },
    async (req) => {
      const actor = actorOf(req);
      return { user: await services.users.me(actor.principal), csrfToken: req.csrfToken ?? '' };
    },
  );

  app.post(
    '/auth/password',
    {
      config: duringPasswordChange,
      schema: { tags, body: changePasswordBodySchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await services.users.changeOwnPassword(
        actorOf(req),
        req.body.currentPassword,
        req.body.newPassword,
        req.sessionHash,
      );
      return reply.code(204).send(null);
    },
  );
};
