import { sql, type Kysely, type SqlBool } from 'kysely';
import type { FeatureCollectionView, GridInfo, SearchResult } from '../../contracts/spatial.schema.ts';
import type { BBox, Geometry, Position } from '../../domain/geo/geometry.ts';
import { pointInPolygon } from '../../domain/geo/point-in-polygon.ts';
import { codePrefix, levelOfCode, type RegionLevel } from '../../domain/region/region-code.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, isGlobal, regionScopeFilter, requirePermission } from '../scope/scope-guard.ts';

type Feature = FeatureCollectionView['features'][number];

function collection(features: Feature[]): FeatureCollectionView {
  return { type: 'FeatureCollection', features };
}

function boxOf(r: {
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
}): BBox | null {
  return r.min_lng === null || r.min_lat === null || r.max_lng === null || r.max_lat === null
    ? null
    : [r.min_lng, r.min_lat, r.max_lng, r.max_lat];
}

/** A point inside the geometry: the outer ring's centroid when it is inside, else the middle of its first edge. */
function interiorPoint(g: Geometry): Position {
  const ring = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]?.[0]) ?? [];
  let sx = 0;
  let sy = 0;
  let sa = 0;
  const [ox, oy] = ring[0] ?? [0, 0];
  for (let i = 0; i + 1 < ring.length; i++) {
    const x0 = ring[i]![0] - ox;
    const y0 = ring[i]![1] - oy;
    const x1 = ring[i + 1]![0] - ox;
    const y1 = ring[i + 1]![1] - oy;
    const c = x0 * y1 - x1 * y0;
    sx += (x0 + x1) * c;
    sy += (y0 + y1) * c;
    sa += c;
  }
  const c: Position = sa === 0 ? [ox, oy] : [ox + sx / (3 * sa), oy + sy / (3 * sa)];
  if (pointInPolygon(c, g)) return c;
  const a = ring[0]!;
  const b = ring[1] ?? a;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** GeoJSON reads of regions, grids and layers, grid info and search — all limited to the caller's subtree. */
export function createSpatialReadService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  return {
    async regions(
      actor: Actor,
      q: { level?: RegionLevel; parentCode?: string },
    ): Promise<FeatureCollectionView> {
      requirePermission(actor.principal, 'region.view');
      if (q.parentCode) assertRegionInScope(actor.principal, q.parentCode);
      const rows = await spatialRepository.listRegions(db, {
        level: q.level,
        parentCode: q.parentCode,
        scope: regionScopeFilter(actor.principal, 'code'),
      });
      return collection(
        rows
          .filter((r) => r.geometry !== null)
          .map((r) => ({
            type: 'Feature',
            id: r.code,
            properties: {
              code: r.code,
              name: r.name,
              nameEn: r.name_en,
              level: r.level,
              parentCode: r.parent_code,
            },
            geometry: r.geometry,
          })),
      );
    },

    /** Grids under a community, street or district (or anything else in the code tree). */
    async grids(actor: Actor, q: { regionCode: string; bbox?: BBox }): Promise<FeatureCollectionView> {
      requirePermission(actor.principal, 'region.view');
      assertRegionInScope(actor.principal, q.regionCode);
      const level = levelOfCode(q.regionCode);
      if (!level) {
        throw new DomainError('region.invalid_code', undefined, { code: q.regionCode }, [
          { field: 'querystring.regionCode', reason: 'invalid_format', message: 'region.code_format' },
        ]);
      }
      const rows = await spatialRepository.listGrids(db, {
        prefix: codePrefix(q.regionCode, level),
        scope: regionScopeFilter(actor.principal, 'code'),
        bbox: q.bbox,
      });
      return collection(
        rows.map((g) => ({
          type: 'Feature',
          id: g.code,
          properties: {
            code: g.code,
            name: g.name,
            communityCode: g.community_code,
            areaM2: Math.round(g.area_m2 * 10) / 10,
            legacyCode: g.legacy_code,
          },
          geometry: g.geometry,
        })),
      );
    },

    async layers(actor: Actor) {
      requirePermission(actor.principal, 'region.view');
      const rows = await spatialRepository.listLayers(db);
      return rows.map((l) => ({
        id: l.id,
        code: l.code,
        name: l.name,
        kind: l.kind,
        featureCount: Number(l.feature_count),
      }));
    },

    async layerFeatures(actor: Actor, layerId: string): Promise<FeatureCollectionView> {
      requirePermission(actor.principal, 'region.view');
      const layer = await spatialRepository.findLayer(db, layerId);
      if (!layer) throw new DomainError('resource.not_found', 'layer not found', { id: layerId });
      const scope = isGlobal(actor.principal)
        ? sql<SqlBool>`true`
        : regionScopeFilter(actor.principal, 'f.region_code');
      const rows = await spatialRepository.listLayerFeatures(db, layerId, scope);
      return collection(
        rows.map((f) => ({
          type: 'Feature',
          id: f.code,
          properties: {
            code: f.code,
            name: f.name,
            layerCode: layer.code,
            regionCode: f.region_code,
            departmentId: f.department_id,
            departmentCode: f.department_code,
            departmentName: f.department_name,
            unitName: f.unit_name,
            areaM2: Math.round(f.area_m2 * 10) / 10,
          },
          geometry: f.geometry,
        })),
      );
    },

    async gridInfo(actor: Actor, code: string): Promise<GridInfo> {
      requirePermission(actor.principal, 'region.view');
      const grid = await spatialRepository.findGrid(db, code);
      if (!grid) throw new DomainError('resource.not_found', 'grid not found', { code });
      assertRegionInScope(actor.principal, grid.community_code);
      const streetCode = grid.community_code.slice(0, 9) + '000';
      const regions = await spatialRepository.regionsByCodes(db, [grid.community_code, streetCode]);
      const community = regions.find((r) => r.code === grid.community_code);
      const street = regions.find((r) => r.code === streetCode);
      const workers = await spatialRepository.workersOfGrid(db, code);
      const geometry = grid.geometry as Geometry;
      const p = interiorPoint(geometry);
      const covering = (await spatialRepository.layerFeaturesAt(db, p[0], p[1])).filter((f) =>
        pointInPolygon(p, f.geometry as Geometry),
      );
      return {
        code: grid.code,
        name: grid.name,
        legacyCode: grid.legacy_code,
        areaM2: Math.round(grid.area_m2 * 10) / 10,
        bbox: [grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat],
        community: { code: grid.community_code, name: community?.name ?? grid.community_code },
        street: street ? { code: street.code, name: street.name } : null,
        workers: workers.map((w) => ({ id: w.id, displayName: w.display_name })),
        departments: covering.map((f) => ({
          id: f.department_id,
          code: f.department_code,
          name: f.department_name ?? f.unit_name ?? f.name,
          layerCode: f.layer_code,
          layerKind: f.layer_kind,
          featureCode: f.code,
          featureName: f.name,
        })),
      };
    },

    /** Regions and grids whose code starts with the digits given, or whose name contains the text. */
    async search(actor: Actor, q: string): Promise<SearchResult> {
      requirePermission(actor.principal, 'region.view');
      const { regions, grids } = await spatialRepository.search(
        db,
        q,
        regionScopeFilter(actor.principal, 'code'),
        regionScopeFilter(actor.principal, 'code'),
        20,
      );
      return [
        ...regions.map((r) => ({ type: r.level, code: r.code, name: r.name, bbox: boxOf(r) })),
        ...grids.map((g) => ({ type: 'grid' as const, code: g.code, name: g.name, bbox: boxOf(g) })),
      ];
    },
  };
}

export type SpatialReadService = ReturnType<typeof createSpatialReadService>;
