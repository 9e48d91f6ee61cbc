import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { apiTokenRepository, type ApiTokenListRow } from '../../db/repositories/api-token.repository.ts';
import { staffRepository, type StaffListRow } from '../../db/repositories/staff.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CreateTokenInput } from '../../contracts/identity.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertStaffWithin, requirePermission, staffScopeFilter } from '../scope/scope-guard.ts';
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

function ownerScope(owner: StaffListRow) {
  return {
    regionCode: owner.scope_region_code,
    departmentId: owner.scope_department_id,
    departmentRegionCode: owner.department_region_code,
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
      const owner = await staffRepository.findListRowById(db, ownerId);
      if (!owner) {
        throw new DomainError('validation.failed', 'unknown staff', {}, [
          { field: 'body.staffId', reason: 'not_found', message: 'user.not_found' },
        ]);
      }
      // The owner must lie wholly inside the actor's scope: a token acts with the owner's whole reach.
      assertStaffWithin(actor.principal, ownerScope(owner));
      const ownerPrincipal = principalOf(owner);
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
      const row = (await apiTokenRepository.list(db, { staffIds: [owner.id] })).find((r) => r.id === id);
      if (!row) throw new Error('token vanished after insert');
      return { ...toView(row), token: secret };
    },

    async list(actor: Actor) {
      requirePermission(actor.principal, 'token.manage');
      // The same rule as create and revoke, in SQL.
      const visible = await apiTokenRepository.list(db, { scope: staffScopeFilter(actor.principal) });
      return visible.map(toView);
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      requirePermission(actor.principal, 'token.manage');
      const row = await apiTokenRepository.findById(db, id);
      if (!row) throw new DomainError('resource.not_found', 'token not found', { id });
      const owner = await staffRepository.findListRowById(db, row.staff_id);
      if (owner) assertStaffWithin(actor.principal, ownerScope(owner));
      if (row.revoked_at) return;
      await db.transaction().execute(async (trx) => {
        await apiTokenRepository.revoke(trx, id, clock.now());
        await audit.record(trx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id });
      });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
