/** The geometry kit's public surface, so callers outside the module need not know its file layout. */
export type { BBox, Geometry, MultiPolygon, Polygon, Position, Ring } from './geometry.ts';
export {
  bboxOf,
  bboxOfRing,
  closeRing,
  isClosedRing,
  isCounterClockwise,
  openRing,
  planarSignedArea,
  polygonOf,
  toCounterClockwise,
} from './geometry.ts';
export { EARTH_RADIUS_M, geometryAreaM2, ringAreaM2, signedRingAreaM2 } from './area.ts';
export { haversineM } from './distance.ts';
export { localProjection } from './projection.ts';
export type { LocalProjection } from './projection.ts';
export { clipPolygonToConvex, isConvex } from './clip.ts';
export { distanceToRing, pointInPolygon, pointInRing, pointOnRingBoundary } from './point-in-polygon.ts';
