/**
 * Generates unit grids (单元网格) for a community boundary: a lattice of square cells of `sizeM` metres, or of
 * pointy-top hexagons of the same area (S², so "100 m" means about 10,000 m² either way, the 万米单元网格), laid
 * out in a local metric projection from the boundary's north-west corner and clipped to the boundary with
 * polygon intersection, so concave boundaries and boundaries with holes work. A cell the boundary cuts into
 * several parts gives several pieces. Pieces smaller than `sliverRatio` × the cell area are merged (union) into
 * the neighbouring piece sharing the longest edge with them, smallest first; a sliver with no edge-sharing
 * neighbour stays a grid of its own. The pieces are then numbered west→east within rows, rows north→south (by
 * the row of each piece's centroid), giving the 15-digit codes community + 001…999.
 */
import { geometryAreaM2 } from '../geo/area.ts';
import { bboxOf, type Geometry } from '../geo/geometry.ts';
import { localProjection } from '../geo/projection.ts';
import { gridCode } from '../region/region-code.ts';
import { DomainError } from '../shared/domain-error.ts';
import { boxesOverlap, fromPlanar, planarArea, planarBBox, toPlanar } from './planar.ts';
import { intersect, unite, type MultiPoly, type PlanarRing } from './polyclip.ts';

export const gridShapes = ['square', 'hexagon'] as const;
export type GridShape = (typeof gridShapes)[number];

export interface GridGenerationOptions {
  shape: GridShape;
  sizeM: number;
  /** Pieces below this fraction of a full cell's area are merged into a neighbour (0 disables merging). */
  sliverRatio: number;
}

export const defaultGridGeneration: GridGenerationOptions = {
  shape: 'square',
  sizeM: 100,
  sliverRatio: 0.25,
};
export const GRID_SIZE_LIMITS = { min: 10, max: 2000 } as const;
const MAX_SEQUENCE = 999;

export interface GeneratedGrid {
  code: string;
  sequence: number;
  geometry: Geometry;
  areaM2: number;
}

interface Piece {
  mp: MultiPoly;
  area: number;
}

/**
 * Neighbouring cells must share bit-identical vertices, or the boolean operations meet near-coincident points
 * they cannot order (polyclip-ts then fails to close a ring): vertices are snapped to 0.1 mm.
 */
function snap(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

function squareCells(box: [number, number, number, number], s: number): PlanarRing[] {
  const [x0, y0, x1, y1] = box;
  const cells: PlanarRing[] = [];
  for (let top = y1; top > y0; top -= s) {
    for (let left = x0; left < x1; left += s) {
      cells.push([
        [left, top - s],
        [left + s, top - s],
        [left + s, top],
        [left, top],
        [left, top - s],
      ]);
    }
  }
  return cells;
}

/** Pointy-top hexagons of area s²: side a with 3√3/2·a² = s². */
function hexCells(box: [number, number, number, number], s: number): PlanarRing[] {
  const [x0, y0, x1, y1] = box;
  const a = s * Math.sqrt(2 / (3 * Math.sqrt(3)));
  const w = Math.sqrt(3) * a;
  const rowH = 1.5 * a;
  const cells: PlanarRing[] = [];
  for (let r = 0; y1 - r * rowH > y0 - a; r++) {
    const cy = y1 - r * rowH;
    for (let cx = x0 + (r % 2 === 1 ? w / 2 : 0) - w; cx < x1 + w; cx += w) {
      const ring: PlanarRing = [];
      for (let k = 0; k < 6; k++) {
        const t = ((30 + 60 * k) * Math.PI) / 180;
        ring.push([snap(cx + a * Math.cos(t)), snap(cy + a * Math.sin(t))]);
      }
      ring.push(ring[0]!);
      cells.push(ring);
    }
  }
  return cells;
}

function centroid(mp: MultiPoly): [number, number] {
  let sx = 0;
  let sy = 0;
  let sa = 0;
  for (const poly of mp) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i]!;
        const [x1, y1] = ring[i + 1]!;
        const c = x0 * y1 - x1 * y0;
        sx += (x0 + x1) * c;
        sy += (y0 + y1) * c;
        sa += c;
      }
    }
  }
  if (Math.abs(sa) < 1e-12) {
    const p = mp[0]![0]![0]!;
    return [p[0], p[1]];
  }
  return [sx / (3 * sa), sy / (3 * sa)];
}

/** Total length along which the boundaries of two pieces run together. */
function sharedEdgeLength(p: MultiPoly, q: MultiPoly, tol: number): number {
  let total = 0;
  for (const pr of p.flat()) {
    for (let i = 0; i + 1 < pr.length; i++) {
      const a = pr[i]!;
      const b = pr[i + 1]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len < tol) continue;
      const ux = (b[0] - a[0]) / len;
      const uy = (b[1] - a[1]) / len;
      for (const qr of q.flat()) {
        for (let j = 0; j + 1 < qr.length; j++) {
          const c = qr[j]!;
          const d = qr[j + 1]!;
          const dc = (c[0] - a[0]) * uy - (c[1] - a[1]) * ux;
          const dd = (d[0] - a[0]) * uy - (d[1] - a[1]) * ux;
          if (Math.abs(dc) > tol || Math.abs(dd) > tol) continue;
          const tc = (c[0] - a[0]) * ux + (c[1] - a[1]) * uy;
          const td = (d[0] - a[0]) * ux + (d[1] - a[1]) * uy;
          const lo = Math.max(0, Math.min(tc, td));
          const hi = Math.min(len, Math.max(tc, td));
          if (hi > lo) total += hi - lo;
        }
      }
    }
  }
  return total;
}

function mergeSlivers(pieces: Piece[], threshold: number, tol: number): Piece[] {
  const live = pieces.slice();
  const stuck = new Set<Piece>();
  for (;;) {
    let sliver: Piece | undefined;
    for (const p of live)
      if (p.area < threshold && !stuck.has(p) && (!sliver || p.area < sliver.area)) sliver = p;
    if (!sliver) return live;
    const box = planarBBox(sliver.mp);
    let best: Piece | undefined;
    let bestLen = 0;
    for (const q of live) {
      if (q === sliver || !boxesOverlap(box, planarBBox(q.mp), tol)) continue;
      const len = sharedEdgeLength(sliver.mp, q.mp, tol);
      if (len > bestLen) {
        best = q;
        bestLen = len;
      }
    }
    if (!best) {
      stuck.add(sliver);
      continue;
    }
    best.mp = unite(best.mp, sliver.mp);
    best.area = planarArea(best.mp);
    live.splice(live.indexOf(sliver), 1);
  }
}

export function validateGridOptions(opts: GridGenerationOptions): void {
  const issues = [];
  if (!(opts.sizeM >= GRID_SIZE_LIMITS.min && opts.sizeM <= GRID_SIZE_LIMITS.max)) {
    issues.push({ field: 'body.sizeM', reason: 'out_of_range', message: 'spatial.grid_size' });
  }
  if (!(opts.sliverRatio >= 0 && opts.sliverRatio < 1)) {
    issues.push({ field: 'body.sliverRatio', reason: 'out_of_range', message: 'spatial.sliver_ratio' });
  }
  if (issues.length)
    throw new DomainError(
      'validation.failed',
      'bad grid generation options',
      { ...GRID_SIZE_LIMITS },
      issues,
    );
}

/** Unit grids covering `boundary` (WGS-84) exactly, coded under `communityCode`. */
export function generateGrids(
  communityCode: string,
  boundary: Geometry,
  options: Partial<GridGenerationOptions> = {},
): GeneratedGrid[] {
  const opts = { ...defaultGridGeneration, ...options };
  validateGridOptions(opts);
  const [minLng, minLat, maxLng, maxLat] = bboxOf(boundary);
  const proj = localProjection((minLng + maxLng) / 2, (minLat + maxLat) / 2);
  const shape = toPlanar(boundary, proj);
  const box = planarBBox(shape);
  const s = opts.sizeM;
  const cellArea = s * s;
  const estimate = ((box[2] - box[0]) * (box[3] - box[1])) / cellArea;
  if (estimate > 20 * MAX_SEQUENCE) throw tooMany(communityCode, Math.round(estimate));

  const cells = opts.shape === 'square' ? squareCells(box, s) : hexCells(box, s);
  const pieces: Piece[] = [];
  for (const cell of cells) {
    const cellBox: [number, number, number, number] = planarBBox([[cell]]);
    if (!boxesOverlap(cellBox, box)) continue;
    for (const poly of intersect([[cell]], shape)) {
      const mp = [poly];
      const area = planarArea(mp);
      if (area > 1e-6) pieces.push({ mp, area });
    }
  }
  const merged = opts.sliverRatio > 0 ? mergeSlivers(pieces, opts.sliverRatio * cellArea, 1e-6 * s) : pieces;
  if (merged.length > MAX_SEQUENCE) throw tooMany(communityCode, merged.length);

  const rowPitch = opts.shape === 'square' ? s : 1.5 * s * Math.sqrt(2 / (3 * Math.sqrt(3)));
  const keyed = merged.map((p) => {
    const [cx, cy] = centroid(p.mp);
    const rel = (box[3] - cy) / rowPitch;
    return { p, cx, row: opts.shape === 'square' ? Math.floor(rel) : Math.round(rel) };
  });
  keyed.sort((a, b) => a.row - b.row || a.cx - b.cx);
  return keyed.map(({ p }, i) => {
    const geometry = fromPlanar(p.mp, proj);
    return {
      code: gridCode(communityCode, i + 1),
      sequence: i + 1,
      geometry,
      areaM2: geometryAreaM2(geometry),
    };
  });
}

function tooMany(communityCode: string, n: number): DomainError {
  return new DomainError(
    'validation.failed',
    `about ${n} grids for ${communityCode}: the limit is ${MAX_SEQUENCE}`,
    { count: n, max: MAX_SEQUENCE },
    [{ field: 'body.sizeM', reason: 'too_many_grids', message: 'spatial.too_many_grids' }],
  );
}
