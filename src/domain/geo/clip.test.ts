import { describe, expect, it } from 'vitest';
import { clipPolygonToConvex, isConvex } from './clip.ts';
import { isClosedRing, planarSignedArea } from './geometry.ts';
import type { Ring } from './geometry.ts';
import { pointInPolygon, pointInRing, pointOnRingBoundary, distanceToRing } from './point-in-polygon.ts';

const square = (x: number, y: number, s: number): Ring => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const triangle: Ring = [
  [0, 0],
  [10, 0],
  [0, 10],
  [0, 0],
];

function expectCcwClosed(ring: Ring | null): Ring {
  expect(ring).not.toBeNull();
  const r = ring!;
  expect(isClosedRing(r)).toBe(true);
  expect(planarSignedArea(r)).toBeGreaterThan(0);
  return r;
}

describe('isConvex', () => {
  it('accepts convex rings in either orientation, closed or not, with collinear vertices', () => {
    expect(isConvex(square(0, 0, 1))).toBe(true);
    expect(isConvex(square(0, 0, 1).reverse())).toBe(true);
    expect(isConvex(triangle.slice(0, 3))).toBe(true);
    expect(
      isConvex([
        [0, 0],
        [1, 0],
        [2, 0],
        [2, 2],
        [0, 2],
        [0, 0],
      ]),
    ).toBe(true);
  });

  it('rejects concave, self-intersecting and degenerate rings', () => {
    const concave: Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 1],
      [0, 4],
      [0, 0],
    ];
    expect(isConvex(concave)).toBe(false);
    const bowtie: Ring = [
      [0, 0],
      [2, 2],
      [2, 0],
      [0, 2],
      [0, 0],
    ];
    expect(isConvex(bowtie)).toBe(false);
    const pentagram: Ring = [0, 2, 4, 1, 3].map((k): [number, number] => [
      Math.cos((k * 2 * Math.PI) / 5),
      Math.sin((k * 2 * Math.PI) / 5),
    ]);
    expect(isConvex(pentagram)).toBe(false);
    expect(
      isConvex([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBe(false);
    expect(isConvex([])).toBe(false);
  });
});

describe('clipPolygonToConvex', () => {
  it('clips a square by a triangle to the known pentagon', () => {
    // square [2,8]² cut by x + y ≤ 10 leaves the square minus a corner triangle with legs 6: 36 − 18 = 18
    const r = expectCcwClosed(clipPolygonToConvex(square(2, 2, 6), triangle));
    expect(planarSignedArea(r)).toBeCloseTo(18, 12);
    expect(r).toHaveLength(4); // a triangle: (2,2) (8,2) (2,8), closed
    const r2 = expectCcwClosed(clipPolygonToConvex(square(1, 1, 6), triangle));
    expect(planarSignedArea(r2)).toBeCloseTo(36 - 8, 12); // the corner beyond x + y = 10 has legs 4
    expect(r2).toHaveLength(6);
  });

  it('returns the subject when it lies inside, and the clip when it covers it', () => {
    expect(planarSignedArea(expectCcwClosed(clipPolygonToConvex(square(1, 1, 2), triangle)))).toBeCloseTo(
      4,
      12,
    );
    expect(planarSignedArea(expectCcwClosed(clipPolygonToConvex(square(-5, -5, 30), triangle)))).toBeCloseTo(
      50,
      12,
    );
  });

  it('gives counter-clockwise output for clockwise inputs', () => {
    const r = expectCcwClosed(clipPolygonToConvex(square(2, 2, 6).reverse(), triangle.slice().reverse()));
    expect(planarSignedArea(r)).toBeCloseTo(18, 12);
  });

  it('returns null for disjoint inputs and for contact along an edge or at a point', () => {
    expect(clipPolygonToConvex(square(20, 20, 1), triangle)).toBeNull();
    expect(clipPolygonToConvex(square(-1, 0, 1), square(0, 0, 1))).toBeNull(); // shared edge
    expect(clipPolygonToConvex(square(1, 1, 1), square(0, 0, 1))).toBeNull(); // shared corner
    expect(clipPolygonToConvex(square(5, 5, 5), triangle)).toBeNull(); // touches the hypotenuse at (5,5)
  });

  it('works at lng/lat scale', () => {
    const s = square(116.35, 39.9, 0.001);
    const half: Ring = [
      [116.35, 39.9],
      [116.351, 39.9],
      [116.35, 39.901],
      [116.35, 39.9],
    ];
    const r = expectCcwClosed(clipPolygonToConvex(s, half));
    expect(planarSignedArea(r)).toBeCloseTo(0.0000005, 15);
  });

  it('rejects a concave clip ring', () => {
    const concave: Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 1],
      [0, 4],
      [0, 0],
    ];
    expect(() => clipPolygonToConvex(square(0, 0, 1), concave)).toThrow(RangeError);
  });
});

describe('point in polygon', () => {
  const outer = square(0, 0, 10);
  const hole = square(4, 4, 2);

  it('casts rays through rings, closed or open', () => {
    expect(pointInRing([5, 5], outer)).toBe(true);
    expect(pointInRing([5, 5], outer.slice(0, 4))).toBe(true);
    expect(pointInRing([11, 5], outer)).toBe(false);
    expect(pointInRing([1, 1], triangle)).toBe(true);
    expect(pointInRing([6, 6], triangle)).toBe(false);
  });

  it('respects holes and multipolygons', () => {
    const poly = { type: 'Polygon' as const, coordinates: [outer, hole] };
    expect(pointInPolygon([1, 1], poly)).toBe(true);
    expect(pointInPolygon([5, 5], poly)).toBe(false);
    const multi = { type: 'MultiPolygon' as const, coordinates: [[outer, hole], [square(5, 5, 0.5)]] };
    expect(pointInPolygon([5.2, 5.2], multi)).toBe(true);
    expect(pointInPolygon([4.1, 4.1], multi)).toBe(false);
  });

  it('measures distance to the boundary', () => {
    expect(distanceToRing([5, 5], outer)).toBe(5);
    expect(distanceToRing([13, 14], outer)).toBe(5);
    expect(pointOnRingBoundary([10, 3], outer)).toBe(true);
    expect(pointOnRingBoundary([10 + 1e-10, 3], outer)).toBe(true);
    expect(pointOnRingBoundary([10 + 1e-6, 3], outer)).toBe(false);
  });
});
