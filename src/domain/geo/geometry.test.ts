import { describe, expect, it } from 'vitest';
import { geometryAreaM2, ringAreaM2, signedRingAreaM2, EARTH_RADIUS_M } from './area.ts';
import {
  bboxOf,
  closeRing,
  isClosedRing,
  planarSignedArea,
  polygonOf,
  toCounterClockwise,
} from './geometry.ts';
import type { MultiPolygon, Ring } from './geometry.ts';
import { localProjection } from './projection.ts';

const proj = localProjection(116.35, 39.9);
const squareXY = (x: number, y: number, size: number): Ring => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const toLngLat = (ring: Ring): Ring => ring.map((p) => proj.toLngLat(p));

describe('ring helpers', () => {
  it('closes rings once and orients them counter-clockwise', () => {
    const open: Ring = [
      [0, 0],
      [0, 1],
      [1, 1],
    ];
    expect(isClosedRing(open)).toBe(false);
    const closed = closeRing(open);
    expect(closed).toHaveLength(4);
    expect(closeRing(closed)).toEqual(closed);
    expect(planarSignedArea(closed)).toBe(-0.5);
    const ccw = toCounterClockwise(open);
    expect(planarSignedArea(ccw)).toBe(0.5);
    expect(isClosedRing(ccw)).toBe(true);
  });

  it('computes bounding boxes of polygons and multipolygons', () => {
    expect(bboxOf(polygonOf(squareXY(1, 2, 3)))).toEqual([1, 2, 4, 5]);
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[squareXY(0, 0, 1)], [squareXY(5, -2, 1)]],
    };
    expect(bboxOf(multi)).toEqual([0, -2, 6, 1]);
    expect(() => bboxOf({ type: 'Polygon', coordinates: [] })).toThrow(RangeError);
  });
});

describe('geodesic area', () => {
  it('gives 10,000 m² for a 100 m square near Beijing', () => {
    const area = ringAreaM2(toLngLat(squareXY(0, 0, 100)));
    expect(Math.abs(area - 10_000) / 10_000).toBeLessThan(0.005);
    // far from the projection origin the equirectangular scale error still stays small
    const far = ringAreaM2(toLngLat(squareXY(3900, 2900, 100)));
    expect(Math.abs(far - 10_000) / 10_000).toBeLessThan(0.005);
  });

  it('is exact for a 1°×1° cell bounded by meridians and parallels', () => {
    const cell: Ring = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const expected = EARTH_RADIUS_M ** 2 * (Math.PI / 180) * Math.sin(Math.PI / 180);
    expect(signedRingAreaM2(cell)).toBeCloseTo(expected, 3);
    expect(signedRingAreaM2(cell.slice().reverse())).toBeCloseTo(-expected, 3);
    // an unclosed ring gives the same answer
    expect(signedRingAreaM2(cell.slice(0, 4))).toBeCloseTo(expected, 3);
  });

  it('subtracts holes whatever their orientation, and sums multipolygons', () => {
    const outer = toLngLat(squareXY(0, 0, 1000));
    const hole = toLngLat(squareXY(100, 100, 200));
    const expected = ringAreaM2(outer) - ringAreaM2(hole);
    expect(geometryAreaM2(polygonOf(outer, hole))).toBeCloseTo(expected, 6);
    expect(geometryAreaM2(polygonOf(outer, hole.slice().reverse()))).toBeCloseTo(expected, 6);
    expect(Math.abs(expected - 960_000) / 960_000).toBeLessThan(0.005);
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[outer], [toLngLat(squareXY(2000, 0, 100))]],
    };
    expect(geometryAreaM2(multi)).toBeCloseTo(ringAreaM2(outer) + ringAreaM2(multi.coordinates[1]![0]!), 6);
  });

  it('returns 0 for degenerate rings', () => {
    expect(signedRingAreaM2([])).toBe(0);
    expect(
      signedRingAreaM2([
        [116, 39],
        [116.1, 39],
        [116, 39],
      ]),
    ).toBe(0);
  });
});

describe('local projection', () => {
  it('puts the origin at 0,0 and measures metres', () => {
    expect(proj.toXY([116.35, 39.9])).toEqual([0, 0]);
    const [, y] = proj.toXY([116.35, 39.9 + 1 / 60]);
    expect(y).toBeCloseTo(1853.25, 1); // one minute of latitude ≈ one nautical mile on this sphere
    const [x] = proj.toXY([116.35 + 0.01, 39.9]);
    expect(x).toBeCloseTo(1111.95 * Math.cos((39.9 * Math.PI) / 180), 1);
  });

  it('round-trips in both directions', () => {
    for (const p of [
      [116.3712345678, 39.9187654321],
      [116.35, 39.93],
      [116.2, 40.1],
    ] as [number, number][]) {
      const back = proj.toLngLat(proj.toXY(p));
      expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-12);
      expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-12);
    }
    const xy: [number, number] = [1234.5, -678.25];
    const again = proj.toXY(proj.toLngLat(xy));
    expect(Math.abs(again[0] - xy[0])).toBeLessThan(1e-8);
    expect(Math.abs(again[1] - xy[1])).toBeLessThan(1e-8);
  });

  it('rejects origins at the poles', () => {
    expect(() => localProjection(0, 90)).toThrow(RangeError);
    expect(() => localProjection(Number.NaN, 0)).toThrow(RangeError);
  });
});
