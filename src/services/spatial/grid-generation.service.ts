import type { Kysely } from 'kysely';
import type { GenerateGridsInput, GenerateGridsResult } from '../../contracts/spatial.schema.ts';
import { bboxOf, type Geometry } from '../../domain/geo/geometry.ts';
import { levelOfCode } from '../../domain/region/region-code.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { generateGrids, type GeneratedGrid } from '../../domain/spatial/generate-grids.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, requirePermission } from '../scope/scope-guard.ts';

/**
 * Generates unit grids for a community, or for every community of a street, from the stored boundaries. A
 * community that already has grids is refused unless `replace` is set, which deletes its grids (and with them
 * their worker assignments) before inserting the new ones — all communities in one transaction, with the audit
 * row and the spatial version bump.
 */
export function createGridGenerationService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  return {
    async generate(actor: Actor, input: GenerateGridsInput): Promise<GenerateGridsResult> {
      requirePermission(actor.principal, 'region.manage');
      assertRegionInScope(actor.principal, input.regionCode);
      const level = levelOfCode(input.regionCode);
      if (level !== 'community' && level !== 'street') {
        throw new DomainError(
          'validation.failed',
          'grids are generated for a community or a street',
          { level },
          [
            {
              field: 'body.regionCode',
              reason: 'not_community_or_street',
              message: 'spatial.generate_level',
            },
          ],
        );
      }
      const targets =
        level === 'community'
          ? await spatialRepository.regionsByCodes(db, [input.regionCode])
          : (await spatialRepository.regionsByParents(db, [input.regionCode])).filter(
              (r) => r.level === 'community',
            );
      if (targets.length === 0)
        throw new DomainError('resource.not_found', 'region not found', { code: input.regionCode });
      const missing = targets.filter((t) => !t.geometry).map((t) => t.code);
      if (missing.length) {
        throw new DomainError('validation.failed', 'no boundary stored', { codes: missing }, [
          { field: 'body.regionCode', reason: 'no_boundary', message: 'spatial.no_boundary' },
        ]);
      }
      const plans: { code: string; grids: GeneratedGrid[] }[] = targets.map((t) => ({
        code: t.code,
        grids: generateGrids(t.code, t.geometry as Geometry, input),
      }));
      const existing = await spatialRepository.gridsOfCommunities(
        db,
        plans.map((p) => p.code),
      );
      const countOf = (code: string) => existing.filter((g) => g.community_code === code).length;
      if (!input.replace && existing.length > 0) {
        throw new DomainError(
          'resource.conflict',
          'grids exist',
          { communities: [...new Set(existing.map((g) => g.community_code))] },
          [{ field: 'body.replace', reason: 'grids_exist', message: 'spatial.grids_exist' }],
        );
      }
      const result: GenerateGridsResult = {
        communities: plans.map((p) => ({ code: p.code, grids: p.grids.length, replaced: countOf(p.code) })),
        grids: plans.reduce((s, p) => s + p.grids.length, 0),
        dryRun: input.dryRun,
      };
      if (input.dryRun) return result;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        for (const p of plans) {
          await spatialRepository.deleteGridsOfCommunity(trx, p.code);
          await spatialRepository.upsertGrids(
            trx,
            p.grids.map((g) => {
              const [min_lng, min_lat, max_lng, max_lat] = bboxOf(g.geometry);
              return {
                code: g.code,
                community_code: p.code,
                name: `${g.sequence}号网格`,
                geometry: JSON.stringify(g.geometry),
                area_m2: g.areaM2,
                min_lng,
                min_lat,
                max_lng,
                max_lat,
                legacy_code: null,
                created_at: now,
              };
            }),
          );
        }
        await audit.record(trx, actor, {
          action: 'spatial.generate_grids',
          targetType: 'region',
          targetId: input.regionCode,
          details: {
            shape: input.shape,
            sizeM: input.sizeM,
            sliverRatio: input.sliverRatio,
            grids: result.grids,
            replace: input.replace,
          },
        });
        await spatialRepository.bumpVersion(trx, now);
      });
      return result;
    },
  };
}

export type GridGenerationService = ReturnType<typeof createGridGenerationService>;
