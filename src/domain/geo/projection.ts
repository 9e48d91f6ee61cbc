import { EARTH_RADIUS_M } from './area.ts';
import type { Position } from './geometry.ts';

export interface LocalProjection {
  readonly origin: Position;
  /** [lng, lat] → [x, y] in metres east and north of the origin. */
  toXY(p: Position): Position;
  /** The exact inverse of toXY (up to floating-point rounding, ~1e-14°). */
  toLngLat(p: Position): Position;
}

/**
 * Equirectangular projection around an origin, on the same sphere as the area formula. At district scale
 * (a few km) its scale error is below 0.1 %, and being affine it maps straight lines to straight lines, so
 * planar clipping in metres and the lng/lat result describe the same shapes.
 */
export function localProjection(originLng: number, originLat: number): LocalProjection {
  if (!Number.isFinite(originLng) || !Number.isFinite(originLat) || Math.abs(originLat) >= 89) {
    throw new RangeError(`bad projection origin ${originLng},${originLat}`);
  }
  const metresPerDegLat = (EARTH_RADIUS_M * Math.PI) / 180;
  const metresPerDegLng = metresPerDegLat * Math.cos((originLat * Math.PI) / 180);
  return {
    origin: [originLng, originLat],
    toXY: ([lng, lat]) => [(lng - originLng) * metresPerDegLng, (lat - originLat) * metresPerDegLat],
    toLngLat: ([x, y]) => [originLng + x / metresPerDegLng, originLat + y / metresPerDegLat],
  };
}
