import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Services } from '../../services/compose.ts';
import type { Permission } from '../../domain/identity/role.ts';
import type { Actor } from '../../services/identity/principal.ts';
import { requirePermission } from '../../services/scope/scope-guard.ts';

export const SESSION_COOKIE = 'zhizhi_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes reachable without a session or token. Everything else answers 401 to strangers. */
    public?: boolean;
    /** Checked before the body is parsed, so a caller without the right gets 403 whatever they send. */
    permission?: Permission;
    /** Open to a session whose password is temporary (the change form needs it: identity, change, logout). */
    allowedBeforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    actorOrNull: Actor | null;
    sessionHash: string | null;
    csrfToken: string | null;
  }
}

/** The acting principal of an authenticated route (the hook below guarantees it exists). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actorOrNull) throw new DomainError('auth.unauthenticated');
  return req.actorOrNull;
}

/**
 * Resolves the caller from the session cookie or a bearer token, rejects strangers on non-public routes, and checks
 * the CSRF header on cookie-authenticated writes (bearer tokens are not sent by browsers on their own, so they need
 * no CSRF check).
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('actorOrNull', null);
  app.decorateRequest('sessionHash', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req) => {
    // Only the API is guarded; the web app's files, health probes and the API docs are public by nature. The
    // decision is made on the route the router matched (it decodes the path: `/%61pi/v1/users` is `/api/v1/users`),
    // never on the raw URL. See routePathOf.
    const isPublic = req.routeOptions.config?.public === true || !isApiRoute(req);
    const header = req.headers.authorization;
    if (header?.toLowerCase().startsWith('bearer ')) {
      const principal = await services.auth.resolveToken(header.slice(7).trim());
      if (!principal) {
        if (isPublic) return;
        throw new DomainError('auth.token_invalid');
      }
      req.actorOrNull = { principal, ip: req.ip };
      checkPermission(req);
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      const ctx = await services.auth.resolveSession(cookie);
      if (ctx) {
        req.actorOrNull = { principal: ctx.principal, ip: req.ip };
        req.sessionHash = ctx.sessionHash;
        req.csrfToken = ctx.csrfToken;
        requirePasswordChanged(req, ctx.mustChangePassword, isPublic);
      }
    }
    if (!req.actorOrNull) {
      if (isPublic) return;
      throw new DomainError('auth.unauthenticated');
    }
    // Public routes act for no one (signing in again while a session cookie lingers must work), so only the
    // routes that act as the session's user need the CSRF header.
    if (
      !isPublic &&
      UNSAFE.has(req.method) &&
      req.csrfToken &&
      req.headers['x-csrf-token'] !== req.csrfToken
    ) {
      throw new DomainError('auth.csrf_failed');
    }
    checkPermission(req);
  });
}

/**
 * The path a request is judged by: the route the router matched (found on the decoded path), or — for a request no
 * route matched — its decoded path, so that unknown API paths, encoded or not, stay 401 to strangers.
 */
export function routePathOf(req: FastifyRequest): string {
  if (req.routeOptions.url) return req.routeOptions.url;
  const path = req.url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isApiRoute(req: FastifyRequest): boolean {
  return routePathOf(req).startsWith('/api/v1/');
}

function checkPermission(req: FastifyRequest): void {
  const permission = req.routeOptions.config?.permission;
  if (permission && req.actorOrNull) requirePermission(req.actorOrNull.principal, permission);
}

/**
 * A session opened with a temporary password (a new account, or one an administrator reset) may do nothing but
 * change it, see who it is, and sign out, until the password is changed: 403 `auth.password_change_required`.
 */
function requirePasswordChanged(req: FastifyRequest, mustChangePassword: boolean, isPublic: boolean): void {
  if (!mustChangePassword || isPublic || req.routeOptions.config?.allowedBeforePasswordChange) return;
  throw new DomainError('auth.password_change_required');
}
