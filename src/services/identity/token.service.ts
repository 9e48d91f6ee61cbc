import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { apiTokenRepository, type ApiTokenListRow } from '../../db/repositories/api-token.repository.ts';
import { staffRepository } from '../../db/repositories/staff.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CreateTokenInput } from '../../contracts/identity.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertScopeWithin, requirePermission } from '../scope/scope-guard.ts';
import { principalOf, sha256 } from './auth.service.ts';
import type { Actor } from './principal.ts';

function toView(r: ApiTokenListRow) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    staffId: r.staff_id,
    staffName: r.staff_name,
    permissions: r.permissions,
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * API tokens for machines. The secret is shown once; only its SHA-256 is stored (a token is 256 random bits, so a
 * slow hash adds nothing). A token acts for a staff account and can only narrow that account's permissions.
 */
export function createTokenService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
}) {
  const { db, clock, ids, audit } = deps;
  return {
    async create(actor: Actor, input: CreateTokenInput) {
      requirePermission(actor.principal, 'token.manage');
      const ownerId = input.staffId ?? actor.principal.staffId;
      const owner = await staffRepository.findById(db, ownerId);
      if (!owner) {
        throw new DomainError('validation.failed', 'unknown staff', {}, [
          { field: 'body.staffId', reason: 'not_found', message: 'user.not_found' },
        ]);
      }
      const ownerPrincipal = principalOf(owner);
      assertScopeWithin(actor.principal, ownerPrincipal.scope);
      const notHeld = input.permissions.filter((p) => !ownerPrincipal.permissions.includes(p));
      if (notHeld.length > 0) {
        throw new DomainError('validation.failed', 'permissions not held by owner', {}, [
          { field: 'body.permissions', reason: 'not_held', message: 'token.permission_not_held' },
        ]);
      }
      const secret = `zz_${ids.secret(32)}`;
      const now = clock.now();
      const id = ids.uuid();
      await db.transaction().execute(async (trx) => {
        await apiTokenRepository.insert(trx, {
          id,
          name: input.name,
          prefix: secret.slice(0, 10),
          token_hash: sha256(secret),
          staff_id: owner.id,
          permissions: [...new Set(input.permissions)],
          expires_at: new Date(now.getTime() + input.expiresInDays * 86400_000),
          created_by: actor.principal.staffId,
          created_at: now,
        });
        await audit.record(trx, actor, {
          action: 'token.create',
          targetType: 'api_token',
          targetId: id,
          details: { name: input.name, owner: owner.username, permissions: input.permissions },
        });
      });
      const row = (await apiTokenRepository.list(db, [owner.id])).find((r) => r.id === id);
      if (!row) throw new Error('token vanished after insert');
      return { ...toView(row), token: secret };
    },

    async list(actor: Actor) {
      requirePermission(actor.principal, 'token.manage');
      const rows = await apiTokenRepository.list(db, 'all');
      const visible = rows.filter((r) => {
        try {
          assertScopeWithin(actor.principal, {
            regionCode: r.staff_region_code,
            departmentId: r.staff_department_id,
          });
          return true;
        } catch {
          return false;
        }
      });
      return visible.map(toView);
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      requirePermission(actor.principal, 'token.manage');
      const row = await apiTokenRepository.findById(db, id);
      if (!row) throw new DomainError('resource.not_found', 'token not found', { id });
      const owner = await staffRepository.findById(db, row.staff_id);
      if (owner) assertScopeWithin(actor.principal, principalOf(owner).scope);
      if (row.revoked_at) return;
      await db.transaction().execute(async (trx) => {
        await apiTokenRepository.revoke(trx, id, clock.now());
        await audit.record(trx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id });
      });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
