import type { Geometry, Ring } from './geometry.ts';

/**
 * Mean earth radius (IUGG), the sphere turf's `area` uses; the local projection uses the same sphere so that
 * areas measured either way agree.
 */
export const EARTH_RADIUS_M = 6371008.8;

const RAD = Math.PI / 180;

/**
 * Signed area of a lng/lat ring in m², positive when counter-clockwise. This is the spherical formula of
 * Chamberlain & Duquette (JPL, 2007) that turf's `area` uses, with turf's sign flipped so that exterior rings
 * in RFC 7946 orientation come out positive. It is exact for rings whose edges follow meridians and
 * parallels, and well within 0.1 % for city-sized polygons.
 */
export function signedRingAreaM2(ring: Ring): number {
  const n = ring.length > 1 && sameEnds(ring) ? ring.length - 1 : ring.length;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i]!;
    const middle = ring[(i + 1) % n]!;
    const upper = ring[(i + 2) % n]!;
    total += (upper[0] - lower[0]) * RAD * Math.sin(middle[1] * RAD);
  }
  return (-total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
}

export function ringAreaM2(ring: Ring): number {
  return Math.abs(signedRingAreaM2(ring));
}

/** Area in m²; holes subtract whatever their orientation. */
export function geometryAreaM2(geometry: Geometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let total = 0;
  for (const [outer, ...holes] of polygons) {
    if (!outer) continue;
    total += ringAreaM2(outer);
    for (const hole of holes) total -= ringAreaM2(hole);
  }
  return total;
}

function sameEnds(ring: Ring): boolean {
  const a = ring[0]!;
  const b = ring[ring.length - 1]!;
  return a[0] === b[0] && a[1] === b[1];
}
