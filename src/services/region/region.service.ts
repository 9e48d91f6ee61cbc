import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { levelOfCode, parentCodeOf, type RegionLevel } from '../../domain/region/region-code.ts';
import { regionRepository, type RegionWithChildCount } from '../../db/repositories/region.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CreateRegionInput, RegionView } from '../../contracts/org.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, isGlobal, requirePermission } from '../scope/scope-guard.ts';
import { sql, type SqlBool } from 'kysely';

function toView(r: RegionWithChildCount): RegionView {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    level: r.level,
    parentCode: r.parent_code,
    childCount: r.child_count,
  };
}

/** The administrative region tree (province … community), browsed and extended inside the caller's scope. */
export function createRegionService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  return {
    /** Children of a region; without a parent, the top of the caller's scope. */
    async list(actor: Actor, parentCode: string | undefined): Promise<RegionView[]> {
      requirePermission(actor.principal, 'region.view');
      if (parentCode) {
        assertRegionInScope(actor.principal, parentCode);
        return (await regionRepository.listChildren(db, parentCode)).map(toView);
      }
      if (isGlobal(actor.principal)) {
        return (await regionRepository.listChildren(db, null, sql<SqlBool>`r.parent_code IS NULL`)).map(
          toView,
        );
      }
      const top = actor.principal.scope.regionCode;
      if (!top) return [];
      return (await regionRepository.listChildren(db, null, sql<SqlBool>`r.code = ${top}`)).map(toView);
    },

    async get(actor: Actor, code: string): Promise<RegionView> {
      requirePermission(actor.principal, 'region.view');
      assertRegionInScope(actor.principal, code);
      const rows = await regionRepository.listChildren(db, null, sql<SqlBool>`r.code = ${code}`);
      const row = rows[0];
      if (!row) throw new DomainError('resource.not_found', 'region not found', { code });
      return toView(row);
    },

    async create(actor: Actor, input: CreateRegionInput): Promise<RegionView> {
      requirePermission(actor.principal, 'region.manage');
      const level = validateChildCode(input.code, input.parentCode);
      assertRegionInScope(actor.principal, input.parentCode);
      await db.transaction().execute(async (trx) => {
        const parent = await regionRepository.findByCode(trx, input.parentCode);
        if (!parent) {
          throw new DomainError('validation.failed', 'parent not found', {}, [
            { field: 'body.parentCode', reason: 'not_found', message: 'region.parent_not_found' },
          ]);
        }
        if (await regionRepository.findByCode(trx, input.code)) {
          throw new DomainError('region.duplicate_code', undefined, { code: input.code }, [
            { field: 'body.code', reason: 'duplicate', message: 'region.duplicate_code' },
          ]);
        }
        const now = clock.now();
        await regionRepository.insert(trx, {
          code: input.code,
          name: input.name,
          name_en: input.nameEn ?? null,
          level,
          parent_code: input.parentCode,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, actor, {
          action: 'region.create',
          targetType: 'region',
          targetId: input.code,
          details: { name: input.name, parentCode: input.parentCode },
        });
      });
      return this.get(actor, input.code);
    },
  };
}

/** A child's code must be well formed, one level below its parent, and share the parent's prefix. */
export function validateChildCode(code: string, parentCode: string): RegionLevel {
  const level = levelOfCode(code);
  if (!level) {
    throw new DomainError('region.invalid_code', undefined, { code }, [
      { field: 'body.code', reason: 'invalid_format', message: 'region.code_format' },
    ]);
  }
  if (parentCodeOf(code) !== parentCode) {
    throw new DomainError(
      'region.parent_mismatch',
      undefined,
      { code, parentCode, expected: parentCodeOf(code) },
      [{ field: 'body.parentCode', reason: 'parent_mismatch', message: 'region.parent_mismatch' }],
    );
  }
  return level;
}

export type RegionService = ReturnType<typeof createRegionService>;
