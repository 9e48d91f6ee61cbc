/**
 * Structural and topological checks of one uploaded geometry: type, coordinates, vertex count, ring closure,
 * ring size, self-intersection and holes outside their shell. Self-intersection is a segment-pair test over
 * all rings of a polygon, with candidate pairs found by a sweep over segment bounding boxes (sorted by
 * minimum x), so a polygon of n segments costs about O(n log n + k) rather than O(n²).
 */
import type { Geometry, Position, Ring } from '../geo/geometry.ts';
import { pointInRing } from '../geo/point-in-polygon.ts';
import { localProjection } from '../geo/projection.ts';

export type GeometryReason =
  | 'geometry.type'
  | 'geometry.invalid_coordinates'
  | 'geometry.too_many_vertices'
  | 'geometry.unclosed_ring'
  | 'geometry.too_few_points'
  | 'geometry.self_intersection'
  | 'geometry.hole_outside';

export interface GeometryIssue {
  reason: GeometryReason;
  message: string;
}

export interface GeometryCheck {
  /** The typed geometry when it has no issue at all, else null. */
  geometry: Geometry | null;
  issues: GeometryIssue[];
}

/** Points closer than this (metres) count as touching; far below survey precision, far above float noise. */
const TOUCH_M = 1e-6;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validPosition(p: unknown): p is Position {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return false;
  const [x, y] = p as unknown[];
  return (
    typeof x === 'number' &&
    typeof y === 'number' &&
    Number.isFinite(x) &&
    Number.isFinite(y) &&
    Math.abs(x) <= 180 &&
    Math.abs(y) <= 90
  );
}

/** Consecutive duplicates (and the closing repetition) removed. */
function distinctVertices(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) {
    out.pop();
  }
  return out;
}

interface Segment {
  a: Position;
  b: Position;
  ring: number;
  i: number;
  n: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Signed distance of c from the line through a and b (metres), positive to the left. */
function side(a: Position, b: Position, c: Position): number {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / len;
}

function within(a: Position, b: Position, c: Position): boolean {
  return (
    c[0] >= Math.min(a[0], b[0]) - TOUCH_M &&
    c[0] <= Math.max(a[0], b[0]) + TOUCH_M &&
    c[1] >= Math.min(a[1], b[1]) - TOUCH_M &&
    c[1] <= Math.max(a[1], b[1]) + TOUCH_M
  );
}

type Contact = 'none' | 'cross' | 'touch' | 'overlap';

function contact(s: Segment, t: Segment): Contact {
  const d1 = side(t.a, t.b, s.a);
  const d2 = side(t.a, t.b, s.b);
  const d3 = side(s.a, s.b, t.a);
  const d4 = side(s.a, s.b, t.b);
  const z1 = Math.abs(d1) <= TOUCH_M;
  const z2 = Math.abs(d2) <= TOUCH_M;
  const z3 = Math.abs(d3) <= TOUCH_M;
  const z4 = Math.abs(d4) <= TOUCH_M;
  if (z1 && z2) {
    // Collinear: overlapping by more than a point is an overlap, sharing an end point a touch.
    const ends =
      [t.a, t.b].filter((p) => within(s.a, s.b, p)).length +
      [s.a, s.b].filter((p) => within(t.a, t.b, p)).length;
    if (ends === 0) return 'none';
    const lo = Math.max(Math.min(s.a[0], s.b[0]), Math.min(t.a[0], t.b[0]));
    const hi = Math.min(Math.max(s.a[0], s.b[0]), Math.max(t.a[0], t.b[0]));
    const loY = Math.max(Math.min(s.a[1], s.b[1]), Math.min(t.a[1], t.b[1]));
    const hiY = Math.min(Math.max(s.a[1], s.b[1]), Math.max(t.a[1], t.b[1]));
    return Math.max(hi - lo, hiY - loY) > TOUCH_M ? 'overlap' : 'touch';
  }
  if (!z1 && !z2 && !z3 && !z4)
    return Math.sign(d1) !== Math.sign(d2) && Math.sign(d3) !== Math.sign(d4) ? 'cross' : 'none';
  if (
    (z1 && within(t.a, t.b, s.a)) ||
    (z2 && within(t.a, t.b, s.b)) ||
    (z3 && within(s.a, s.b, t.a)) ||
    (z4 && within(s.a, s.b, t.b))
  ) {
    return 'touch';
  }
  return 'none';
}

/**
 * The first pair of segments of one polygon (all its rings) that intersect where they should not: anywhere
 * for two non-adjacent edges of the same ring; for edges of different rings, a crossing or a shared stretch
 * (rings may touch at single points, as OGC allows for holes).
 */
function selfIntersection(rings: Ring[]): { ring: number; i: number; j: number; ringJ: number } | null {
  const segs: Segment[] = [];
  rings.forEach((ring, r) => {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % n]!;
      segs.push({
        a,
        b,
        ring: r,
        i,
        n,
        minX: Math.min(a[0], b[0]),
        maxX: Math.max(a[0], b[0]),
        minY: Math.min(a[1], b[1]),
        maxY: Math.max(a[1], b[1]),
      });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  let active: Segment[] = [];
  for (const s of segs) {
    active = active.filter((t) => t.maxX >= s.minX - TOUCH_M);
    for (const t of active) {
      if (t.maxY < s.minY - TOUCH_M || t.minY > s.maxY + TOUCH_M) continue;
      const c = contact(s, t);
      if (c === 'none') continue;
      if (s.ring === t.ring) {
        const d = Math.abs(s.i - t.i);
        const adjacent = d === 1 || d === s.n - 1;
        // Adjacent edges share their common vertex; only folding back over each other is wrong.
        if (adjacent && c !== 'overlap') continue;
        return { ring: s.ring, i: Math.min(s.i, t.i), j: Math.max(s.i, t.i), ringJ: t.ring };
      }
      if (c === 'touch') continue;
      return { ring: t.ring, i: t.i, j: s.i, ringJ: s.ring };
    }
    active.push(s);
  }
  return null;
}

export function checkGeometry(g: unknown, maxVertices: number): GeometryCheck {
  const issues: GeometryIssue[] = [];
  if (
    !isPlainObject(g) ||
    (g.type !== 'Polygon' && g.type !== 'MultiPolygon') ||
    !Array.isArray(g.coordinates)
  ) {
    const type = isPlainObject(g) ? String(g.type) : g === null || g === undefined ? 'none' : typeof g;
    return {
      geometry: null,
      issues: [
        { reason: 'geometry.type', message: `geometry must be a Polygon or MultiPolygon (got ${type})` },
      ],
    };
  }
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (polygons.length === 0) {
    return {
      geometry: null,
      issues: [{ reason: 'geometry.too_few_points', message: 'the geometry has no polygon' }],
    };
  }
  let vertices = 0;
  for (const [pi, poly] of polygons.entries()) {
    if (!Array.isArray(poly) || poly.length === 0 || !poly.every((r) => Array.isArray(r))) {
      return {
        geometry: null,
        issues: [{ reason: 'geometry.invalid_coordinates', message: `polygon ${pi} is not a list of rings` }],
      };
    }
    for (const [ri, ring] of (poly as unknown[][]).entries()) {
      const bad = ring.findIndex((p) => !validPosition(p));
      if (bad >= 0) {
        return {
          geometry: null,
          issues: [
            {
              reason: 'geometry.invalid_coordinates',
              message: `polygon ${pi} ring ${ri} vertex ${bad}: ${JSON.stringify(ring[bad]) ?? 'undefined'} is not a longitude/latitude pair within ±180/±90`,
            },
          ],
        };
      }
      vertices += ring.length;
    }
  }
  if (vertices > maxVertices) {
    return {
      geometry: null,
      issues: [
        { reason: 'geometry.too_many_vertices', message: `${vertices} vertices (limit ${maxVertices})` },
      ],
    };
  }
  const typed = polygons as Ring[][];
  const first = typed[0]![0]![0]!;
  const proj = localProjection(first[0], first[1]);
  for (const [pi, rings] of typed.entries()) {
    let ringsOk = true;
    for (const [ri, ring] of rings.entries()) {
      const a = ring[0];
      const b = ring[ring.length - 1];
      const closed = ring.length > 1 && a![0] === b![0] && a![1] === b![1];
      if (!closed) {
        issues.push({
          reason: 'geometry.unclosed_ring',
          message: `polygon ${pi} ring ${ri}: the last position must repeat the first`,
        });
        ringsOk = false;
        continue;
      }
      if (distinctVertices(ring).length < 3) {
        issues.push({
          reason: 'geometry.too_few_points',
          message: `polygon ${pi} ring ${ri}: a ring needs at least 3 distinct vertices (4 positions)`,
        });
        ringsOk = false;
      }
    }
    if (!ringsOk) continue;
    const planar = rings.map((r) => distinctVertices(r).map((p) => proj.toXY(p)));
    const hit = selfIntersection(planar);
    if (hit) {
      const where =
        hit.ring === hit.ringJ
          ? `ring ${hit.ring} edges ${hit.i} and ${hit.j}`
          : `rings ${hit.ring} and ${hit.ringJ}`;
      issues.push({ reason: 'geometry.self_intersection', message: `polygon ${pi}: ${where} intersect` });
      continue;
    }
    const outer = planar[0]!;
    for (let h = 1; h < planar.length; h++) {
      if (!planar[h]!.some((p) => pointInRing(p, outer))) {
        issues.push({
          reason: 'geometry.hole_outside',
          message: `polygon ${pi}: hole ${h} lies outside the exterior ring`,
        });
      }
    }
  }
  return { geometry: issues.length === 0 ? (g as unknown as Geometry) : null, issues };
}
