import type { Kysely } from 'kysely';
import type { LocateResult } from '../../contracts/locate.schema.ts';
import { toWgs84, type Crs } from '../../domain/geo/crs.ts';
import type { Geometry } from '../../domain/geo/geometry.ts';
import { buildPolygonIndex, type PolygonIndex } from '../../domain/geo/polygon-index.ts';
import { parentCodeOf, type RegionLevel } from '../../domain/region/region-code.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { appSettingRepository } from '../../db/repositories/app-setting.repository.ts';
import type { Executor } from '../../db/executor.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { canSeeRegion, requirePermission } from '../scope/scope-guard.ts';

export const SPATIAL_VERSION_KEY = 'spatial.version';

export interface LocatePoint {
  lng: number;
  lat: number;
  crs?: Crs;
}

interface RegionInfo {
  code: string;
  name: string;
  level: RegionLevel;
}

interface Indexed<T> {
  index: PolygonIndex;
  items: T[];
}

interface LayerIndex extends Indexed<{ code: string; name: string }> {
  layerId: string;
  layerCode: string;
  kind: string;
}

interface Snapshot {
  version: number;
  regions: Map<string, RegionInfo>;
  grids: Indexed<{ code: string; name: string; communityCode: string }>;
  /** Finest first, the order `nearest` prefers on ties. */
  levels: { level: RegionLevel; indexed: Indexed<RegionInfo> }[];
  layers: LayerIndex[];
}

/**
 * Point → grid, community, street, district and each layer's feature, from in-process polygon indexes
 * (src/domain/geo/polygon-index.ts, whose boundary rule decides shared edges). Consistency across processes: every
 * spatial write bumps `app_setting['spatial.version']` in its own transaction; each process polls that number every
 * `pollMs` (and checks it lazily when a lookup finds the last check older than `pollMs`) and rebuilds from one
 * snapshot of the tables when it changed. `invalidate()` drops the indexes at once after a local write.
 */
export function createLocateService(deps: { db: Kysely<DB>; clock: Clock; pollMs?: number }) {
  const { db, clock } = deps;
  const pollMs = deps.pollMs ?? 2000;
  let snapshot: Snapshot | null = null;
  let checkedAt = 0;
  let generation = 0;
  let loading: Promise<Snapshot> | null = null;
  let checking: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let closed = false;

  async function readVersion(ex: Executor): Promise<number> {
    return Number((await appSettingRepository.get<number>(ex, SPATIAL_VERSION_KEY)) ?? 0);
  }

  function load(): Promise<Snapshot> {
    if (loading) return loading;
    const gen = generation;
    loading = (async () => {
      try {
        // One snapshot: the version read and the rows it describes come from the same transaction.
        const built = await db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (trx) => build(trx, await readVersion(trx)));
        if (gen === generation) {
          snapshot = built;
          checkedAt = clock.now().getTime();
        }
        startTimer();
        return built;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  /** Rebuilds when the stored version differs from the one the indexes were built from. */
  function check(): Promise<void> {
    if (checking) return checking;
    checking = (async () => {
      try {
        const version = await readVersion(db);
        checkedAt = clock.now().getTime();
        if (!snapshot || version !== snapshot.version) await load();
      } finally {
        checking = null;
      }
    })();
    return checking;
  }

  function startTimer(): void {
    if (timer || closed) return;
    timer = setInterval(() => {
      // A failed poll (database briefly away) keeps the last indexes; the next tick tries again.
      check().catch(() => undefined);
    }, pollMs);
    timer.unref();
  }

  async function current(): Promise<Snapshot> {
    if (!snapshot) return load();
    if (clock.now().getTime() - checkedAt >= pollMs) await check();
    return snapshot ?? load();
  }

  function resolve(s: Snapshot, input: LocatePoint): LocateResult {
    const [lng, lat] = toWgs84([input.lng, input.lat], input.crs ?? 'wgs84');
    const region = (code: string | null | undefined) => {
      const r = code ? s.regions.get(code) : undefined;
      return r ? { code: r.code, name: r.name } : null;
    };
    const at = (level: RegionLevel) => {
      const idx = s.levels.find((l) => l.level === level)?.indexed;
      const i = idx ? idx.index.locate(lng, lat) : -1;
      return i >= 0 ? idx!.items[i]!.code : null;
    };
    const g = s.grids.index.locate(lng, lat);
    const grid = g >= 0 ? s.grids.items[g]! : null;
    // Coarser levels follow the finer answer's codes, so a point never lands in a grid of one community and
    // the polygon of another where their boundaries differ by rounding.
    const communityCode = grid?.communityCode ?? at('community');
    const streetCode = (communityCode && parentCodeOf(communityCode)) ?? at('street');
    const districtCode = (streetCode && parentCodeOf(streetCode)) ?? at('district');
    const layers: LocateResult['layers'] = [];
    for (const l of s.layers) {
      const i = l.index.locate(lng, lat);
      if (i >= 0) layers.push({ layerId: l.layerId, layerCode: l.layerCode, kind: l.kind, ...l.items[i]! });
    }
    const community = region(communityCode);
    const street = region(streetCode);
    const district = region(districtCode);
    return {
      inside: grid !== null || community !== null || street !== null || district !== null,
      point: [lng, lat],
      grid: grid ? { code: grid.code, name: grid.name } : null,
      community,
      street,
      district,
      layers,
      nearest: null,
    };
  }

  function nearest(s: Snapshot, lng: number, lat: number, accept: (code: string) => boolean) {
    let best: LocateResult['nearest'] = null;
    for (const { indexed } of s.levels) {
      const hit = indexed.index.nearest(lng, lat, (i) => accept(indexed.items[i]!.code));
      if (hit && (!best || hit.distanceM < best.distanceM)) {
        const r = indexed.items[hit.index]!;
        best = { code: r.code, name: r.name, level: r.level, distanceM: Math.round(hit.distanceM * 10) / 10 };
      }
    }
    return best;
  }

  return {
    /** Where a point lies, for a caller who may view the map: out of the caller's scope is an error. */
    async locate(actor: Actor, input: LocatePoint): Promise<LocateResult> {
      requirePermission(actor.principal, 'map.view');
      const s = await current();
      const result = resolve(s, input);
      const finest =
        result.grid?.code ?? result.community?.code ?? result.street?.code ?? result.district?.code;
      if (finest !== undefined) {
        if (!canSeeRegion(actor.principal, finest)) {
          throw new DomainError('auth.out_of_scope', 'the point lies outside your scope', {});
        }
        return result;
      }
      const [lng, lat] = result.point;
      return { ...result, nearest: nearest(s, lng, lat, (code) => canSeeRegion(actor.principal, code)) };
    },

    /** Bulk lookups for internal callers (intake, imports): no actor, no scope. */
    async locateMany(points: readonly LocatePoint[]): Promise<LocateResult[]> {
      const s = await current();
      return points.map((p) => {
        const r = resolve(s, p);
        return r.inside ? r : { ...r, nearest: nearest(s, r.point[0], r.point[1], () => true) };
      });
    },

    /** The version the current indexes were built from (null before the first lookup). */
    version(): number | null {
      return snapshot?.version ?? null;
    },

    /** Forget the indexes after a local spatial write; the next lookup rebuilds them. */
    invalidate(): void {
      generation++;
      snapshot = null;
    },

    /** Stops the poll timer (graceful shutdown). */
    close(): void {
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type LocateService = ReturnType<typeof createLocateService>;

function geometryOf(value: unknown): Geometry | null {
  const g = (typeof value === 'string' ? JSON.parse(value) : value) as Geometry | null;
  return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null;
}

function indexOf<T>(rows: { geometry: unknown; item: T }[]): Indexed<T> {
  return {
    index: buildPolygonIndex(rows.map((r) => geometryOf(r.geometry))),
    items: rows.map((r) => r.item),
  };
}

async function build(ex: Executor, version: number): Promise<Snapshot> {
  const regionRows = await ex
    .selectFrom('region')
    .select(['code', 'name', 'level', 'geometry'])
    .orderBy('code')
    .execute();
  const gridRows = await ex
    .selectFrom('grid')
    .select(['code', 'name', 'community_code', 'geometry'])
    .orderBy('code')
    .execute();
  const layerRows = await ex.selectFrom('layer').select(['id', 'code', 'kind']).orderBy('code').execute();
  const featureRows = await ex
    .selectFrom('layer_feature')
    .select(['layer_id', 'code', 'name', 'geometry'])
    .orderBy('layer_id')
    .orderBy('code')
    .execute();

  const regions = new Map<string, RegionInfo>();
  for (const r of regionRows) regions.set(r.code, { code: r.code, name: r.name, level: r.level });
  const levels = (['community', 'street', 'district'] as const).map((level) => ({
    level,
    indexed: indexOf(
      regionRows
        .filter((r) => r.level === level && r.geometry !== null)
        .map((r) => ({ geometry: r.geometry, item: regions.get(r.code)! })),
    ),
  }));
  const grids = indexOf(
    gridRows.map((g) => ({
      geometry: g.geometry,
      item: { code: g.code, name: g.name, communityCode: g.community_code },
    })),
  );
  const layers = layerRows.map((l) => ({
    layerId: l.id,
    layerCode: l.code,
    kind: l.kind,
    ...indexOf(
      featureRows
        .filter((f) => f.layer_id === l.id)
        .map((f) => ({ geometry: f.geometry, item: { code: f.code, name: f.name } })),
    ),
  }));
  return { version, regions, grids, levels, layers };
}
