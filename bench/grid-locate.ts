/**
 * grid-locate: point → cell over 100,000 irregular cells and 1,000,000 points, through the in-process polygon index
 * (src/domain/geo/polygon-index.ts), against a naive scan with @turf/boolean-point-in-polygon over the same cells
 * (given their bounding boxes, so turf can skip most of them) and, with BENCH_DATABASE_URL, a PostGIS GiST join.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { point as turfPoint } from '@turf/helpers';
import type { Polygon, Position, Ring } from '../src/domain/geo/geometry.ts';
import { buildPolygonIndex, locateBruteForce } from '../src/domain/geo/polygon-index.ts';
import type { BenchResult } from './run.ts';
import { mulberry32 } from '../src/domain/shared/prng.ts';

const COLS = 400;
const ROWS = 250;
const POINTS = 1_000_000;
const BASELINE_SAMPLE = 2_000;
const POSTGIS_SAMPLE = 20_000;
/** A city-sized extent around Beijing: cells of roughly 170 m × 270 m. */
const EXTENT = { lng0: 116.0, lat0: 39.6, lng1: 116.8, lat1: 40.2 };

/**
 * A jittered lattice partition: corners and edge midpoints are shared by neighbouring cells (shared edges and
 * vertices), midpoints are pushed sideways so many cells are concave, and every 37th cell has a hole (a pond that
 * belongs to no cell).
 */
export function generateCells(cols = COLS, rows = ROWS, seed = 0x9e3779b9): Polygon[] {
  const rand = mulberry32(seed);
  const dx = (EXTENT.lng1 - EXTENT.lng0) / cols;
  const dy = (EXTENT.lat1 - EXTENT.lat0) / rows;
  const j = (s: number) => (rand() - 0.5) * s;
  const corner: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    corner.push([]);
    for (let k = 0; k <= rows; k++) {
      const edgeX = i === 0 || i === cols;
      const edgeY = k === 0 || k === rows;
      corner[i]!.push([
        EXTENT.lng0 + i * dx + (edgeX ? 0 : j(0.5 * dx)),
        EXTENT.lat0 + k * dy + (edgeY ? 0 : j(0.5 * dy)),
      ]);
    }
  }
  const mid = (a: Position, b: Position, sx: number, sy: number): Position => [
    (a[0] + b[0]) / 2 + j(sx),
    (a[1] + b[1]) / 2 + j(sy),
  ];
  // Midpoint of the bottom edge of column i, row k (shared with the cell below) and of the left edge.
  const bottom: Position[][] = [];
  const left: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    bottom.push([]);
    left.push([]);
    for (let k = 0; k <= rows; k++) {
      const onY = k === 0 || k === rows;
      const onX = i === 0 || i === cols;
      bottom[i]!.push(
        i < cols ? mid(corner[i]![k]!, corner[i + 1]![k]!, 0.1 * dx, onY ? 0 : 0.3 * dy) : [0, 0],
      );
      left[i]!.push(
        k < rows ? mid(corner[i]![k]!, corner[i]![k + 1]!, onX ? 0 : 0.3 * dx, 0.1 * dy) : [0, 0],
      );
    }
  }
  const cells: Polygon[] = [];
  for (let k = 0; k < rows; k++) {
    for (let i = 0; i < cols; i++) {
      const outer: Ring = [
        corner[i]![k]!,
        bottom[i]![k]!,
        corner[i + 1]![k]!,
        left[i + 1]![k]!,
        corner[i + 1]![k + 1]!,
        bottom[i]![k + 1]!,
        corner[i]![k + 1]!,
        left[i]![k]!,
        corner[i]![k]!,
      ];
      const rings: Ring[] = [outer];
      if ((k * cols + i) % 37 === 0) {
        const cx = (corner[i]![k]![0] + corner[i + 1]![k + 1]![0]) / 2;
        const cy = (corner[i]![k]![1] + corner[i + 1]![k + 1]![1]) / 2;
        const hx = 0.12 * dx;
        const hy = 0.12 * dy;
        rings.push([
          [cx - hx, cy - hy],
          [cx - hx, cy + hy],
          [cx + hx, cy + hy],
          [cx + hx, cy - hy],
          [cx - hx, cy - hy],
        ]);
      }
      cells.push({ type: 'Polygon', coordinates: rings });
    }
  }
  return cells;
}

/** Uniform points over the extent plus a 2 % margin (some fall outside every cell). */
export function generatePoints(count = POINTS, seed = 0x1234567): Float64Array {
  const rand = mulberry32(seed);
  const w = EXTENT.lng1 - EXTENT.lng0;
  const h = EXTENT.lat1 - EXTENT.lat0;
  const pts = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    pts[2 * i] = EXTENT.lng0 - 0.02 * w + rand() * 1.04 * w;
    pts[2 * i + 1] = EXTENT.lat0 - 0.02 * h + rand() * 1.04 * h;
  }
  return pts;
}

export async function runGridLocate(): Promise<BenchResult> {
  const cells = generateCells();
  const pts = generatePoints();

  // Times are CPU time of this (single-threaded) process, so that other load on the machine does not count
  // against the figures; wall-clock equivalents are reported alongside.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  const index = buildPolygonIndex(cells);
  const buildMs = cpu() - c0;
  const buildWallMs = performance.now() - t0;

  // Warm-up on a slice, then the timed run over every point (one thread: this loop is all the work).
  let sink = 0;
  for (let i = 0; i < 50_000; i++) sink += index.locate(pts[2 * i]!, pts[2 * i + 1]!);
  const t1 = performance.now();
  const c1 = cpu();
  let found = 0;
  for (let i = 0; i < POINTS; i++) {
    if (index.locate(pts[2 * i]!, pts[2 * i + 1]!) >= 0) found++;
  }
  const rate = POINTS / ((cpu() - c1) / 1000);
  const wallRate = POINTS / ((performance.now() - t1) / 1000);
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  // Baseline: for each sample point, scan every cell with turf until one contains it.
  const features = cells.map((g) => {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [x, y] of g.coordinates[0]!) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    return {
      type: 'Feature' as const,
      properties: {},
      bbox: [x0, y0, x1, y1] as [number, number, number, number],
      geometry: g,
    };
  });
  const step = Math.floor(POINTS / BASELINE_SAMPLE);
  let mismatches = 0;
  const c2 = cpu();
  for (let s = 0; s < BASELINE_SAMPLE; s++) {
    const i = s * step;
    const pt = turfPoint([pts[2 * i]!, pts[2 * i + 1]!]);
    let hit = -1;
    for (let f = 0; f < features.length; f++) {
      if (booleanPointInPolygon(pt, features[f]!, { ignoreBoundary: false })) {
        hit = f;
        break;
      }
    }
    // Random points are never on an edge, so turf and the index must agree exactly.
    if (hit !== index.locate(pts[2 * i]!, pts[2 * i + 1]!)) mismatches++;
  }
  const baselineRate = BASELINE_SAMPLE / ((cpu() - c2) / 1000);

  // A spot check of the index against the brute-force reference (same boundary rule).
  let refMismatches = 0;
  for (let s = 0; s < 200; s++) {
    const i = s * 4999;
    if (
      locateBruteForce(cells, pts[2 * i]!, pts[2 * i + 1]!) !== index.locate(pts[2 * i]!, pts[2 * i + 1]!)
    ) {
      refMismatches++;
    }
  }
  if (sink === Infinity) process.stdout.write('');

  const result: BenchResult = {
    cells: cells.length,
    points: POINTS,
    rate: Math.round(rate),
    baseline_rate: Math.round(baselineRate),
    ratio: Math.round(rate / baselineRate),
    build_ms: Math.round(buildMs),
    rss_mb: Math.round(rssMb),
    wall_rate: Math.round(wallRate),
    build_wall_ms: Math.round(buildWallMs),
    buckets: index.stats.buckets,
    touched_buckets: index.stats.touchedBuckets,
    found,
    baseline_mismatches: mismatches,
    reference_mismatches: refMismatches,
  };
  const url = process.env['BENCH_DATABASE_URL'];
  if (url) Object.assign(result, await postgisBaseline(url, cells, pts, rate));
  return result;
}

async function postgisBaseline(
  url: string,
  cells: Polygon[],
  pts: Float64Array,
  rate: number,
): Promise<BenchResult> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const c = await pool.connect();
    try {
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS postgis');
      } catch (err) {
        return postgisUnavailable(err);
      }
      await c.query('DROP TABLE IF EXISTS bench_grid_locate_cell, bench_grid_locate_point');
      await c.query(
        'CREATE TABLE bench_grid_locate_cell (id int PRIMARY KEY, geom geometry(Polygon, 4326) NOT NULL)',
      );
      for (let i = 0; i < cells.length; i += 2_000) {
        const batch = cells.slice(i, i + 2_000).map((g) => JSON.stringify(g));
        await c.query(
          `INSERT INTO bench_grid_locate_cell (id, geom)
           SELECT $1::int + o - 1, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($2::text[]) WITH ORDINALITY AS t(g, o)`,
          [i, batch],
        );
      }
      await c.query('CREATE INDEX ON bench_grid_locate_cell USING gist (geom)');
      await c.query(
        'CREATE TABLE bench_grid_locate_point (id int PRIMARY KEY, geom geometry(Point, 4326) NOT NULL)',
      );
      const xs: number[] = [];
      const ys: number[] = [];
      const step = Math.floor(pts.length / 2 / POSTGIS_SAMPLE);
      for (let s = 0; s < POSTGIS_SAMPLE; s++) {
        xs.push(pts[2 * s * step]!);
        ys.push(pts[2 * s * step + 1]!);
      }
      await c.query(
        `INSERT INTO bench_grid_locate_point (id, geom)
         SELECT o, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, o)`,
        [xs, ys],
      );
      await c.query('ANALYZE bench_grid_locate_cell; ANALYZE bench_grid_locate_point');
      const join = `SELECT count(*) FROM bench_grid_locate_point p JOIN bench_grid_locate_cell c ON ST_Intersects(c.geom, p.geom)`;
      await c.query(join); // warm the cache
      const t0 = performance.now();
      await c.query(join);
      const pgRate = POSTGIS_SAMPLE / ((performance.now() - t0) / 1000);
      await c.query('DROP TABLE bench_grid_locate_cell, bench_grid_locate_point');
      return { postgis_rate: Math.round(pgRate), postgis_ratio: Math.round(rate / pgRate) };
    } finally {
      c.release();
    }
  } catch (err) {
    return postgisUnavailable(err);
  } finally {
    await pool.end();
  }
}

/** No PostGIS at that URL (or no server): say so, on the BENCH line and why on stderr, without failing the run. */
function postgisUnavailable(err: unknown): BenchResult {
  process.stderr.write(`grid-locate: PostGIS unavailable: ${(err as Error).message}\n`);
  return { postgis: 'unavailable' };
}
