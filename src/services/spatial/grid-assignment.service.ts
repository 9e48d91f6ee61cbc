import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, requirePermission } from '../scope/scope-guard.ts';

/** Grid ↔ grid-worker (网格员) assignments: a grid's workers are replaced as a whole. */
export function createGridAssignmentService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  return {
    async workers(actor: Actor, gridCode: string) {
      requirePermission(actor.principal, 'region.view');
      const grid = await spatialRepository.findGrid(db, gridCode);
      if (!grid) throw new DomainError('resource.not_found', 'grid not found', { code: gridCode });
      assertRegionInScope(actor.principal, grid.community_code);
      return (await spatialRepository.workersOfGrid(db, gridCode)).map((w) => ({
        id: w.id,
        displayName: w.display_name,
      }));
    },

    /** Only enabled grid_worker accounts can be assigned; the change is audited. Spatial geometry is unchanged. */
    async setWorkers(actor: Actor, gridCode: string, staffIds: string[]) {
      requirePermission(actor.principal, 'region.manage');
      const grid = await spatialRepository.findGrid(db, gridCode);
      if (!grid) throw new DomainError('resource.not_found', 'grid not found', { code: gridCode });
      assertRegionInScope(actor.principal, grid.community_code);
      const unique = [...new Set(staffIds)];
      const staff = await spatialRepository.staffByIds(db, unique);
      const issues = unique.flatMap((id, i) => {
        const s = staff.find((x) => x.id === id);
        if (!s) return [{ field: `body.staffIds.${i}`, reason: 'not_found', message: 'user.not_found' }];
        if (s.role !== 'grid_worker' || s.disabled) {
          return [
            { field: `body.staffIds.${i}`, reason: 'not_grid_worker', message: 'spatial.not_grid_worker' },
          ];
        }
        return [];
      });
      if (issues.length) throw new DomainError('validation.failed', 'bad staff ids', {}, issues);
      await db.transaction().execute(async (trx) => {
        await spatialRepository.replaceWorkers(trx, gridCode, unique, clock.now());
        await audit.record(trx, actor, {
          action: 'spatial.assign_workers',
          targetType: 'grid',
          targetId: gridCode,
          details: { staffIds: unique },
        });
      });
      return this.workers(actor, gridCode);
    },
  };
}

export type GridAssignmentService = ReturnType<typeof createGridAssignmentService>;
