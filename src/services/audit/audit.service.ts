import type { Clock } from '../../domain/shared/clock.ts';
import type { Executor, PageRequest } from '../../db/executor.ts';
import { auditLogRepository } from '../../db/repositories/audit-log.repository.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { isGlobal, requirePermission, staffScopeFilter } from '../scope/scope-guard.ts';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Administrative actions, recorded in the same transaction as the change they describe. */
export function createAuditService(deps: { db: Kysely<DB>; clock: Clock }) {
  return {
    async record(ex: Executor, actor: Actor | null, r: AuditRecord): Promise<void> {
      await auditLogRepository.append(ex, {
        at: deps.clock.now(),
        actorId: actor?.principal.staffId ?? null,
        actorName: actor?.principal.username ?? null,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId ?? null,
        details: r.details ?? {},
        ip: actor?.ip ?? null,
      });
    },

    async list(actor: Actor, filter: { action?: string; actor?: string }, page: PageRequest) {
      requirePermission(actor.principal, 'audit.view');
      // Entries by actors outside the caller's scope (and system events without an actor) stay hidden from scoped staff.
      const scope = isGlobal(actor.principal) ? undefined : staffScopeFilter(actor.principal);
      const { rows, total } = await auditLogRepository.list(deps.db, { ...filter, scope }, page);
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          at: r.at.toISOString(),
          actorName: r.actor_name,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          details: (r.details ?? {}) as Record<string, unknown>,
          ip: r.ip,
        })),
        total,
        ...page,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
