import { describe, expect, it } from 'vitest';
import { generateDemoDistrict } from '../region/demo-district.ts';
import type { Geometry, Polygon, Position } from './geometry.ts';
import { pointInPolygon } from './point-in-polygon.ts';
import { buildPolygonIndex, locateBruteForce, orientSignExact } from './polygon-index.ts';

const square = (x: number, y: number, size = 1): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

/** 2 × 2 unit squares: index 0 = SW, 1 = SE, 2 = NW, 3 = NE. */
const quad = [square(0, 0), square(1, 0), square(0, 1), square(1, 1)];

describe('polygon index: boundary rule', () => {
  const index = buildPolygonIndex(quad);

  it('interior points land in their square', () => {
    expect(index.locate(0.5, 0.5)).toBe(0);
    expect(index.locate(1.5, 0.5)).toBe(1);
    expect(index.locate(0.5, 1.5)).toBe(2);
    expect(index.locate(1.5, 1.5)).toBe(3);
  });

  it('a shared edge belongs to the cell east of it (or north of an east–west edge)', () => {
    expect(index.locate(1, 0.5)).toBe(1);
    expect(index.locate(0.5, 1)).toBe(2);
  });

  it('the vertex shared by four cells belongs to the north-east one only', () => {
    expect(index.locate(1, 1)).toBe(3);
    expect(locateBruteForce(quad, 1, 1)).toBe(3);
  });

  it('the outer west and south edges are inside, the east and north edges outside', () => {
    expect(index.locate(0, 0.5)).toBe(0);
    expect(index.locate(0.5, 0)).toBe(0);
    expect(index.locate(2, 0.5)).toBe(-1);
    expect(index.locate(0.5, 2)).toBe(-1);
    expect(index.locate(0, 0)).toBe(0);
    expect(index.locate(2, 2)).toBe(-1);
  });

  it('outside, NaN and an empty index answer -1', () => {
    expect(index.locate(5, 5)).toBe(-1);
    expect(index.locate(Number.NaN, 0.5)).toBe(-1);
    expect(buildPolygonIndex([]).locate(0, 0)).toBe(-1);
    expect(buildPolygonIndex([null]).locate(0, 0)).toBe(-1);
  });

  it('respects holes, with the same rule on the hole boundary', () => {
    const holed: Polygon = {
      type: 'Polygon',
      coordinates: [square(0, 0, 4).coordinates[0]!, square(1, 1, 2).coordinates[0]!.slice().reverse()],
    };
    const island = square(1, 1, 2);
    const idx = buildPolygonIndex([holed, island]);
    expect(idx.locate(0.5, 0.5)).toBe(0);
    expect(idx.locate(2, 2)).toBe(1);
    expect(idx.locate(1, 2)).toBe(1); // west edge of the hole: the island, east of it
    expect(idx.locate(3, 2)).toBe(0); // east edge of the hole: the holed polygon
    expect(buildPolygonIndex([holed]).locate(2, 2)).toBe(-1);
  });

  it('multipolygons and overlaps: the lowest index containing the point wins', () => {
    const multi: Geometry = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0).coordinates, square(5, 5).coordinates],
    };
    const idx = buildPolygonIndex([square(5.2, 5.2, 0.2), multi]);
    expect(idx.locate(0.5, 0.5)).toBe(1);
    expect(idx.locate(5.3, 5.3)).toBe(0);
    expect(idx.locate(5.8, 5.8)).toBe(1);
    expect(idx.locate(3, 3)).toBe(-1);
  });

  it('the exact orientation sign resolves offsets of one unit in the last place', () => {
    expect(orientSignExact(0, 0, 1, 1, 0.5, 0.5)).toBe(0);
    expect(orientSignExact(0, 0, 1, 1, 0.5, 0.5 + 2 ** -53)).toBe(1);
    expect(orientSignExact(0, 0, 1, 1, 0.5 + 2 ** -53, 0.5)).toBe(-1);
  });
});

describe('polygon index: nearest', () => {
  it('reports the nearest feature and its distance in metres', () => {
    // Two 0.01° squares near Beijing; a point 0.01° of latitude (≈ 1,112 m) south of the first.
    const idx = buildPolygonIndex([square(116.35, 39.9, 0.01), square(116.4, 39.9, 0.01)]);
    const hit = idx.nearest(116.355, 39.89)!;
    expect(hit.index).toBe(0);
    expect(hit.distanceM).toBeGreaterThan(1105);
    expect(hit.distanceM).toBeLessThan(1120);
    expect(idx.nearest(116.355, 39.905)).toEqual({ index: 0, distanceM: 0 });
    expect(idx.nearest(116.355, 39.89, (i) => i === 1)!.index).toBe(1);
    expect(idx.nearest(116.355, 39.89, () => false)).toBeNull();
  });
});

describe('polygon index on the demo district', () => {
  it('agrees with plain ray casting on random points away from edges', () => {
    const grids = generateDemoDistrict().grids.map((g) => g.geometry);
    const idx = buildPolygonIndex(grids);
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const p: Position = [116.348 + rand() * 0.048, 39.898 + rand() * 0.03];
      const want = grids.findIndex((g) => pointInPolygon(p, g));
      expect(idx.locate(p[0], p[1])).toBe(want);
      if (want >= 0) found++;
    }
    expect(found).toBeGreaterThan(2000);
  });
});
