import { openRing } from './geometry.ts';
import type { Geometry, Position, Ring } from './geometry.ts';

/**
 * Ray casting (even–odd rule). Points exactly on an edge may land either side; callers that care use
 * pointOnRingBoundary first.
 */
export function pointInRing(point: Position, ring: Ring): boolean {
  const pts = openRing(ring);
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!;
    const [xj, yj] = pts[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the exterior ring and outside every hole; for a MultiPolygon, inside any of its polygons. */
export function pointInPolygon(point: Position, geometry: Geometry): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(
    ([outer, ...holes]) =>
      outer !== undefined && pointInRing(point, outer) && !holes.some((h) => pointInRing(point, h)),
  );
}

/** Euclidean distance, in coordinate units, from a point to the nearest edge of a ring. */
export function distanceToRing(point: Position, ring: Ring): number {
  const pts = openRing(ring);
  let best = Infinity;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    best = Math.min(best, distanceToSegment(point, a, b));
  }
  return best;
}

export function pointOnRingBoundary(point: Position, ring: Ring, tolerance = 1e-9): boolean {
  return distanceToRing(point, ring) <= tolerance;
}

function distanceToSegment(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}
