import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon, Position } from '../../../domain/geo/geometry.ts';
import {
  brokenFixtureDistrict,
  FIXTURE_DISTRICT,
  fixtureDistrict,
} from '../../../services/spatial/fixtures/gcj02-district.ts';
import { multipartBody, zippedShapefile } from '../../../services/spatial/fixtures/shapefile-writer.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
const fixture = fixtureDistrict();
const mapping = { code: 'CODE', name: 'NAME', parentCode: 'PCODE' };

beforeAll(async () => {
  t = await createTestApp();
  // The demo admin is scoped to 示范区; a new district needs a system-wide administrator.
  await t.database.db.transaction().execute((trx) =>
    t.services.users.createUnchecked(trx, {
      username: 'root',
      displayName: '系统管理员',
      role: 'admin',
      password: 'Zhizhi@2026',
      scope: {},
    }),
  );
  admin = await t.login('root');
}, 60_000);
afterAll(() => t.close());

async function waitForJob(jobId: string) {
  for (let i = 0; i < 600; i++) {
    const res = await admin.request('GET', `/api/v1/spatial/imports/${jobId}`);
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import job did not finish');
}

async function version(): Promise<number> {
  const r = await t.database.db
    .selectFrom('app_setting')
    .select('value')
    .where('key', '=', 'spatial.version')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

async function count(table: 'grid' | 'region', prefix: string): Promise<number> {
  const r = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('spatial import through the HTTP API', () => {
  it('refuses a file with a bow-tie, a duplicate code and an orphan grid, naming each by index, writing nothing', async () => {
    const broken = brokenFixtureDistrict();
    const before = await version();
    const res = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: broken.gcj02,
      kind: 'regions',
      crs: 'gcj02',
      mapping,
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(res.json().jobId);
    expect(job.status).toBe('failed');
    expect(job.accepted).toBe(false);
    const errors = job.report.errors.map((e: { index: number; reason: string }) => `${e.index}:${e.reason}`);
    expect(errors).toEqual([
      `${broken.bowTie}:geometry.self_intersection`,
      `${broken.duplicate}:code.duplicate`,
      `${broken.orphan}:parent.missing`,
    ]);
    expect(job.report.errors[2].code).toBe('990103001099001');
    expect(await count('region', '990103')).toBe(0);
    expect(await count('grid', '990103')).toBe(0);
    expect(await version()).toBe(before);
  });

  it('a dry run validates the GCJ-02 district and writes nothing', async () => {
    const res = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'regions',
      crs: 'gcj02',
      mapping,
      dryRun: true,
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(res.json().jobId);
    expect(job).toMatchObject({ status: 'done', accepted: true, dryRun: true });
    expect(job.report.errors).toEqual([]);
    expect(await count('grid', '990103')).toBe(0);
  });

  it('imports a GCJ-02 district (streets, communities, ~300 grids) end to end, stored in WGS-84', async () => {
    const before = await version();
    const res = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'regions',
      crs: 'gcj02',
      mapping,
      fileName: 'district.geojson',
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(res.json().jobId);
    expect(job.status, JSON.stringify(job.report?.errors.slice(0, 3) ?? job.error)).toBe('done');
    expect(job.accepted).toBe(true);
    expect(job.progress).toBe(1);
    expect(fixture.grids).toBeGreaterThan(280);
    expect(job.report.counts).toMatchObject({
      features: fixture.regions + fixture.grids,
      regions: 9,
      grids: fixture.grids,
      errors: 0,
      inserted: fixture.regions + fixture.grids,
      updated: 0,
    });
    expect(job.report.warnings).toEqual([]);
    expect(await count('region', '990103')).toBe(9);
    expect(await count('grid', '990103')).toBe(fixture.grids);
    expect(await version()).toBe(before + 1);

    const stored = await t.database.db
      .selectFrom('grid')
      .select(['code', 'geometry', 'community_code'])
      .where('code', 'like', '990103%')
      .execute();
    const byCode = new Map(stored.map((g) => [g.code, g]));
    let worst = 0;
    for (const f of fixture.wgs84.features.slice(fixture.regions)) {
      const g = byCode.get(f.properties.CODE)!;
      expect(g.community_code).toBe(f.properties.PCODE);
      const want = (f.geometry as Polygon).coordinates.flat();
      const got = (g.geometry as Polygon).coordinates.flat() as Position[];
      expect(got).toHaveLength(want.length);
      want.forEach((p, i) => {
        worst = Math.max(worst, Math.abs(p[0] - got[i]![0]), Math.abs(p[1] - got[i]![1]));
      });
    }
    expect(worst).toBeLessThan(1e-7);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'spatial.import')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'root', target_id: FIXTURE_DISTRICT });
    expect(audit[0]!.details).toMatchObject({ kind: 'regions', crs: 'gcj02', fileName: 'district.geojson' });
  });

  it('re-importing the same file replaces by code (updates, no duplicates)', async () => {
    const res = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'regions',
      crs: 'gcj02',
      mapping,
    });
    const job = await waitForJob(res.json().jobId);
    expect(job.status).toBe('done');
    expect(job.report.counts).toMatchObject({ inserted: 0, updated: fixture.regions + fixture.grids });
    expect(await count('grid', '990103')).toBe(fixture.grids);
  });

  it('exports regions and grids as GeoJSON, as a download with ?download=1', async () => {
    const streets = await admin.request(
      'GET',
      `/api/v1/spatial/regions.geojson?parentCode=${FIXTURE_DISTRICT}`,
    );
    expect(streets.statusCode, streets.body).toBe(200);
    expect(streets.headers['content-type']).toContain('application/geo+json');
    expect(streets.json().features.map((f: { id: string }) => f.id)).toEqual([
      '990103001000',
      '990103002000',
    ]);
    const grids = await admin.request(
      'GET',
      '/api/v1/spatial/grids.geojson?regionCode=990103001000&download=1',
    );
    expect(grids.statusCode).toBe(200);
    expect(grids.headers['content-disposition']).toBe(
      'attachment; filename="zhizhi-grids-990103001000.geojson"',
    );
    const body = grids.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBe(
      fixture.wgs84.features.filter(
        (f) => f.properties.CODE.startsWith('990103001') && f.properties.CODE.length === 15,
      ).length,
    );
    expect(body.features[0].properties).toMatchObject({
      code: '990103001001001',
      communityCode: '990103001001',
    });
  });

  it('search finds regions and grids by code prefix or name; grid info names community and street', async () => {
    const byName = (
      await admin.request('GET', `/api/v1/spatial/search?q=${encodeURIComponent('试验')}`)
    ).json();
    expect(byName[0]).toMatchObject({ type: 'district', code: FIXTURE_DISTRICT, name: '试验区' });
    const byCode = (await admin.request('GET', '/api/v1/spatial/search?q=990103002003')).json();
    expect(byCode[0]).toMatchObject({ type: 'community', code: '990103002003' });
    expect(byCode.some((r: { type: string }) => r.type === 'grid')).toBe(true);
    const info = await admin.request('GET', '/api/v1/spatial/grids/990103002003001');
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toMatchObject({
      code: '990103002003001',
      community: { code: '990103002003', name: '试验23社区' },
      street: { code: '990103002000' },
      workers: [],
    });
    expect(info.json().areaM2).toBeGreaterThan(1000);
  });

  it('imports a layer from a zipped Shapefile upload, linked to departments; grid info lists them', async () => {
    const zone = (lng0: number, lng1: number): Polygon => ({
      type: 'Polygon',
      coordinates: [
        [
          [lng0, 39.899],
          [lng1, 39.899],
          [lng1, 39.925],
          [lng0, 39.925],
          [lng0, 39.899],
        ],
      ],
    });
    const zip = zippedShapefile([
      { geometry: zone(116.349, 116.371), properties: { ZCODE: 'ZRQ-W', ZNAME: '西片责任区', DEPT: 'CGW' } },
      { geometry: zone(116.371, 116.393), properties: { ZCODE: 'ZRQ-E', ZNAME: '东片责任区', DEPT: 'SWJ' } },
    ]);
    const form = multipartBody(
      {
        kind: 'layer',
        crs: 'wgs84',
        layerCode: 'ZRQ',
        layerName: '责任区',
        layerKind: 'responsibility_zone',
        mapping: JSON.stringify({ code: 'ZCODE', name: 'ZNAME', department: 'DEPT' }),
      },
      { name: 'zones.zip', bytes: zip, type: 'application/zip' },
    );
    const res = await admin.request('POST', '/api/v1/spatial/imports', form.payload, form.headers);
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(res.json().jobId);
    expect(job.status, JSON.stringify(job.report)).toBe('done');
    expect(job.report.counts).toMatchObject({ layerFeatures: 2 });
    const layers = (await admin.request('GET', '/api/v1/spatial/layers'))
      .json()
      .filter((l: { code: string }) => l.code === 'ZRQ'); // the demo district has layers of its own
    expect(layers).toEqual([
      { id: expect.any(String), code: 'ZRQ', name: '责任区', kind: 'responsibility_zone', featureCount: 2 },
    ]);
    const features = (
      await admin.request('GET', `/api/v1/spatial/layers/${layers[0].id}/features.geojson`)
    ).json();
    expect(
      features.features.map((f: { properties: { departmentCode: string; name: string } }) => f.properties),
    ).toEqual([
      expect.objectContaining({ code: 'ZRQ-E', name: '东片责任区', departmentCode: 'SWJ' }),
      expect.objectContaining({ code: 'ZRQ-W', name: '西片责任区', departmentCode: 'CGW' }),
    ]);
    const info = (await admin.request('GET', '/api/v1/spatial/grids/990102001001001')).json();
    expect(info.departments.filter((d: { layerCode: string }) => d.layerCode === 'ZRQ')).toEqual([
      expect.objectContaining({
        code: 'CGW',
        layerCode: 'ZRQ',
        layerKind: 'responsibility_zone',
        featureCode: 'ZRQ-W',
      }),
    ]);
  });

  it('bad input gets a 4xx naming the reason', async () => {
    const notFc = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: { type: 'Feature' },
      kind: 'grids',
      mapping,
    });
    expect(notFc.statusCode).toBe(400);
    expect(notFc.json().issues[0]).toMatchObject({ field: 'file', reason: 'not_feature_collection' });

    const tooMany = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: {
        type: 'FeatureCollection',
        features: Array.from({ length: 20_001 }, () => ({ type: 'Feature' })),
      },
      kind: 'grids',
      mapping,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().issues[0]).toMatchObject({ field: 'file', reason: 'too_many_features' });

    const noMapping = await admin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'grids',
    });
    expect(noMapping.statusCode).toBe(400);
    expect(noMapping.json().issues[0].field).toBe('body.mapping');

    const text = multipartBody(
      { kind: 'grids', mapping: JSON.stringify(mapping) },
      { name: 'x.geojson', bytes: new TextEncoder().encode('<html>') },
    );
    const sniffed = await admin.request('POST', '/api/v1/spatial/imports', text.payload, text.headers);
    expect(sniffed.statusCode).toBe(400);
    expect(sniffed.json().issues[0]).toMatchObject({ field: 'file', reason: 'unsupported_type' });

    const projected = zippedShapefile(
      [{ geometry: fixture.wgs84.features[0]!.geometry as Polygon, properties: { CODE: 'A' } }],
      'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]',
    );
    const prj = multipartBody(
      { kind: 'layer', layerCode: 'X', mapping: JSON.stringify(mapping) },
      { name: 'p.zip', bytes: projected },
    );
    const prjRes = await admin.request('POST', '/api/v1/spatial/imports', prj.payload, prj.headers);
    expect(prjRes.statusCode).toBe(400);
    expect(prjRes.json().issues[0]).toMatchObject({ field: 'file', reason: 'projected_crs' });

    const unknownJob = await admin.request(
      'GET',
      '/api/v1/spatial/imports/00000000-0000-4000-8000-000000000000',
    );
    expect(unknownJob.statusCode).toBe(404);
  });

  it('scoped staff cannot import outside their subtree', async () => {
    const districtAdmin = await t.login('admin');
    const scoped = await districtAdmin.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'regions',
      mapping,
      dryRun: true,
    });
    expect(scoped.statusCode).toBe(202);
    const job = (await districtAdmin.request('GET', `/api/v1/spatial/imports/${scoped.json().jobId}`)).json();
    expect(['queued', 'validating', 'failed']).toContain(job.status);
    const own = await admin.request('GET', `/api/v1/spatial/imports/${scoped.json().jobId}`);
    expect(own.statusCode).toBe(200);
    const gridworker = await t.login('gridworker');
    const res = await gridworker.request('POST', '/api/v1/spatial/imports', {
      format: 'geojson',
      data: fixture.gcj02,
      kind: 'regions',
      mapping,
    });
    expect(res.statusCode).toBe(403);
  });

  it('generates grids for a community (refusing to overwrite unless replace) and assigns grid workers', async () => {
    const community = '990103001001';
    const conflict = await admin.request('POST', '/api/v1/spatial/grids/generate', { regionCode: community });
    expect(conflict.statusCode).toBe(409);
    const before = await version();
    const res = await admin.request('POST', '/api/v1/spatial/grids/generate', {
      regionCode: community,
      shape: 'hexagon',
      sizeM: 120,
      replace: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(result.communities[0]).toMatchObject({ code: community, replaced: expect.any(Number) });
    expect(await count('grid', community)).toBe(result.grids);
    expect(await version()).toBe(before + 1);

    const worker = await t.database.db
      .selectFrom('staff')
      .select(['id', 'display_name'])
      .where('username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    const put = await admin.request('PUT', `/api/v1/spatial/grids/${community}001/workers`, {
      staffIds: [worker.id],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual([{ id: worker.id, displayName: worker.display_name }]);
    const info = (await admin.request('GET', `/api/v1/spatial/grids/${community}001`)).json();
    expect(info.workers).toEqual([{ id: worker.id, displayName: worker.display_name }]);
    const adminId = (await admin.request('GET', '/api/v1/auth/me')).json();
    const bad = await admin.request('PUT', `/api/v1/spatial/grids/${community}001/workers`, {
      staffIds: [adminId.id ?? adminId.user?.id],
    });
    expect(bad.statusCode).toBe(400);
  });
});
