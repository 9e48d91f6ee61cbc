/**
 * Bridges between WGS-84 GeoJSON and the planar (metre) multipolygons that polyclip-ts works on. Boolean
 * operations run in a local projection so that tolerances and areas are in metres and square metres.
 */
import type { MultiPoly } from './polyclip.ts';
import { closeRing, planarSignedArea } from '../geo/geometry.ts';
import type { BBox, Geometry, MultiPolygon, Polygon, Position, Ring } from '../geo/geometry.ts';
import type { LocalProjection } from '../geo/projection.ts';

export function polygonsOf(g: Geometry): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function toPlanar(g: Geometry, proj: LocalProjection): MultiPoly {
  return polygonsOf(g).map((rings) => rings.map((ring) => closeRing(ring).map((p) => proj.toXY(p))));
}

/** Planar area of a multipolygon (holes subtract), in the projection's units squared. */
export function planarArea(mp: MultiPoly): number {
  let total = 0;
  for (const [outer, ...holes] of mp) {
    if (!outer) continue;
    total += Math.abs(planarSignedArea(outer));
    for (const h of holes) total -= Math.abs(planarSignedArea(h));
  }
  return total;
}

export function planarBBox(mp: MultiPoly): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of mp) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return box;
}

export function boxesOverlap(a: BBox, b: BBox, margin = 0): boolean {
  return a[0] <= b[2] + margin && b[0] <= a[2] + margin && a[1] <= b[3] + margin && b[1] <= a[3] + margin;
}

/** Back to WGS-84 GeoJSON in RFC 7946 orientation (exterior counter-clockwise, holes clockwise). */
export function fromPlanar(mp: MultiPoly, proj: LocalProjection): Geometry {
  const polygons = mp.map((rings) =>
    rings.map((ring, i) => {
      const closed = closeRing(ring);
      const ccw = planarSignedArea(closed) > 0;
      const oriented = (i === 0) === ccw ? closed : closed.slice().reverse();
      return oriented.map((p): Position => proj.toLngLat(p));
    }),
  );
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0]! } satisfies Polygon;
  return { type: 'MultiPolygon', coordinates: polygons } satisfies MultiPolygon;
}
