import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema, type ImportJobView } from '../../contracts/spatial.schema.ts';
import type { Database } from '../../db/connect.ts';
import { importJobRepository } from '../../db/repositories/import-job.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { rolePermissions } from '../../domain/identity/role.ts';
import { fixedClock, type Clock } from '../../domain/shared/clock.ts';
import { createAuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { cryptoIds } from '../ids.ts';
import { brokenFixtureDistrict, fixtureDistrict } from './fixtures/gcj02-district.ts';
import { createSpatialImportService, type SpatialImportService } from './spatial-import.service.ts';

/**
 * Import jobs live in the database, so that a job started by one server process can be polled through another
 * (node:cluster workers sharing a port). Each "process" here is its own service instance on the same database.
 */
let database: Database;
const clock = fixedClock('2026-11-22T08:00:00Z');
let processA: SpatialImportService;
let processB: SpatialImportService;

function service(db: Database['db'], c: Clock = clock): SpatialImportService {
  return createSpatialImportService({
    db,
    clock: c,
    ids: cryptoIds,
    audit: createAuditService({ db, clock: c }),
  });
}

function actor(staffId: string, regionCode: string | null): Actor {
  return {
    principal: {
      kind: 'session',
      staffId,
      username: `u-${staffId.slice(-4)}`,
      displayName: 'Tester',
      role: 'admin',
      permissions: rolePermissions.admin,
      scope: { regionCode, departmentId: null },
    },
    ip: null,
  };
}
const root = actor('00000000-0000-4000-8000-00000000000a', null);
const otherRoot = actor('00000000-0000-4000-8000-00000000000b', null);
const scoped = actor('00000000-0000-4000-8000-00000000000c', '990103000000');

const regionsOpts = importOptionsSchema.parse({
  kind: 'regions',
  crs: 'gcj02',
  mapping: { code: 'CODE', name: 'NAME', parentCode: 'PCODE' },
  fileName: 'district.geojson',
});

/** `n` disjoint small squares as a layer file: n/400 write batches. */
function squares(n: number) {
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => {
      const x = 116.3 + (i % 100) * 0.001;
      const y = 39.8 + Math.floor(i / 100) * 0.001;
      return {
        type: 'Feature',
        properties: { CODE: `SQ-${i}`, NAME: `方块${i}` },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [x + 0.0005, y],
              [x + 0.0005, y + 0.0005],
              [x, y + 0.0005],
              [x, y],
            ],
          ],
        },
      };
    }),
  };
}
const layerOpts = importOptionsSchema.parse({
  kind: 'layer',
  layerCode: 'SQ',
  layerName: '方块',
  mapping: { code: 'CODE', name: 'NAME' },
});

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return 'resolved';
}

beforeAll(async () => {
  database = await openTestDatabase();
  processA = service(database.db);
  processB = service(database.db);
  // The fixture district hangs under the demo city.
  const now = clock.now();
  await database.db
    .insertInto('region')
    .values({
      code: '990100000000',
      name: '示范市',
      name_en: null,
      level: 'city',
      parent_code: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}, 60_000);
afterAll(() => database.close());

describe('import jobs shared by several processes', () => {
  let finished: ImportJobView;

  it('a job started in process A is visible, with its final report, through process B', async () => {
    const fixture = fixtureDistrict();
    const { jobId, done } = await processA.start(
      root,
      { format: 'geojson', data: fixture.gcj02 },
      regionsOpts,
    );
    // Stored before `start` answered: B knows the job at once.
    const early = await processB.get(root, jobId);
    expect(early).toMatchObject({ id: jobId, kind: 'regions', dryRun: false, finishedAt: null });
    expect(['queued', 'validating', 'writing']).toContain(early.status);

    finished = await done;
    expect(finished).toMatchObject({ status: 'done', accepted: true, progress: 1, error: null });
    expect(finished.report!.counts).toMatchObject({
      inserted: fixture.regions + fixture.grids,
      updated: 0,
      errors: 0,
    });
    expect(await processB.get(root, jobId)).toEqual(finished);
    expect(await processA.get(root, jobId)).toEqual(finished);

    // Same visibility rule as before: the owner and system-wide staff; anyone else gets a 404.
    expect(await processB.get(otherRoot, jobId)).toEqual(finished);
    expect(await rejection(processB.get(scoped, jobId))).toBe('resource.not_found');
    expect(await rejection(processB.get(root, '00000000-0000-4000-8000-000000000000'))).toBe(
      'resource.not_found',
    );
    expect(await rejection(processB.get(root, 'not-a-uuid'))).toBe('resource.not_found');

    const row = await importJobRepository.findById(database.db, jobId);
    expect(row).toMatchObject({ status: 'done', kind: 'regions', owner_id: root.principal.staffId });
  });

  it('a refused file reports its findings through the other process too', async () => {
    const broken = brokenFixtureDistrict();
    const { jobId, done } = await processB.start(
      scoped,
      { format: 'geojson', data: broken.gcj02 },
      { ...regionsOpts, dryRun: true },
    );
    const view = await done;
    expect(view).toMatchObject({ status: 'failed', accepted: false });
    expect(view.report!.errors.map((e) => e.index)).toEqual([broken.bowTie, broken.duplicate, broken.orphan]);
    expect(await processA.get(scoped, jobId)).toEqual(view);
  });

  it('progress is stored while writing, throttled rather than per batch', async () => {
    let progressWrites = 0;
    let updates = 0;
    const counting: KyselyPlugin = {
      transformQuery: (a) => {
        const text = JSON.stringify(a.node);
        if (a.node.kind === 'UpdateQueryNode' && text.includes('"import_job"')) {
          updates++;
          if (text.includes('jsonb_set')) progressWrites++;
        }
        return a.node;
      },
      transformResult: async (a) => a.result,
    };
    // 8,000 features: 20 batches of 400, each 5 % of the write phase; the clock stands still, so only the
    // 10 % rule lets a progress write through.
    const { jobId, done } = await service(database.db.withPlugin(counting)).start(
      root,
      { format: 'geojson', data: squares(8000) },
      layerOpts,
    );
    const view = await done;
    expect(view.status, JSON.stringify(view.report?.errors.slice(0, 2))).toBe('done');
    expect(view.report!.counts).toMatchObject({ layerFeatures: 8000 });
    expect(progressWrites).toBeGreaterThanOrEqual(5);
    expect(progressWrites).toBeLessThanOrEqual(10);
    // validating, context loaded, writing, finished — plus the progress writes.
    expect(updates).toBe(4 + progressWrites);
    expect(await processB.get(root, jobId)).toEqual(view);
  }, 60_000);

  it('with time passing, a progress write goes through once 250 ms have passed since the last', async () => {
    let t = new Date('2026-11-22T08:00:00Z').getTime();
    let stepMs = 0;
    const ticking: Clock = { now: () => new Date((t += stepMs)) };
    let progressWrites = 0;
    const counting: KyselyPlugin = {
      transformQuery: (a) => {
        if (a.node.kind === 'UpdateQueryNode' && JSON.stringify(a.node).includes('jsonb_set'))
          progressWrites++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    };
    // Each reading of the clock moves it on by 300 ms: every one of the 20 batches is past the interval.
    stepMs = 300;
    const { done } = await service(database.db.withPlugin(counting), ticking).start(
      root,
      { format: 'geojson', data: squares(8000) },
      layerOpts,
    );
    expect((await done).status).toBe('done');
    expect(progressWrites).toBe(20);
  }, 60_000);

  it("a job left unfinished by a dead process reads as failed 'interrupted' after 10 minutes", async () => {
    const now = clock.now();
    const id = cryptoIds.uuid();
    const left: ImportJobView = {
      id,
      status: 'writing',
      progress: 0.6,
      kind: 'grids',
      dryRun: false,
      accepted: null,
      report: null,
      error: null,
      createdAt: now.toISOString(),
      finishedAt: null,
    };
    await importJobRepository.insert(database.db, {
      id,
      owner_id: root.principal.staffId,
      kind: 'grids',
      status: 'writing',
      view: JSON.stringify(left),
      created_at: now,
      updated_at: now,
    });
    expect(await processB.get(root, id)).toEqual(left);
    clock.advance(10 * 60_000);
    expect(await processB.get(root, id)).toEqual(left);
    clock.advance(1000);
    expect(await processB.get(root, id)).toEqual({
      ...left,
      status: 'failed',
      progress: 1,
      error: 'interrupted',
      finishedAt: now.toISOString(),
    });
    // A finished job stays as it finished, however old.
    expect(await processB.get(root, finished.id)).toEqual(finished);
  });

  it('starting a job forgets jobs that ended more than 7 days ago, and only those', async () => {
    const all = async () =>
      (await database.db.selectFrom('import_job').select('id').execute()).map((r) => r.id).sort();
    const before = await all();
    expect(before).toContain(finished.id);

    clock.advance(4 * 86_400_000);
    const dry = { ...layerOpts, dryRun: true };
    const recent = await processA.start(root, { format: 'geojson', data: squares(3) }, dry);
    await recent.done;
    expect(await all()).toEqual([...before, recent.jobId].sort());

    clock.advance(4 * 86_400_000);
    const latest = await processA.start(root, { format: 'geojson', data: squares(3) }, dry);
    await latest.done;
    // Everything from the first day went (finished or interrupted); the 4-day-old job stays.
    expect(await all()).toEqual([recent.jobId, latest.jobId].sort());
    expect(await rejection(processB.get(root, finished.id))).toBe('resource.not_found');
  });
});
