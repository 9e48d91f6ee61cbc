/**
 * Small geometry helpers for the map page: bounding boxes and label anchors of GeoJSON polygons, in
 * longitude/latitude. Pure: no MapLibre, no DOM.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export type BBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];
export type LngLat = [lng: number, lat: number];

export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function isEmptyBBox(b: BBox): boolean {
  return !(b[0] <= b[2] && b[1] <= b[3]);
}

function extend(b: BBox, p: Position): void {
  const [x, y] = p as [number, number];
  if (x < b[0]) b[0] = x;
  if (y < b[1]) b[1] = y;
  if (x > b[2]) b[2] = x;
  if (y > b[3]) b[3] = y;
}

function eachPosition(geometry: Geometry | null | undefined, fn: (p: Position) => void): void {
  if (!geometry) return;
  switch (geometry.type) {
    case 'Point':
      fn(geometry.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(fn);
      return;
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach((ring) => ring.forEach(fn));
      return;
    case 'MultiPolygon':
      geometry.coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(fn)));
      return;
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => eachPosition(g, fn));
  }
}

export function bboxOfGeometry(geometry: Geometry | null | undefined): BBox {
  const b = emptyBBox();
  eachPosition(geometry, (p) => extend(b, p));
  return b;
}

export function bboxOfFeatures(features: readonly Feature[]): BBox {
  const b = emptyBBox();
  for (const f of features) eachPosition(f.geometry, (p) => extend(b, p));
  return b;
}

export function unionBBox(a: BBox, b: BBox): BBox {
  if (isEmptyBBox(a)) return [...b];
  if (isEmptyBBox(b)) return [...a];
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function bboxContains(b: BBox, [x, y]: LngLat): boolean {
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

export function bboxesTouch(a: BBox, b: BBox, epsilon = 0): boolean {
  return a[0] <= b[2] + epsilon && b[0] <= a[2] + epsilon && a[1] <= b[3] + epsilon && b[1] <= a[3] + epsilon;
}

/** A point bbox (a search hit on a tiny feature) grows to at least `minSpan` degrees so the camera can fit it. */
export function ensureSpan(b: BBox, minSpan = 0.0005): BBox {
  const [x0, y0, x1, y1] = b;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = Math.max(x1 - x0, minSpan) / 2;
  const hy = Math.max(y1 - y0, minSpan) / 2;
  return [cx - hx, cy - hy, cx + hx, cy + hy];
}

/** Area-weighted centroid of a ring in plain lng/lat (fine at district scale); the vertex mean when degenerate. */
function ringCentroid(ring: Position[]): { c: LngLat; a: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-18) {
    const m = ring.reduce<LngLat>((s, p) => [s[0] + p[0]! / n, s[1] + p[1]! / n], [0, 0]);
    return { c: m, a: 0 };
  }
  return { c: [cx / (3 * a), cy / (3 * a)], a: Math.abs(a / 2) };
}

/**
 * Where a polygon's label goes: the centroid of its largest outer ring. Good for the convex unit grids and
 * community blocks of a grid system; a concave shape may put it near, not inside, the outline.
 */
export function labelPoint(geometry: Polygon | MultiPolygon | Geometry | null | undefined): LngLat | null {
  if (!geometry) return null;
  if (geometry.type === 'Polygon')
    return geometry.coordinates[0] ? ringCentroid(geometry.coordinates[0]).c : null;
  if (geometry.type === 'MultiPolygon') {
    let best: { c: LngLat; a: number } | null = null;
    for (const poly of geometry.coordinates) {
      if (!poly[0]) continue;
      const rc = ringCentroid(poly[0]);
      if (!best || rc.a > best.a) best = rc;
    }
    return best?.c ?? null;
  }
  const b = bboxOfGeometry(geometry);
  return isEmptyBBox(b) ? null : [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

export const emptyCollection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });
