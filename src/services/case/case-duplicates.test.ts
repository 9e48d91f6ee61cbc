import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from '../../domain/geo/area.ts';
import { boundingBox, haversineM } from './case-duplicates.ts';

/** The point `north` metres north and `east` metres east of `p`. */
function offset(p: { lng: number; lat: number }, north: number, east: number) {
  const perDegree = (EARTH_RADIUS_M * Math.PI) / 180;
  return {
    lng: p.lng + east / (perDegree * Math.cos((p.lat * Math.PI) / 180)),
    lat: p.lat + north / perDegree,
  };
}

describe('duplicate detection geometry', () => {
  it('haversine agrees with the offsets, and the box contains the circle', () => {
    const p = { lng: 116.4, lat: 39.9 };
    for (const [n, e] of [
      [100, 0],
      [0, 100],
      [70.7, 70.7],
      [-99, 0],
    ] as const) {
      const q = offset(p, n, e);
      expect(haversineM([p.lng, p.lat], [q.lng, q.lat])).toBeCloseTo(Math.hypot(n, e), 1);
      const box = boundingBox([p.lng, p.lat], 100);
      expect(q.lng >= box.minLng && q.lng <= box.maxLng && q.lat >= box.minLat && q.lat <= box.maxLat).toBe(
        true,
      );
    }
    const box = boundingBox([p.lng, p.lat], 100);
    const outside = offset(p, 0, 120);
    expect(outside.lng > box.maxLng).toBe(true);
  });
});
