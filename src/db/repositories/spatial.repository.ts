import { sql, type Expression, type Insertable, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../executor.ts';
import { likeContains } from '../executor.ts';
import type { GridTable, LayerFeatureTable, LayerTable, RegionTable } from '../schema.ts';

export type BBoxFilter = [number, number, number, number];

const BATCH = 400;

async function batched<T>(rows: T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  // Keeps each statement well under PostgreSQL's 65,535 bind-parameter limit.
  for (let i = 0; i < rows.length; i += BATCH) await fn(rows.slice(i, i + BATCH));
}

/** Grids, regions' geometry, layers, layer features and grid-worker assignments, plus the spatial version. */
export const spatialRepository = {
  /** Increments `app_setting['spatial.version']` and returns the new value; call inside the writing transaction. */
  async bumpVersion(ex: Executor, at: Date): Promise<number> {
    const r = await ex
      .insertInto('app_setting')
      .values({ key: 'spatial.version', value: '1', updated_at: at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          value: sql`to_jsonb(coalesce((app_setting.value #>> '{}')::bigint, 0) + 1)`,
          updated_at: at,
        }),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  },

  async version(ex: Executor): Promise<number> {
    const r = await ex
      .selectFrom('app_setting')
      .select('value')
      .where('key', '=', 'spatial.version')
      .executeTakeFirst();
    return Number(r?.value ?? 0);
  },

  async upsertRegions(ex: Executor, rows: Insertable<RegionTable>[]): Promise<void> {
    await batched(rows, (chunk) =>
      ex
        .insertInto('region')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            name_en: sql`coalesce(excluded.name_en, region.name_en)`,
            parent_code: eb.ref('excluded.parent_code'),
            geometry: eb.ref('excluded.geometry'),
            min_lng: eb.ref('excluded.min_lng'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lng: eb.ref('excluded.max_lng'),
            max_lat: eb.ref('excluded.max_lat'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute(),
    );
  },

  async upsertGrids(ex: Executor, rows: Insertable<GridTable>[]): Promise<void> {
    await batched(rows, (chunk) =>
      ex
        .insertInto('grid')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            community_code: eb.ref('excluded.community_code'),
            name: eb.ref('excluded.name'),
            geometry: eb.ref('excluded.geometry'),
            area_m2: eb.ref('excluded.area_m2'),
            min_lng: eb.ref('excluded.min_lng'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lng: eb.ref('excluded.max_lng'),
            max_lat: eb.ref('excluded.max_lat'),
            legacy_code: eb.ref('excluded.legacy_code'),
          })),
        )
        .execute(),
    );
  },

  async deleteGridsOfCommunity(ex: Executor, communityCode: string): Promise<number> {
    const r = await ex.deleteFrom('grid').where('community_code', '=', communityCode).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async existingCodes(ex: Executor, table: 'region' | 'grid', codes: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    await batched(codes, async (chunk) => {
      const rows = await ex.selectFrom(table).select('code').where('code', 'in', chunk).execute();
      for (const r of rows) out.add(r.code);
    });
    return out;
  },

  /** Regions by code, with geometry. */
  async regionsByCodes(ex: Executor, codes: string[]): Promise<RegionGeoRow[]> {
    const out: RegionGeoRow[] = [];
    await batched(codes, async (chunk) => {
      out.push(...(await listRegionsQuery(ex).where('code', 'in', chunk).execute()));
    });
    return out;
  },

  /** Regions whose parent is one of `parents` (siblings of imported regions). */
  async regionsByParents(ex: Executor, parents: string[]): Promise<RegionGeoRow[]> {
    if (parents.length === 0) return [];
    return listRegionsQuery(ex).where('parent_code', 'in', parents).execute();
  },

  listRegions(
    ex: Executor,
    filter: { level?: string; parentCode?: string; prefix?: string; scope: Expression<SqlBool> },
  ) {
    let q = listRegionsQuery(ex).where(filter.scope);
    if (filter.level) q = q.where('level', '=', filter.level as RegionTable['level']);
    if (filter.parentCode) q = q.where('parent_code', '=', filter.parentCode);
    if (filter.prefix) q = q.where('code', 'like', `${filter.prefix}%`);
    return q.orderBy('code').execute();
  },

  gridsOfCommunities(ex: Executor, communityCodes: string[]) {
    if (communityCodes.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('grid')
      .selectAll()
      .where('community_code', 'in', communityCodes)
      .orderBy('code')
      .execute();
  },

  listGrids(ex: Executor, filter: { prefix: string; scope: Expression<SqlBool>; bbox?: BBoxFilter }) {
    let q = ex.selectFrom('grid').selectAll().where('code', 'like', `${filter.prefix}%`).where(filter.scope);
    if (filter.bbox) {
      const [x0, y0, x1, y1] = filter.bbox;
      q = q
        .where('max_lng', '>=', x0)
        .where('min_lng', '<=', x1)
        .where('max_lat', '>=', y0)
        .where('min_lat', '<=', y1);
    }
    return q.orderBy('code').execute();
  },

  findGrid(ex: Executor, code: string) {
    return ex.selectFrom('grid').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async search(
    ex: Executor,
    q: string,
    scopeRegion: Expression<SqlBool>,
    scopeGrid: Expression<SqlBool>,
    limit: number,
  ) {
    const like = likeContains(q);
    const prefix = /^\d+$/.test(q) ? `${q}%` : null;
    const regions = await ex
      .selectFrom('region')
      .select(['code', 'name', 'level', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
      .where(scopeRegion)
      .where((eb) => (prefix ? eb('code', 'like', prefix) : eb('name', 'ilike', like)))
      .orderBy('code')
      .limit(limit)
      .execute();
    const grids = await ex
      .selectFrom('grid')
      .select(['code', 'name', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
      .where(scopeGrid)
      .where((eb) => (prefix ? eb('code', 'like', prefix) : eb('name', 'ilike', like)))
      .orderBy('code')
      .limit(limit)
      .execute();
    return { regions, grids };
  },

  // Layers

  findLayerByCode(ex: Executor, code: string) {
    return ex.selectFrom('layer').selectAll().where('code', '=', code).executeTakeFirst();
  },

  findLayer(ex: Executor, id: string) {
    return ex.selectFrom('layer').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertLayer(ex: Executor, row: Insertable<LayerTable>): Promise<void> {
    await ex.insertInto('layer').values(row).execute();
  },

  async touchLayer(ex: Executor, id: string, patch: { name?: string; kind?: LayerTable['kind']; at: Date }) {
    await ex
      .updateTable('layer')
      .set({
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.kind ? { kind: patch.kind } : {}),
        updated_at: patch.at,
      })
      .where('id', '=', id)
      .execute();
  },

  listLayers(ex: Executor) {
    return ex
      .selectFrom('layer as l')
      .selectAll('l')
      .select(
        sql<number>`(SELECT count(*)::int FROM layer_feature f WHERE f.layer_id = l.id)`.as('feature_count'),
      )
      .orderBy('l.code')
      .execute();
  },

  async upsertLayerFeatures(ex: Executor, rows: Insertable<LayerFeatureTable>[]): Promise<void> {
    await batched(rows, (chunk) =>
      ex
        .insertInto('layer_feature')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['layer_id', 'code']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            region_code: eb.ref('excluded.region_code'),
            department_id: eb.ref('excluded.department_id'),
            unit_name: eb.ref('excluded.unit_name'),
            geometry: eb.ref('excluded.geometry'),
            area_m2: eb.ref('excluded.area_m2'),
            min_lng: eb.ref('excluded.min_lng'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lng: eb.ref('excluded.max_lng'),
            max_lat: eb.ref('excluded.max_lat'),
          })),
        )
        .execute(),
    );
  },

  listLayerFeatures(ex: Executor, layerId: string, scope: Expression<SqlBool>) {
    return ex
      .selectFrom('layer_feature as f')
      .leftJoin('department as d', 'd.id', 'f.department_id')
      .selectAll('f')
      .select(['d.code as department_code', 'd.name as department_name'])
      .where('f.layer_id', '=', layerId)
      .where(scope)
      .orderBy('f.code')
      .execute();
  },

  /** Layer features whose bounding box contains the point (callers test the polygon itself). */
  layerFeaturesAt(ex: Executor, lng: number, lat: number) {
    return ex
      .selectFrom('layer_feature as f')
      .innerJoin('layer as l', 'l.id', 'f.layer_id')
      .leftJoin('department as d', 'd.id', 'f.department_id')
      .select([
        'f.code',
        'f.name',
        'f.geometry',
        'f.unit_name',
        'l.code as layer_code',
        'l.kind as layer_kind',
        'l.name as layer_name',
        'd.id as department_id',
        'd.code as department_code',
        'd.name as department_name',
      ])
      .where('f.min_lng', '<=', lng)
      .where('f.max_lng', '>=', lng)
      .where('f.min_lat', '<=', lat)
      .where('f.max_lat', '>=', lat)
      .orderBy('l.code')
      .execute();
  },

  departmentsByCodes(ex: Executor, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return ex.selectFrom('department').select(['id', 'code']).where('code', 'in', codes).execute();
  },

  // Assignments

  workersOfGrid(ex: Executor, gridCode: string) {
    return ex
      .selectFrom('grid_assignment as a')
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select(['s.id', 's.display_name', 's.username'])
      .where('a.grid_code', '=', gridCode)
      .orderBy('s.display_name')
      .execute();
  },

  async replaceWorkers(ex: Executor, gridCode: string, staffIds: string[], at: Date): Promise<void> {
    await ex.deleteFrom('grid_assignment').where('grid_code', '=', gridCode).execute();
    if (staffIds.length === 0) return;
    await ex
      .insertInto('grid_assignment')
      .values(staffIds.map((staff_id) => ({ grid_code: gridCode, staff_id, created_at: at })))
      .execute();
  },

  staffByIds(ex: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('staff')
      .select(['id', 'role', 'disabled', 'display_name'])
      .where('id', 'in', ids)
      .execute();
  },
};

export type RegionGeoRow = Pick<
  Selectable<RegionTable>,
  | 'code'
  | 'name'
  | 'name_en'
  | 'level'
  | 'parent_code'
  | 'geometry'
  | 'min_lng'
  | 'min_lat'
  | 'max_lng'
  | 'max_lat'
>;

function listRegionsQuery(ex: Executor) {
  return ex
    .selectFrom('region')
    .select([
      'code',
      'name',
      'name_en',
      'level',
      'parent_code',
      'geometry',
      'min_lng',
      'min_lat',
      'max_lng',
      'max_lat',
    ]);
}
