/**
 * A static point-location index over many polygons and multipolygons (with holes), kept in flat typed arrays so
 * that a lookup allocates nothing: a uniform bucket grid over the extent (about 32 buckets per feature). A bucket
 * no edge passes through holds its answer outright (one array read per lookup); a bucket an edge crosses lists, in
 * ascending order, the features whose bounding box overlaps it, and a lookup tests only those. Each feature's
 * bounding box, ring sizes and coordinates sit in one contiguous record, so a candidate costs a cache line or two.
 *
 * Boundary rule (the same in `locate` and in the brute-force reference `locateBruteForce`):
 *   A feature contains a point p when the horizontal ray from p towards +x (east) crosses an odd number of the
 *   feature's edges, over all of its rings (outer rings and holes alike), where an edge counts when its lower end
 *   is at or below p, its upper end strictly above p (`yLow <= y < yHigh`, half-open), and p lies strictly to its
 *   left (decided by an exact orientation test, never by a rounded intersection).
 * Equivalently: p belongs to the polygon that contains the point p + (ε, ε²) for an infinitesimal ε > 0, i.e. a
 * boundary point belongs to the polygon immediately east of it, or, on an east–west edge, immediately north.
 * So a point on an edge or vertex shared by the cells of a partition lies in exactly one of them, a point on a
 * hole's boundary follows the same rule, and where features overlap the one with the lowest index wins.
 */
import { EARTH_RADIUS_M } from './area.ts';
import { haversineM } from './distance.ts';
import type { Geometry } from './geometry.ts';

export interface PolygonIndexOptions {
  /** Buckets per indexed feature (default 32); more buckets mean fewer candidates per lookup and more memory. */
  bucketsPerFeature?: number;
}

export interface NearestHit {
  index: number;
  distanceM: number;
}

export interface PolygonIndex {
  readonly size: number;
  /** Bucket counts, for tuning and the benchmark report. */
  readonly stats: { buckets: number; touchedBuckets: number; candidates: number };
  /** The index of the feature containing the point by the boundary rule above (lowest index wins), or -1. */
  locate(lng: number, lat: number): number;
  /**
   * The nearest feature (distance to its boundary in metres, 0 when the point is inside), restricted to features
   * `accept` allows; null when there is none.
   */
  nearest(lng: number, lat: number, accept?: (index: number) => boolean): NearestHit | null;
}

const EPSILON = 2 ** -53;
/** Shewchuk's error bound for the floating-point orientation determinant. */
const CCW_ERR_BOUND = (3 + 16 * EPSILON) * EPSILON;
const DEG = Math.PI / 180;

/** Record layout in `rec`: feature index, bbox (4), ring count, each ring's vertex count, then x, y pairs. */
const HEADER = 6;

export function buildPolygonIndex(
  geometries: readonly (Geometry | null)[],
  options: PolygonIndexOptions = {},
): PolygonIndex {
  const n = geometries.length;
  // Pass 1: sizes, so that every array is allocated once.
  let size = 0;
  for (const g of geometries) {
    if (!g) continue;
    let vertices = 0;
    let rings = 0;
    for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const ring of polygon) {
        rings++;
        vertices += ring.length;
      }
    }
    if (vertices > 0) size += HEADER + rings + 2 * vertices;
  }
  // One contiguous record per feature, so that testing a candidate touches one or two cache lines.
  const rec = new Float64Array(size);
  const recOf = new Int32Array(n).fill(-1);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let o = 0;
  for (let f = 0; f < n; f++) {
    const g = geometries[f];
    if (!g) continue;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    let ringCount = 0;
    for (const polygon of polygons) ringCount += polygon.length;
    let k = o + HEADER + ringCount;
    let r = o + HEADER;
    let fx0 = Infinity;
    let fy0 = Infinity;
    let fx1 = -Infinity;
    let fy1 = -Infinity;
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let len = ring.length;
        // The closing repetition is a zero-length edge, which never counts: drop it.
        if (len > 1 && ring[0]![0] === ring[len - 1]![0] && ring[0]![1] === ring[len - 1]![1]) len--;
        rec[r++] = len;
        for (let i = 0; i < len; i++) {
          const p = ring[i]!;
          const x = p[0];
          const y = p[1];
          rec[k++] = x;
          rec[k++] = y;
          if (x < fx0) fx0 = x;
          if (x > fx1) fx1 = x;
          if (y < fy0) fy0 = y;
          if (y > fy1) fy1 = y;
        }
      }
    }
    if (!(fx0 <= fx1)) continue;
    recOf[f] = o;
    rec[o] = f;
    rec[o + 1] = fx0;
    rec[o + 2] = fy0;
    rec[o + 3] = fx1;
    rec[o + 4] = fy1;
    rec[o + 5] = ringCount;
    o = k;
    if (fx0 < minX) minX = fx0;
    if (fy0 < minY) minY = fy0;
    if (fx1 > maxX) maxX = fx1;
    if (fy1 > maxY) maxY = fy1;
  }
  const used = o;

  function contains(o: number, x: number, y: number): boolean {
    const ringCount = rec[o + 5]!;
    let k = o + HEADER + ringCount;
    let inside = false;
    for (let r = 0; r < ringCount; r++) {
      const end = k + 2 * rec[o + HEADER + r]!;
      if (end - k < 4) {
        k = end;
        continue;
      }
      let jx = rec[end - 2]!;
      let jy = rec[end - 1]!;
      for (; k < end; k += 2) {
        const ix = rec[k]!;
        const iy = rec[k + 1]!;
        if (iy > y !== jy > y) {
          // Exact shortcuts first: p strictly west of both ends is left of the edge, p at or east of both is not.
          if (x < ix && x < jx) inside = !inside;
          else if (x < ix || x < jx) {
            if (iy < jy ? leftOf(ix, iy, jx, jy, x, y) : leftOf(jx, jy, ix, iy, x, y)) inside = !inside;
          }
        }
        jx = ix;
        jy = iy;
      }
    }
    return inside;
  }

  // Bucket grid: about `bucketsPerFeature` buckets per feature, shaped like the extent.
  const empty = !(minX <= maxX);
  const w = empty ? 1 : Math.max(maxX - minX, 1e-12);
  const h = empty ? 1 : Math.max(maxY - minY, 1e-12);
  const target = Math.min(Math.max(1, Math.round(n * (options.bucketsPerFeature ?? 32))), 1 << 23);
  const nx = Math.max(1, Math.min(1 << 14, Math.round(Math.sqrt((target * w) / h))));
  const ny = Math.max(1, Math.min(1 << 14, Math.round(target / nx)));
  const nb = nx * ny;
  const sx = nx / w;
  const sy = ny / h;
  const colOf = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) * sx)));
  const rowOf = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) * sy)));

  // A bucket no edge touches is a rectangle wholly inside the same features (the bucket mapping is monotonic, so
  // every bucket an edge's points fall into lies in the range of its end points' buckets): its answer is stored
  // in `cell` once. A touched bucket keeps a candidate list, tested point by point.
  // cell[b] >= 0: that feature; -1: no feature; <= -2: touched, its list starts at items[-(cell[b] + 2)].
  const TOUCHED = -2;
  // Far above the rounding of the bucket mapping and of the interpolation (~1e-16 of the coordinates).
  const slackX = Math.max(1e-6 / sx, 1e-12 * (Math.abs(minX) + Math.abs(maxX) + 1));
  const slackY = Math.max(1e-6 / sy, 1e-12 * (Math.abs(minY) + Math.abs(maxY) + 1));
  const cell = new Int32Array(nb).fill(-1);
  for (let f = 0; f < n; f++) {
    const fo = recOf[f]!;
    if (fo < 0) continue;
    const ringCount = rec[fo + 5]!;
    let k = fo + HEADER + ringCount;
    for (let r = 0; r < ringCount; r++) {
      const start = k;
      const end = k + 2 * rec[fo + HEADER + r]!;
      for (; k < end; k += 2) {
        const k2 = k + 2 < end ? k + 2 : start;
        const ax = rec[k]!;
        const ay = rec[k + 1]!;
        const bx = rec[k2]!;
        const by = rec[k2 + 1]!;
        const c0 = colOf(ax < bx ? ax : bx);
        const c1 = colOf(ax < bx ? bx : ax);
        const r0 = rowOf(ay < by ? ay : by);
        const r1 = rowOf(ay < by ? by : ay);
        if (r0 === r1 || c0 === c1) {
          for (let row = r0; row <= r1; row++) cell.fill(TOUCHED, row * nx + c0, row * nx + c1 + 1);
          continue;
        }
        // A slanted edge: per row, only the columns its stretch in that row (widened by `slackX`) can reach.
        const y0 = ay < by ? ay : by;
        const y1 = ay < by ? by : ay;
        for (let row = r0; row <= r1; row++) {
          const ylo = Math.max(y0, minY + row / sy - slackY);
          const yhi = Math.min(y1, minY + (row + 1) / sy + slackY);
          const xa = ax + (bx - ax) * ((ylo - ay) / (by - ay));
          const xb = ax + (bx - ax) * ((yhi - ay) / (by - ay));
          const lo = Math.max(c0, colOf((xa < xb ? xa : xb) - slackX));
          const hi = Math.min(c1, colOf((xa < xb ? xb : xa) + slackX));
          cell.fill(TOUCHED, row * nx + lo, row * nx + hi + 1);
        }
      }
    }
  }
  // Where rounding would put a bucket's centre into a neighbour (only for absurdly small buckets), scan instead.
  for (let c = 0; c < nx; c++) {
    if (colOf(minX + (c + 0.5) / sx) !== c) for (let r = 0; r < ny; r++) cell[r * nx + c] = TOUCHED;
  }
  for (let r = 0; r < ny; r++)
    if (rowOf(minY + (r + 0.5) / sy) !== r) cell.fill(TOUCHED, r * nx, (r + 1) * nx);

  // Features in ascending order: each list is ascending and an untouched bucket's feature is the lowest index.
  // Along a row, a run of untouched buckets is one edge-free rectangle: one centre test decides the whole run.
  const count = new Int32Array(nb);
  for (let f = 0; f < n; f++) {
    const fo = recOf[f]!;
    if (fo < 0) continue;
    const c0 = colOf(rec[fo + 1]!);
    const c1 = colOf(rec[fo + 3]!);
    const r0 = rowOf(rec[fo + 2]!);
    const r1 = rowOf(rec[fo + 4]!);
    for (let row = r0; row <= r1; row++) {
      let runInside = false;
      let inRun = false;
      for (let c = c0; c <= c1; c++) {
        const b = row * nx + c;
        const v = cell[b]!;
        if (v === TOUCHED) {
          count[b]!++;
          inRun = false;
          continue;
        }
        if (!inRun) {
          inRun = true;
          runInside = contains(fo, minX + (c + 0.5) / sx, minY + (row + 0.5) / sy);
        }
        if (runInside && v === -1) cell[b] = f;
      }
    }
  }
  let total = 0;
  let touchedBuckets = 0;
  for (let b = 0; b < nb; b++) {
    if (cell[b] !== TOUCHED) continue;
    touchedBuckets++;
    cell[b] = -(total + 2);
    total += 1 + count[b]!;
  }
  const items = new Int32Array(total);
  for (let f = 0; f < n; f++) {
    const fo = recOf[f]!;
    if (fo < 0) continue;
    const c0 = colOf(rec[fo + 1]!);
    const c1 = colOf(rec[fo + 3]!);
    const r0 = rowOf(rec[fo + 2]!);
    const r1 = rowOf(rec[fo + 4]!);
    for (let row = r0; row <= r1; row++) {
      for (let c = c0; c <= c1; c++) {
        const v = cell[row * nx + c]!;
        if (v > -2) continue;
        const s = -(v + 2);
        items[s + 1 + items[s]!++] = fo;
      }
    }
  }

  function locate(x: number, y: number): number {
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) return -1;
    const v =
      cell[
        Math.min(ny - 1, Math.floor((y - minY) * sy)) * nx + Math.min(nx - 1, Math.floor((x - minX) * sx))
      ]!;
    if (v > -2) return v;
    const s = -(v + 2);
    for (let i = s + 1, end = s + 1 + items[s]!; i < end; i++) {
      const fo = items[i]!;
      if (x < rec[fo + 1]! || y < rec[fo + 2]! || x > rec[fo + 3]! || y > rec[fo + 4]!) continue;
      if (contains(fo, x, y)) return rec[fo]!;
    }
    return -1;
  }

  function nearest(lng: number, lat: number, accept?: (index: number) => boolean): NearestHit | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    const hit = locate(lng, lat);
    if (hit >= 0 && (!accept || accept(hit))) return { index: hit, distanceM: 0 };
    // Local metric frame at the query point; bounding boxes give lower bounds that prune most features.
    const kx = Math.cos(lat * DEG) * DEG * EARTH_RADIUS_M;
    const ky = DEG * EARTH_RADIUS_M;
    let best = -1;
    let bestD2 = Infinity;
    let bestLng = 0;
    let bestLat = 0;
    for (let fo = 0; fo < used;) {
      const ringCount = rec[fo + 5]!;
      let k = fo + HEADER + ringCount;
      let next = k;
      for (let r = 0; r < ringCount; r++) next += 2 * rec[fo + HEADER + r]!;
      const f = rec[fo]!;
      const x0 = rec[fo + 1]!;
      const y0 = rec[fo + 2]!;
      const x1 = rec[fo + 3]!;
      const y1 = rec[fo + 4]!;
      const dx = lng < x0 ? x0 - lng : lng > x1 ? lng - x1 : 0;
      const dy = lat < y0 ? y0 - lat : lat > y1 ? lat - y1 : 0;
      if ((dx * kx) ** 2 + (dy * ky) ** 2 < bestD2 && (!accept || accept(f))) {
        if (contains(fo, lng, lat)) return { index: f, distanceM: 0 };
        for (let r = 0; r < ringCount; r++) {
          const start = k;
          const end = k + 2 * rec[fo + HEADER + r]!;
          for (; k < end; k += 2) {
            const k2 = k + 2 < end ? k + 2 : start;
            const ax = (rec[k]! - lng) * kx;
            const ay = (rec[k + 1]! - lat) * ky;
            const ex = (rec[k2]! - lng) * kx - ax;
            const ey = (rec[k2 + 1]! - lat) * ky - ay;
            const len2 = ex * ex + ey * ey;
            const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * ex + ay * ey) / len2));
            const qx = ax + t * ex;
            const qy = ay + t * ey;
            const d2 = qx * qx + qy * qy;
            if (d2 < bestD2) {
              bestD2 = d2;
              best = f;
              bestLng = lng + qx / kx;
              bestLat = lat + qy / ky;
            }
          }
        }
      }
      fo = next;
    }
    if (best < 0) return null;
    return { index: best, distanceM: haversineM(lng, lat, bestLng, bestLat) };
  }

  return {
    size: n,
    stats: { buckets: nb, touchedBuckets, candidates: total - touchedBuckets },
    locate,
    nearest,
  };
}

/**
 * The reference for the property tests: the same rule as `locate`, by a plain loop over every feature, ring and
 * edge of the GeoJSON, with the exact orientation test on every edge.
 */
export function locateBruteForce(geometries: readonly (Geometry | null)[], lng: number, lat: number): number {
  for (let f = 0; f < geometries.length; f++) {
    const g = geometries[f];
    if (!g) continue;
    let crossings = 0;
    for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const ring of rings) {
        for (let i = 0; i < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[(i + 1) % ring.length]!;
          const [lo, hi] = a[1] <= b[1] ? [a, b] : [b, a];
          if (lo[1] <= lat && lat < hi[1] && orientSignExact(lo[0], lo[1], hi[0], hi[1], lng, lat) > 0) {
            crossings++;
          }
        }
      }
    }
    if (crossings % 2 === 1) return f;
  }
  return -1;
}

/** Whether p is strictly left of the upward edge a→b (ay < by): the floating-point filter, exact when unsure. */
function leftOf(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  const detLeft = (ax - px) * (by - py);
  const detRight = (ay - py) * (bx - px);
  const det = detLeft - detRight;
  const bound = CCW_ERR_BOUND * (Math.abs(detLeft) + Math.abs(detRight));
  if (det > bound) return true;
  if (-det > bound) return false;
  return orientSignExact(ax, ay, bx, by, px, py) > 0;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A finite double as mantissa × 2^exponent, both exact. */
function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const bits = u64[0]!;
  const expField = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  if (expField !== 0) m |= 1n << 52n;
  const sign = bits >> 63n === 1n ? -1n : 1n;
  return [sign * m, (expField === 0 ? 1 : expField) - 1075];
}

/** The exact sign of the orientation of (a, b, p): positive when p is left of a→b (counter-clockwise). */
export function orientSignExact(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  px: number,
  py: number,
): number {
  const parts = [ax, ay, bx, by, px, py].map(decompose);
  const e0 = Math.min(...parts.map((p) => p[1]));
  const [AX, AY, BX, BY, PX, PY] = parts.map(([m, e]) => m << BigInt(e - e0)) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const det = (AX - PX) * (BY - PY) - (AY - PY) * (BX - PX);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}
