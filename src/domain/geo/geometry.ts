/**
 * GeoJSON geometry types and planar ring helpers. Coordinates are WGS-84 [lng, lat] (product.md, "Codes":
 * store WGS-84); the planar helpers work on any [x, y] pairs, including local metric coordinates.
 */
export type Position = [number, number];
/** A linear ring; closed (first position equals last) wherever it leaves this module. */
export type Ring = Position[];
export interface Polygon {
  type: 'Polygon';
  coordinates: Ring[];
}
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}
export type Geometry = Polygon | MultiPolygon;
/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

export function polygonOf(outer: Ring, ...holes: Ring[]): Polygon {
  return { type: 'Polygon', coordinates: [outer, ...holes] };
}

export function isClosedRing(ring: Ring): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
}

/** A closed copy of the ring (positions are copied, so callers may mutate the result). */
export function closeRing(ring: Ring): Ring {
  const out = ring.map((p): Position => [p[0], p[1]]);
  const first = out[0];
  if (first && !isClosedRing(out)) out.push([first[0], first[1]]);
  return out;
}

/** The distinct vertices of a ring, without the closing repetition. */
export function openRing(ring: Ring): Ring {
  return isClosedRing(ring) && ring.length > 1 ? ring.slice(0, -1) : ring.slice();
}

/** Shoelace area in coordinate units; positive when counter-clockwise (y pointing north). */
export function planarSignedArea(ring: Ring): number {
  const pts = openRing(ring);
  const o = pts[0];
  if (!o) return 0;
  // Relative to the first vertex: with raw lng/lat (≈116, 40) the products would swamp small areas.
  let twice = 0;
  for (let i = 1; i < pts.length - 1; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    twice += (a[0] - o[0]) * (b[1] - o[1]) - (b[0] - o[0]) * (a[1] - o[1]);
  }
  return twice / 2;
}

export function isCounterClockwise(ring: Ring): boolean {
  return planarSignedArea(ring) > 0;
}

/** A closed, counter-clockwise copy: the orientation RFC 7946 asks of exterior rings. */
export function toCounterClockwise(ring: Ring): Ring {
  const closed = closeRing(ring);
  return planarSignedArea(closed) < 0 ? closed.reverse() : closed;
}

function extend(box: BBox, ring: Ring): void {
  for (const [x, y] of ring) {
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  }
}

export function bboxOfRing(ring: Ring): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  extend(box, ring);
  if (!Number.isFinite(box[0])) throw new RangeError('bbox of an empty ring');
  return box;
}

export function bboxOf(geometry: Geometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) for (const ring of rings) extend(box, ring);
  if (!Number.isFinite(box[0])) throw new RangeError('bbox of an empty geometry');
  return box;
}
