import { testFieldKey } from '../crypto/field-cipher.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fromWgs84 } from '../../domain/geo/crs.ts';
import type { Polygon, Position } from '../../domain/geo/geometry.ts';
import type { Permission } from '../../domain/identity/role.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createServices } from '../compose.ts';
import type { Actor } from '../identity/principal.ts';
import { cryptoIds } from '../ids.ts';
import { createLocateService, type LocateService } from './locate.service.ts';

let database: Database;
let locate: LocateService;
const clock = fixedClock('2026-11-22T00:00:00Z');
let grids: { code: string; community_code: string; name: string; geometry: Polygon }[];

function actor(regionCode: string | null, permissions: Permission[] = ['map.view']): Actor {
  return {
    principal: {
      kind: 'session',
      staffId: '00000000-0000-4000-8000-000000000001',
      username: 'tester',
      displayName: 'Tester',
      role: 'grid_worker',
      permissions,
      scope: { regionCode, departmentId: null },
    },
    ip: null,
  };
}
const admin = actor(null);

/** The vertex average of a (convex) demo grid: well inside it. */
function inside(g: Polygon): Position {
  const ring = g.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

const square = (x: number, y: number, s: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
});

async function bump(): Promise<void> {
  const v = Number(
    (
      await database.db
        .selectFrom('app_setting')
        .select('value')
        .where('key', '=', 'spatial.version')
        .executeTakeFirst()
    )?.value ?? 0,
  );
  await database.db
    .updateTable('app_setting')
    .set({ value: JSON.stringify(v + 1), updated_at: new Date() })
    .where('key', '=', 'spatial.version')
    .execute();
}

async function insertGrid(code: string, communityCode: string, geometry: Polygon): Promise<void> {
  const [x0, y0] = geometry.coordinates[0]![0]!;
  const [x1, y1] = geometry.coordinates[0]![2]!;
  await database.db
    .insertInto('grid')
    .values({
      code,
      community_code: communityCode,
      name: `测试网格${code.slice(-3)}`,
      geometry: JSON.stringify(geometry),
      area_m2: 1,
      min_lng: x0,
      min_lat: y0,
      max_lng: x1,
      max_lat: y1,
      legacy_code: null,
      created_at: new Date(),
    })
    .execute();
}

beforeAll(async () => {
  database = await openTestDatabase();
  const services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
  await services.demo.load();
  services.locate.close();
  locate = createLocateService({ db: database.db, clock, pollMs: 50 });
  grids = (await database.db
    .selectFrom('grid')
    .select(['code', 'community_code', 'name', 'geometry'])
    .orderBy('code')
    .execute()) as typeof grids;
});
afterAll(async () => {
  locate.close();
  await database.close();
});

describe('locate service', () => {
  it('a point inside a demo grid → that grid, its community, street and district', async () => {
    const g = grids[100]!;
    const [lng, lat] = inside(g.geometry);
    const r = await locate.locate(admin, { lng, lat });
    expect(r.inside).toBe(true);
    expect(r.grid).toEqual({ code: g.code, name: g.name });
    expect(r.community?.code).toBe(g.community_code);
    expect(r.street?.code).toBe(g.community_code.slice(0, 9) + '000');
    expect(r.district?.code).toBe('990102000000');
    expect(r.nearest).toBeNull();
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [x, y] = fromWgs84([lng, lat], crs);
      expect((await locate.locate(admin, { lng: x, lat: y, crs })).grid?.code).toBe(g.code);
    }
  });

  it('locateMany agrees with locate for every 50th grid', async () => {
    const sample = grids.filter((_, i) => i % 50 === 0);
    const results = await locate.locateMany(
      sample.map((g) => ({ lng: inside(g.geometry)[0], lat: inside(g.geometry)[1] })),
    );
    expect(results.map((r) => r.grid?.code)).toEqual(sample.map((g) => g.code));
  });

  it('a point outside the district → inside=false, the nearest region and its distance', async () => {
    const r = await locate.locate(admin, { lng: 116.3, lat: 39.91 });
    expect(r.inside).toBe(false);
    expect(r.grid).toBeNull();
    expect(r.district).toBeNull();
    // 0.05° of longitude west of the district at 39.9°N ≈ 4.26 km.
    expect(r.nearest?.level).toBe('community');
    expect(r.nearest!.distanceM).toBeGreaterThan(4000);
    expect(r.nearest!.distanceM).toBeLessThan(4500);
  });

  it('scope: a community-scoped caller may locate inside it, not in another community', async () => {
    const mine = grids[0]!;
    const other = grids.find((g) => g.community_code.slice(0, 9) !== mine.community_code.slice(0, 9))!;
    const scoped = actor(mine.community_code);
    expect(
      (await locate.locate(scoped, { lng: inside(mine.geometry)[0], lat: inside(mine.geometry)[1] })).grid
        ?.code,
    ).toBe(mine.code);
    await expect(
      locate.locate(scoped, { lng: inside(other.geometry)[0], lat: inside(other.geometry)[1] }),
    ).rejects.toMatchObject({ code: 'auth.out_of_scope' });
    const far = await locate.locate(scoped, { lng: 116.3, lat: 39.91 });
    expect(far.nearest?.code).toBe(mine.community_code);
    await expect(locate.locate(actor(null, []), { lng: 116.36, lat: 39.91 })).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
  });

  it('picks up a change another process made (version bump) within pollMs, and after invalidate()', async () => {
    const community = grids[0]!.community_code;
    await locate.locate(admin, { lng: 116.5, lat: 39.95 });
    const before = locate.version()!;
    await insertGrid(community + '901', community, square(116.5, 39.95, 0.001));
    await bump();
    await new Promise((r) => setTimeout(r, 300));
    expect(locate.version()).toBe(before + 1);
    const r = await locate.locate(admin, { lng: 116.5005, lat: 39.9505 });
    expect(r.inside).toBe(true);
    expect(r.grid?.code).toBe(community + '901');
    expect(r.community?.code).toBe(community);

    // A local write without a bump is seen once the caller invalidates.
    await insertGrid(community + '902', community, square(116.6, 39.95, 0.001));
    locate.invalidate();
    expect((await locate.locate(admin, { lng: 116.6005, lat: 39.9505 })).grid?.code).toBe(community + '902');
  });

  it('reports each layer feature under the point', async () => {
    const layerId = '00000000-0000-4000-8000-0000000000aa';
    const now = new Date();
    await database.db
      .insertInto('layer')
      .values({
        id: layerId,
        kind: 'responsibility_zone',
        code: 'ZR',
        name: '责任区',
        name_en: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await database.db
      .insertInto('layer_feature')
      .values({
        id: '00000000-0000-4000-8000-0000000000ab',
        layer_id: layerId,
        code: 'ZR-001',
        name: '一号责任区',
        region_code: null,
        department_id: null,
        unit_name: null,
        geometry: JSON.stringify(square(116.35, 39.9, 0.01)),
        area_m2: 1,
        min_lng: 116.35,
        min_lat: 39.9,
        max_lng: 116.36,
        max_lat: 39.91,
        created_at: now,
      })
      .execute();
    await bump();
    clock.advance(60_000); // the lazy check: the last check is older than pollMs
    const r = await locate.locate(admin, { lng: 116.355, lat: 39.905 });
    // The demo district brings its own two layers (street zones, community supervision units); look at ours.
    const ours = (layers: { layerCode: string }[]) => layers.filter((l) => l.layerCode === 'ZR');
    expect(ours(r.layers)).toEqual([
      { layerId, layerCode: 'ZR', kind: 'responsibility_zone', code: 'ZR-001', name: '一号责任区' },
    ]);
    expect(ours((await locate.locate(admin, { lng: 116.38, lat: 39.92 })).layers)).toEqual([]);
  });
});
