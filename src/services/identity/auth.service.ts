import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isRole } from '../../domain/identity/role.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { apiTokenRepository } from '../../db/repositories/api-token.repository.ts';
import { sessionRepository } from '../../db/repositories/session.repository.ts';
import { staffRepository } from '../../db/repositories/staff.repository.ts';
import type { DB, StaffRow } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { staffPermissions, type Principal } from './principal.ts';
import { createLoginThrottle, type LoginThrottleSettings } from './login-throttle.ts';
import { createTokenReader } from './token-reads.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';

export interface AuthSettings extends LoginThrottleSettings {
  sessionTtlHours: number;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function principalOf(
  staff: Pick<
    StaffRow,
    'id' | 'username' | 'display_name' | 'role' | 'scope_region_code' | 'scope_department_id'
  >,
): Principal {
  if (!isRole(staff.role)) throw new Error(`unknown role ${staff.role}`);
  return {
    kind: 'session',
    staffId: staff.id,
    username: staff.username,
    displayName: staff.display_name,
    role: staff.role,
    permissions: staffPermissions(staff.role),
    scope: { regionCode: staff.scope_region_code, departmentId: staff.scope_department_id },
  };
}

export interface SessionContext {
  principal: Principal;
  csrfToken: string;
  sessionHash: string;
  /** The account still has a temporary password: until it is changed, the session may do nothing else. */
  mustChangePassword: boolean;
}

/** Sign-in with throttling (login-throttle.ts), server-side sessions (only a hash of the id is stored), and API token resolution. */
export function createAuthService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
  settings: AuthSettings;
  limiter: RateLimiter;
}) {
  const { db, clock, ids, audit, settings } = deps;
  const throttle = createLoginThrottle({ limiter: deps.limiter, clock, settings });

  async function login(input: {
    username: string;
    password: string;
    ip: string | null;
    userAgent: string | null;
  }) {
    await throttle.check(input.username, input.ip);
    const staff = await staffRepository.findByUsername(db, input.username);
    const now = clock.now();
    const ok = staff
      ? await verifyPassword(staff.password_hash, input.password)
      : await verifyPassword(await dummyPasswordHash(), input.password).then(() => false);
    if (!staff || !ok) {
      if (await throttle.failed(input.username, input.ip)) {
        await audit.record(db, null, {
          action: 'auth.throttled',
          targetType: 'staff',
          targetId: staff?.id ?? null,
          details: { username: input.username, ip: input.ip, failures: settings.maxFailures },
        });
      }
      throw new DomainError('auth.invalid_credentials');
    }
    await throttle.succeeded(input.username, input.ip);
    if (staff.disabled) throw new DomainError('auth.account_disabled');
    const sessionId = ids.secret(32);
    const csrfToken = ids.secret(32);
    await db.transaction().execute(async (trx) => {
      await sessionRepository.insert(trx, {
        id_hash: sha256(sessionId),
        staff_id: staff.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: new Date(now.getTime() + settings.sessionTtlHours * 3600_000),
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 512) ?? null,
      });
      await audit.record(
        trx,
        { principal: principalOf(staff), ip: input.ip },
        {
          action: 'auth.login',
          targetType: 'staff',
          targetId: staff.id,
        },
      );
    });
    return {
      sessionId,
      csrfToken,
      principal: principalOf(staff),
      mustChangePassword: staff.must_change_password,
    };
  }

  async function resolveSession(sessionId: string): Promise<SessionContext | null> {
    const hash = sha256(sessionId);
    const session = await sessionRepository.findValid(db, hash, clock.now());
    if (!session) return null;
    const staff = await staffRepository.findById(db, session.staff_id);
    if (!staff || staff.disabled) return null;
    return {
      principal: principalOf(staff),
      csrfToken: session.csrf_token,
      sessionHash: hash,
      mustChangePassword: staff.must_change_password,
    };
  }

  async function logout(sessionHash: string): Promise<void> {
    await sessionRepository.delete(db, sessionHash);
  }

  // Token reads of concurrent requests share one query (see token-reads.ts).
  const readToken = createTokenReader(db);

  /** A bearer token's principal: the owner's role and scope, narrowed to the token's permissions. */
  async function resolveToken(token: string): Promise<Principal | null> {
    const found = await readToken(sha256(token));
    const now = clock.now();
    if (!found) return null;
    const { token: row, staff } = found;
    if (row.revoked_at || row.expires_at <= now || staff.disabled) return null;
    const owner = principalOf(staff);
    // Use is recorded to the minute: a busy integration does not rewrite (and lock) its token's row per request.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= 60_000) {
      await apiTokenRepository.touch(db, row.id, now);
    }
    // The owner's principal is built for this call: narrowed in place (cheaper than a spread on every request).
    return Object.assign(owner, {
      kind: 'token' as const,
      tokenId: row.id,
      permissions: owner.permissions.filter((p) => row.permissions.includes(p)),
    });
  }

  return { login, logout, resolveSession, resolveToken };
}

export type AuthService = ReturnType<typeof createAuthService>;
