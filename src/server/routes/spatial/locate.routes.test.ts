import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../../domain/geo/crs.ts';
import type { Polygon, Position } from '../../../domain/geo/geometry.ts';
import { createLocateService } from '../../../services/spatial/locate.service.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
let grid: { code: string; community_code: string; name: string; geometry: Polygon };
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  grid = (await t.database.db
    .selectFrom('grid')
    .select(['code', 'community_code', 'name', 'geometry'])
    .orderBy('code')
    .offset(321)
    .limit(1)
    .executeTakeFirstOrThrow()) as typeof grid;
});
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

function centre(g: Polygon): Position {
  const ring = g.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

const url = (lng: number | string, lat: number | string, crs?: string) =>
  `/api/v1/spatial/locate?lng=${lng}&lat=${lat}${crs ? `&crs=${crs}` : ''}`;

describe('GET /api/v1/spatial/locate', () => {
  it('a point inside a demo grid → the grid, community, street and district', async () => {
    const [lng, lat] = centre(grid.geometry);
    const res = await admin.request('GET', url(lng, lat));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.inside).toBe(true);
    expect(body.grid).toEqual({ code: grid.code, name: grid.name });
    expect(body.community.code).toBe(grid.community_code);
    expect(body.street.code).toBe(grid.community_code.slice(0, 9) + '000');
    expect(body.district).toEqual({ code: '990102000000', name: '示范区' });
    expect(body.nearest).toBeNull();
    // The demo's thematic layers: the street's responsibility zone and the community's supervision unit.
    expect(
      body.layers.map((l: { layerCode: string; code: string }) => `${l.layerCode}:${l.code}`).sort(),
    ).toEqual([`JDDY:${body.community.code}`, `ZRQ-CGW:${body.street.code}`]);
  });

  it('the same point in GCJ-02 and BD-09 → the same grid, reported back in WGS-84', async () => {
    const p = centre(grid.geometry);
    for (const crs of ['gcj02', 'bd09']) {
      const [x, y] = fromWgs84(p, crs as 'gcj02');
      const res = await admin.request('GET', url(x, y, crs));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().grid.code).toBe(grid.code);
      expect(res.json().point[0]).toBeCloseTo(p[0], 8);
      expect(res.json().point[1]).toBeCloseTo(p[1], 8);
    }
  });

  it('a point far away → inside=false with the nearest region and its distance', async () => {
    const res = await admin.request('GET', url(116.2, 39.91));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ inside: false, grid: null, community: null, street: null, district: null });
    expect(body.nearest.code).toMatch(/^990102\d{6}$/);
    expect(body.nearest.distanceM).toBeGreaterThan(12_000);
    expect(body.nearest.distanceM).toBeLessThan(13_500);
  });

  it('bad lng/lat/crs → 400 naming the field', async () => {
    for (const [query, field] of [
      [url('abc', 39.9), 'lng'],
      [url(200, 39.9), 'lng'],
      [url('', 39.9), 'lng'],
      [url(116.3, -91), 'lat'],
      ['/api/v1/spatial/locate?lng=116.3', 'lat'],
      [url(116.3, 39.9, 'mercator'), 'crs'],
    ] as const) {
      const res = await admin.request('GET', query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(
        res
          .json()
          .issues.map((i: { field: string }) => i.field)
          .join(','),
      ).toContain(field);
    }
  });

  it('a community-scoped grid worker: out of scope elsewhere (403)', async () => {
    const worker = await t.login('gridworker');
    const [lng, lat] = centre(grid.geometry);
    const res = await worker.request('GET', url(lng, lat));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.out_of_scope');
  });

  it('another process bumping spatial.version is picked up within pollMs', async () => {
    const second = createLocateService({ db: t.database.db, clock: t.clock, pollMs: 50 });
    try {
      const [lng, lat] = [116.45, 39.95];
      expect((await second.locateMany([{ lng, lat }]))[0]!.inside).toBe(false);
      const ring: Position[] = [
        [116.449, 39.949],
        [116.451, 39.949],
        [116.451, 39.951],
        [116.449, 39.951],
        [116.449, 39.949],
      ];
      await t.database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('grid')
          .values({
            code: grid.community_code + '950',
            community_code: grid.community_code,
            name: '新网格',
            geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
            area_m2: 1,
            min_lng: 116.449,
            min_lat: 39.949,
            max_lng: 116.451,
            max_lat: 39.951,
            legacy_code: null,
            created_at: new Date(),
          })
          .execute();
        const row = await trx
          .selectFrom('app_setting')
          .select('value')
          .where('key', '=', 'spatial.version')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('app_setting')
          .set({ value: JSON.stringify(Number(row.value) + 1), updated_at: new Date() })
          .where('key', '=', 'spatial.version')
          .execute();
      });
      await new Promise((r) => setTimeout(r, 300));
      const [after] = await second.locateMany([{ lng, lat }]);
      expect(after!.grid?.code).toBe(grid.community_code + '950');
      expect(after!.community?.code).toBe(grid.community_code);
    } finally {
      second.close();
    }
  });
});
