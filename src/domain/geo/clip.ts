import { bboxOfRing, closeRing, openRing, planarSignedArea } from './geometry.ts';
import type { Position, Ring } from './geometry.ts';

/** Relative tolerance: results are judged against the size of the inputs, so any unit (degrees, metres) works. */
const REL_EPS = 1e-12;

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function scaleOf(...rings: Ring[]): number {
  let s = 0;
  for (const r of rings) {
    if (r.length === 0) continue;
    const [x0, y0, x1, y1] = bboxOfRing(r);
    s = Math.max(s, x1 - x0, y1 - y0, Math.abs(x0), Math.abs(y0), Math.abs(x1), Math.abs(y1));
  }
  return s || 1;
}

/** Distinct vertices with consecutive (near-)duplicates removed, including a wrap-around duplicate. */
function dedupe(pts: Ring, tol: number): Ring {
  const out: Ring = [];
  for (const p of pts) {
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > tol || Math.abs(last[1] - p[1]) > tol) out.push(p);
  }
  while (out.length > 1) {
    const a = out[0]!;
    const b = out[out.length - 1]!;
    if (Math.abs(a[0] - b[0]) > tol || Math.abs(a[1] - b[1]) > tol) break;
    out.pop();
  }
  return out;
}

/**
 * True when the ring is a convex polygon with non-zero area (either orientation). Collinear vertices are
 * allowed, because lattice boundaries keep every shared vertex; a self-intersecting star is rejected by
 * requiring the turning angles to add up to exactly one turn.
 */
export function isConvex(ring: Ring): boolean {
  const tol = REL_EPS * scaleOf(ring);
  const pts = dedupe(openRing(ring), tol);
  if (pts.length < 3) return false;
  const area = planarSignedArea(pts);
  if (Math.abs(area) <= tol * tol) return false;
  const sign = Math.sign(area);
  let turning = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[(i + pts.length - 1) % pts.length]!;
    const b = pts[i]!;
    const c = pts[(i + 1) % pts.length]!;
    const z = cross(a, b, c);
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) * Math.hypot(c[0] - b[0], c[1] - b[1]);
    if (z * sign < -REL_EPS * 1e3 * len) return false;
    const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);
    turning += Math.atan2(z, dot);
  }
  return Math.abs(Math.abs(turning) - 2 * Math.PI) < 1e-6;
}

function intersect(p: Position, q: Position, a: Position, b: Position): Position {
  // Both endpoints' signed distances to the clip line (a→b); they straddle it, so the denominator is non-zero.
  const dp = cross(a, b, p);
  const dq = cross(a, b, q);
  const t = dp / (dp - dq);
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

/**
 * Sutherland–Hodgman: the part of `subject` inside the convex `clip` ring. Returns a closed counter-clockwise
 * ring, or null when nothing of positive area remains (disjoint, or touching only along an edge or at a
 * point). A concave subject may come back with zero-width bridges along clip edges, which is the known
 * limit of the algorithm; the area stays right.
 */
export function clipPolygonToConvex(subject: Ring, clip: Ring): Ring | null {
  if (!isConvex(clip)) throw new RangeError('clip ring must be convex');
  const tol = REL_EPS * scaleOf(subject, clip);
  let edges = dedupe(openRing(clip), tol);
  if (planarSignedArea(edges) < 0) edges = edges.slice().reverse();

  let output = dedupe(openRing(subject), tol);
  for (let i = 0; i < edges.length && output.length > 0; i++) {
    const a = edges[i]!;
    const b = edges[(i + 1) % edges.length]!;
    const input = output;
    output = [];
    for (let j = 0; j < input.length; j++) {
      const current = input[j]!;
      const previous = input[(j + input.length - 1) % input.length]!;
      const curIn = cross(a, b, current) >= 0;
      const prevIn = cross(a, b, previous) >= 0;
      if (curIn) {
        if (!prevIn) output.push(intersect(previous, current, a, b));
        output.push(current);
      } else if (prevIn) {
        output.push(intersect(previous, current, a, b));
      }
    }
  }

  const pts = dedupe(output, tol);
  if (pts.length < 3) return null;
  const area = planarSignedArea(pts);
  if (Math.abs(area) <= tol * scaleOf(subject, clip)) return null;
  const ring = closeRing(pts);
  return area < 0 ? ring.reverse() : ring;
}
