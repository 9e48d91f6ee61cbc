import type { Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { ImportJobView, ImportOptions, ImportReport } from '../../contracts/spatial.schema.ts';
import { bboxOf, type Geometry } from '../../domain/geo/geometry.ts';
import {
  levelOfCode,
  parentCodeOf,
  regionLevels,
  type RegionLevel,
} from '../../domain/region/region-code.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import {
  countPositions,
  featuresOf,
  normalizeFeatures,
  type ImportFeature,
} from '../../domain/spatial/import-mapping.ts';
import {
  normalizeGridCode,
  validateFeatures,
  type StoredRegion,
  type ValidFeature,
  type ValidationContext,
} from '../../domain/spatial/validate-features.ts';
import type { Executor } from '../../db/executor.ts';
import { importJobRepository } from '../../db/repositories/import-job.repository.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import type { DB, GridTable, ImportJobRow, LayerFeatureTable, RegionTable } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { canSeeRegion, isGlobal, requirePermission } from '../scope/scope-guard.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { fileProblem, readZippedShapefile } from './shapefile-reader.ts';

/**
 * Spatial imports (GeoJSON or zipped Shapefile → regions, grids or a layer) as jobs with progress.
 *
 * The request itself parses the file and checks the hard limits (size, feature count, total vertices), so bad
 * files get a 4xx at once; validation and writing then run as a job in this process (queued → validating →
 * writing → done | failed). The job's state lives in the `import_job` table, written at each progress step, so any
 * process can answer a poll for it; a job silent for longer than STALE_MS while not finished is reported failed
 * with error `interrupted` (the process running it died). Finished jobs are kept KEEP_DAYS. Semantics:
 * - all-or-nothing: any error finding refuses the import; the write is one transaction that also records the
 *   audit row and bumps `spatial.version` (which makes every process rebuild its locate index);
 * - upsert: a feature whose code is already stored replaces that record's name and geometry (a grid keeps its
 *   worker assignments; a region keeps its English name when the file has none); stored records missing from
 *   the file are left alone — an import never deletes;
 * - a `regions` import may mix regions (12 digits) and their grids (15 or legacy 14 digits), so a whole district
 *   loads from one file; a `grids` import takes grids only; a `layer` import fills one layer (created on first
 *   use), its features linked to departments by code;
 * - dry run: the same validation, nothing written.
 */
export interface ImportLimits {
  maxFileBytes: number;
  maxFeatures: number;
  maxTotalVertices: number;
  maxVerticesPerPolygon: number;
}

export const defaultImportLimits: ImportLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxFeatures: 20_000,
  maxTotalVertices: 2_000_000,
  maxVerticesPerPolygon: 20_000,
};

export type ImportSource = { format: 'geojson'; data: unknown } | { format: 'file'; bytes: Uint8Array };

/** Findings listed in a report at most (the counts stay exact). */
const MAX_LISTED = 1000;
/** A job not finished and not heard of for this long is reported as interrupted. */
const STALE_MS = 10 * 60_000;
/** Finished jobs are forgotten after this many days (pruned when a job starts). */
const KEEP_DAYS = 7;
/** While writing, progress is stored when this much time or this share of the write phase passed since the last. */
const PROGRESS_INTERVAL_MS = 250;
const PROGRESS_SHARE = 0.1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A running job: its view as this process changes it, and how it reaches the `import_job` row. */
interface Tracker {
  view: ImportJobView;
  /** Stores the whole view, after any earlier write of this job. Never rejects (see `track`). */
  save(): Promise<void>;
  /** Sets the progress of the write phase (`share` 0..1) and stores it, throttled and without waiting. */
  writing(share: number): void;
}

export function createSpatialImportService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
  limits?: Partial<ImportLimits>;
}) {
  const { db, clock, ids, audit } = deps;
  const limits = { ...defaultImportLimits, ...deps.limits };
  /** Jobs running in this process: alive whatever their row's age says. A liveness hint only; state is in the row. */
  const running = new Set<string>();

  /**
   * Writes go one after another per job, so a slow one cannot land after a later one. They are best effort: a lost
   * progress write is overtaken by the next, a lost final write shows as `interrupted` after STALE_MS.
   */
  function track(view: ImportJobView): Tracker {
    let chain: Promise<void> = Promise.resolve();
    let lastAt = clock.now().getTime();
    let lastShare = 0;
    const enqueue = (write: () => Promise<void>): Promise<void> =>
      (chain = chain.then(write).catch(() => undefined));
    return {
      view,
      save() {
        const status = view.status;
        const json = JSON.stringify(view);
        const at = clock.now();
        lastAt = at.getTime();
        return enqueue(() => importJobRepository.update(db, view.id, { status, view: json, updatedAt: at }));
      },
      writing(share) {
        view.progress = 0.5 + 0.45 * share;
        const at = clock.now();
        if (at.getTime() - lastAt < PROGRESS_INTERVAL_MS && share - lastShare < PROGRESS_SHARE) return;
        lastAt = at.getTime();
        lastShare = share;
        const progress = view.progress;
        // Not awaited: this runs inside the write transaction, and on PGlite (one connection) the row can only be
        // written after it commits; on PostgreSQL it is written at once over another pooled connection.
        void enqueue(() => importJobRepository.updateProgress(db, view.id, progress, at));
      },
    };
  }

  async function parse(source: ImportSource): Promise<unknown[]> {
    let data: unknown;
    if (source.format === 'geojson') data = source.data;
    else {
      const b = source.bytes;
      if (b.length > limits.maxFileBytes) throw fileProblem('too_large', 'spatial.file_too_large');
      if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
        data = (await readZippedShapefile(b)).data;
      } else {
        const text = new TextDecoder('utf-8', { fatal: false }).decode(b).replace(/^\uFEFF/, '');
        if (!/^\s*\{/.test(text)) throw fileProblem('unsupported_type', 'spatial.unsupported_type');
        try {
          data = JSON.parse(text);
        } catch {
          throw fileProblem('malformed_json', 'spatial.malformed_json');
        }
      }
    }
    const features = featuresOf(data);
    if (!features) throw fileProblem('not_feature_collection', 'spatial.not_feature_collection');
    if (features.length === 0) throw fileProblem('empty', 'spatial.empty');
    if (features.length > limits.maxFeatures) {
      throw fileProblem('too_many_features', 'spatial.too_many_features', { max: limits.maxFeatures });
    }
    let vertices = 0;
    for (const f of features)
      vertices += countPositions((f as { geometry?: { coordinates?: unknown } })?.geometry?.coordinates);
    if (vertices > limits.maxTotalVertices) {
      throw fileProblem('too_many_vertices', 'spatial.too_many_vertices', { max: limits.maxTotalVertices });
    }
    return features;
  }

  async function loadContext(
    actor: Actor,
    opts: ImportOptions,
    features: ImportFeature[],
  ): Promise<ValidationContext> {
    const parents = new Set<string>();
    const communities = new Set<string>();
    for (const f of features) {
      if (!f.code) continue;
      const grid = opts.kind === 'layer' ? null : normalizeGridCode(f.code);
      if (grid) {
        communities.add(grid.code.slice(0, 12));
        parents.add(grid.code.slice(0, 12));
      } else if (opts.kind === 'layer') {
        if (f.parentCode && levelOfCode(f.parentCode)) parents.add(f.parentCode);
      } else {
        const p = levelOfCode(f.code) ? parentCodeOf(f.code) : null;
        if (p) parents.add(p);
      }
    }
    const regions = new Map<string, StoredRegion>();
    const rows = [
      ...(await spatialRepository.regionsByCodes(db, [...parents])),
      ...(opts.kind === 'layer' ? [] : await spatialRepository.regionsByParents(db, [...parents])),
    ];
    for (const r of rows) {
      regions.set(r.code, {
        level: r.level,
        parentCode: r.parent_code,
        geometry: (r.geometry as Geometry | null) ?? null,
      });
    }
    const grids = new Map<string, { communityCode: string; geometry: Geometry }>();
    for (const g of await spatialRepository.gridsOfCommunities(db, [...communities])) {
      grids.set(g.code, { communityCode: g.community_code, geometry: g.geometry as Geometry });
    }
    const deptCodes = [...new Set(features.map((f) => f.department).filter((d): d is string => !!d))];
    const departmentCodes = new Set(
      (await spatialRepository.departmentsByCodes(db, deptCodes)).map((d) => d.code),
    );
    const p = actor.principal;
    return {
      regions,
      grids,
      departmentCodes,
      inScope: (code) => (code === '' ? isGlobal(p) : canSeeRegion(p, code)),
    };
  }

  async function write(actor: Actor, opts: ImportOptions, valid: ValidFeature[], job: Tracker) {
    const now = clock.now();
    const box = (g: Geometry) => {
      const [min_lng, min_lat, max_lng, max_lat] = bboxOf(g);
      return { min_lng, min_lat, max_lng, max_lat };
    };
    const rank = (l: RegionLevel | null) => regionLevels.indexOf(l ?? 'community');
    const regions = valid.filter((f) => f.type === 'region').sort((a, b) => rank(a.level) - rank(b.level));
    const grids = valid.filter((f) => f.type === 'grid');
    const layerFeatures = valid.filter((f) => f.type === 'layer_feature');
    const total = Math.max(1, valid.length);
    let done = 0;
    const step = async <T>(rows: T[], fn: (chunk: T[]) => Promise<void>) => {
      for (let i = 0; i < rows.length; i += 400) {
        const chunk = rows.slice(i, i + 400);
        await fn(chunk);
        done += chunk.length;
        job.writing(done / total);
      }
    };
    return db.transaction().execute(async (trx) => {
      const existing =
        (
          await spatialRepository.existingCodes(
            trx,
            'region',
            regions.map((r) => r.code),
          )
        ).size +
        (
          await spatialRepository.existingCodes(
            trx,
            'grid',
            grids.map((r) => r.code),
          )
        ).size;
      await step(regions, (chunk) =>
        spatialRepository.upsertRegions(
          trx,
          chunk.map((f): Insertable<RegionTable> => ({
            code: f.code,
            name: f.name,
            name_en: f.nameEn,
            level: f.level!,
            parent_code: f.parentCode,
            geometry: JSON.stringify(f.geometry),
            ...box(f.geometry),
            created_at: now,
            updated_at: now,
          })),
        ),
      );
      await step(grids, (chunk) =>
        spatialRepository.upsertGrids(
          trx,
          chunk.map((f): Insertable<GridTable> => ({
            code: f.code,
            community_code: f.parentCode!,
            name: f.name,
            geometry: JSON.stringify(f.geometry),
            area_m2: f.areaM2,
            ...box(f.geometry),
            legacy_code: f.legacyCode,
            created_at: now,
          })),
        ),
      );
      let layerId: string | null = null;
      if (opts.kind === 'layer') layerId = await writeLayer(trx, opts, layerFeatures, now, step);
      const counts = { ...job.view.report!.counts, inserted: valid.length - existing, updated: existing };
      if (opts.kind === 'layer') counts.inserted = layerFeatures.length;
      if (opts.kind === 'layer') counts.updated = 0;
      job.view.report = { ...job.view.report!, counts };
      await audit.record(trx, actor, {
        action: 'spatial.import',
        targetType: opts.kind === 'layer' ? 'layer' : 'region',
        targetId: layerId ?? topCode(valid),
        details: {
          kind: opts.kind,
          crs: opts.crs,
          fileName: opts.fileName ?? null,
          jobId: job.view.id,
          counts,
        },
      });
      await spatialRepository.bumpVersion(trx, now);
    });
  }

  async function writeLayer(
    trx: Executor,
    opts: ImportOptions,
    features: ValidFeature[],
    now: Date,
    step: <T>(rows: T[], fn: (chunk: T[]) => Promise<void>) => Promise<void>,
  ): Promise<string> {
    const code = opts.layerCode!;
    let layer = await spatialRepository.findLayerByCode(trx, code);
    if (!layer) {
      await spatialRepository.insertLayer(trx, {
        id: ids.uuid(),
        code,
        kind: opts.layerKind ?? 'other',
        name: opts.layerName ?? code,
        name_en: null,
        created_at: now,
        updated_at: now,
      });
      layer = (await spatialRepository.findLayerByCode(trx, code))!;
    } else {
      await spatialRepository.touchLayer(trx, layer.id, {
        name: opts.layerName,
        kind: opts.layerKind,
        at: now,
      });
    }
    const deps = await spatialRepository.departmentsByCodes(trx, [
      ...new Set(features.map((f) => f.department).filter((d): d is string => !!d)),
    ]);
    const depId = new Map(deps.map((d) => [d.code, d.id]));
    await step(features, (chunk) =>
      spatialRepository.upsertLayerFeatures(
        trx,
        chunk.map((f): Insertable<LayerFeatureTable> => {
          const [min_lng, min_lat, max_lng, max_lat] = f.bbox;
          return {
            id: ids.uuid(),
            layer_id: layer.id,
            code: f.code,
            name: f.name,
            region_code: f.parentCode,
            department_id: f.department ? (depId.get(f.department) ?? null) : null,
            unit_name: f.unit,
            geometry: JSON.stringify(f.geometry),
            area_m2: f.areaM2,
            min_lng,
            min_lat,
            max_lng,
            max_lat,
            created_at: now,
          };
        }),
      ),
    );
    return layer.id;
  }

  async function run(actor: Actor, opts: ImportOptions, features: ImportFeature[], tracker: Tracker) {
    const job = tracker.view;
    try {
      job.status = 'validating';
      job.progress = 0.05;
      await tracker.save();
      const ctx = await loadContext(actor, opts, features);
      job.progress = 0.15;
      await tracker.save();
      const { report, valid } = validateFeatures(opts.kind, features, ctx, {
        ...opts.tolerances,
        maxVerticesPerPolygon: limits.maxVerticesPerPolygon,
      });
      job.report = truncate(report);
      job.progress = 0.5;
      if (report.errors.length > 0) {
        finish(job, 'failed', false);
        return;
      }
      if (opts.dryRun) {
        finish(job, 'done', true);
        return;
      }
      job.status = 'writing';
      await tracker.save();
      await write(actor, opts, valid, tracker);
      finish(job, 'done', true);
    } catch (err) {
      job.error = err instanceof DomainError ? err.code : 'internal';
      finish(job, 'failed', null);
    } finally {
      await tracker.save();
      running.delete(job.id);
    }
  }

  function finish(job: ImportJobView, status: 'done' | 'failed', accepted: boolean | null) {
    job.status = status;
    job.accepted = accepted;
    job.progress = 1;
    job.finishedAt = clock.now().toISOString();
  }

  /** The stored view, or — for a job that stopped being written to while unfinished — its interruption. */
  function viewOf(row: ImportJobRow): ImportJobView {
    const view = row.view as ImportJobView;
    if (row.status === 'done' || row.status === 'failed' || running.has(row.id)) return view;
    if (clock.now().getTime() - row.updated_at.getTime() <= STALE_MS) return view;
    return {
      ...view,
      status: 'failed',
      progress: 1,
      accepted: null,
      error: 'interrupted',
      finishedAt: row.updated_at.toISOString(),
    };
  }

  return {
    limits,

    /**
     * Parses the file (4xx on bad input), stores a queued job and starts it. `done` settles when the job ends (it
     * never rejects), for callers that wait (the CLI); the HTTP API polls `get`, from any process.
     */
    async start(
      actor: Actor,
      source: ImportSource,
      opts: ImportOptions,
    ): Promise<{ jobId: string; done: Promise<ImportJobView> }> {
      requirePermission(actor.principal, 'region.manage');
      if (opts.kind === 'layer' && !isGlobal(actor.principal)) {
        throw new DomainError(
          'auth.out_of_scope',
          'layers span regions: importing one needs a system-wide scope',
        );
      }
      const raw = await parse(source);
      const features = normalizeFeatures(raw, opts.mapping, opts.crs);
      const now = clock.now();
      const view: ImportJobView = {
        id: ids.uuid(),
        status: 'queued',
        progress: 0,
        kind: opts.kind,
        dryRun: opts.dryRun,
        accepted: null,
        report: null,
        error: null,
        createdAt: now.toISOString(),
        finishedAt: null,
      };
      await importJobRepository.deleteFinishedBefore(db, new Date(now.getTime() - KEEP_DAYS * 86_400_000));
      await importJobRepository.insert(db, {
        id: view.id,
        owner_id: actor.principal.staffId,
        kind: opts.kind,
        status: 'queued',
        view: JSON.stringify(view),
        created_at: now,
        updated_at: now,
      });
      running.add(view.id);
      const tracker = track(view);
      // Let the request answer 202 first; the job runs on the event loop of this process.
      const done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(actor, opts, features, tracker))
        .then(() => ({ ...view }));
      return { jobId: view.id, done };
    },

    /** The job as stored, whichever process runs it; visible to its owner and to system-wide staff. */
    async get(actor: Actor, id: string): Promise<ImportJobView> {
      requirePermission(actor.principal, 'region.manage');
      const row = UUID.test(id) ? await importJobRepository.findById(db, id) : undefined;
      if (!row || (row.owner_id !== actor.principal.staffId && !isGlobal(actor.principal))) {
        throw new DomainError('resource.not_found', 'import job not found', { id });
      }
      return viewOf(row);
    },
  };
}

function truncate(report: Omit<ImportReport, 'truncated'>): ImportReport {
  const cut = report.errors.length > MAX_LISTED || report.warnings.length > MAX_LISTED;
  return {
    ...report,
    errors: report.errors.slice(0, MAX_LISTED),
    warnings: report.warnings.slice(0, MAX_LISTED),
    ...(cut ? { truncated: true } : {}),
  };
}

/** The shortest (highest-level) code among the written features, for the audit row's target. */
function topCode(valid: ValidFeature[]): string | null {
  let best: string | null = null;
  for (const f of valid) {
    const c = f.type === 'grid' ? f.parentCode! : f.code;
    const lvl = levelOfCode(c);
    if (!lvl) continue;
    if (!best || regionLevels.indexOf(lvl) < regionLevels.indexOf(levelOfCode(best)!)) best = c;
  }
  return best;
}

export type SpatialImportService = ReturnType<typeof createSpatialImportService>;
