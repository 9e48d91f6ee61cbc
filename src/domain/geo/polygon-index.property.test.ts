import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Geometry, Polygon, Position, Ring } from './geometry.ts';
import { buildPolygonIndex, locateBruteForce } from './polygon-index.ts';

/**
 * The index against the brute-force reference (the same boundary rule by a plain loop): identical answers on random
 * rings (self-intersecting ones included: the rule is defined for any ring), holes, multipolygons, and jittered
 * lattice partitions, with query points on vertices, on edges and near them.
 */
const LNG0 = 116.35;
const LAT0 = 39.9;
const STEP = 0.001;

/** Lattice coordinates make shared vertices, collinear edges and points exactly on vertices common. */
const lattice = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }));
const toLngLat = ([i, j]: [number, number]): Position => [LNG0 + i * STEP, LAT0 + j * STEP];
const ringArb = fc.array(lattice, { minLength: 3, maxLength: 8 }).map((pts): Ring => {
  const ring = pts.map(toLngLat);
  return [...ring, ring[0]!];
});
const polygonArb = fc.array(ringArb, { minLength: 1, maxLength: 3 }).map((rings): Polygon => ({
  type: 'Polygon',
  coordinates: rings,
}));
const geometryArb: fc.Arbitrary<Geometry> = fc.oneof(
  polygonArb,
  fc.array(polygonArb, { minLength: 1, maxLength: 3 }).map((ps) => ({
    type: 'MultiPolygon' as const,
    coordinates: ps.map((p) => p.coordinates),
  })),
);

/** Query points: lattice points (vertices), points on edges (interpolated), and arbitrary points. */
function queryPoints(geometries: Geometry[], extra: [number, number][], ts: number[]): Position[] {
  const out: Position[] = extra.map(([i, j]) => [LNG0 + i * STEP * 0.5, LAT0 + j * STEP * 0.5]);
  let t = 0;
  for (const g of geometries) {
    for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          const u = ts[t++ % ts.length]!;
          out.push(a, [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])]);
          // Just off the edge, on both sides.
          out.push([a[0] + u * (b[0] - a[0]) + 1e-13, a[1] + u * (b[1] - a[1]) - 1e-13]);
        }
      }
    }
  }
  return out;
}

function expectSameAnswers(geometries: Geometry[], points: Position[]): void {
  for (const bucketsPerFeature of [1, 16, 64]) {
    const index = buildPolygonIndex(geometries, { bucketsPerFeature });
    for (const [x, y] of points) {
      const want = locateBruteForce(geometries, x, y);
      if (index.locate(x, y) !== want) {
        expect({ x, y, bucketsPerFeature, got: index.locate(x, y) }).toEqual({
          x,
          y,
          bucketsPerFeature,
          got: want,
        });
      }
    }
  }
}

/**
 * A partition of a rectangle into jittered quadrilaterals (corners move by at most 0.2 of a step), some with a hole
 * strictly inside (0.45–0.55 of a step from the corner), so the cells are valid polygons.
 */
function jitteredPartition(cols: number, rows: number, jitter: number[], holes: boolean): Polygon[] {
  let n = 0;
  const j = () => (jitter[n++ % jitter.length]! - 0.5) * 0.4 * STEP;
  const corner: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    corner.push([]);
    for (let k = 0; k <= rows; k++) {
      const inner = i > 0 && i < cols && k > 0 && k < rows;
      corner[i]!.push([LNG0 + i * STEP + (inner ? j() : 0), LAT0 + k * STEP + (inner ? j() : 0)]);
    }
  }
  const cells: Polygon[] = [];
  for (let k = 0; k < rows; k++) {
    for (let i = 0; i < cols; i++) {
      const outer: Ring = [corner[i]![k]!, corner[i + 1]![k]!, corner[i + 1]![k + 1]!, corner[i]![k + 1]!];
      outer.push(outer[0]!);
      const rings = [outer];
      if (holes && (i + k) % 3 === 0) {
        const c = corner[i]![k]!;
        rings.push([
          [c[0] + 0.45 * STEP, c[1] + 0.45 * STEP],
          [c[0] + 0.45 * STEP, c[1] + 0.55 * STEP],
          [c[0] + 0.55 * STEP, c[1] + 0.55 * STEP],
          [c[0] + 0.55 * STEP, c[1] + 0.45 * STEP],
          [c[0] + 0.45 * STEP, c[1] + 0.45 * STEP],
        ]);
      }
      cells.push({ type: 'Polygon', coordinates: rings });
    }
  }
  return cells;
}

describe('polygon index = brute force (same boundary rule)', () => {
  it('random rings, holes and multipolygons, at vertices, on and near edges', () => {
    fc.assert(
      fc.property(
        fc.array(geometryArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.integer({ min: -2, max: 26 }), fc.integer({ min: -2, max: 26 })), {
          maxLength: 40,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (geometries, extra, ts) => expectSameAnswers(geometries, queryPoints(geometries, extra, ts)),
      ),
      { numRuns: 100 },
    );
  });

  it('jittered lattice partitions: identical answers, and every point inside lies in exactly one cell', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (cols, rows, jitter, holes, ts) => {
          const cells = jitteredPartition(cols, rows, jitter, holes);
          const points = queryPoints(cells, [], ts);
          expectSameAnswers(cells, points);
          // Holes are ponds owned by nobody; everywhere else strictly inside the rectangle, exactly one owner.
          for (const [x, y] of points) {
            const owners = cells.filter((c) => locateBruteForce([c], x, y) === 0).length;
            expect(owners).toBeLessThanOrEqual(1);
            const inRect = x > LNG0 && x < LNG0 + cols * STEP && y > LAT0 && y < LAT0 + rows * STEP;
            if (inRect && !holes) expect(owners, `${x},${y}`).toBe(1);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('shared vertices: every lattice vertex of a partition belongs to exactly one cell, the north-east one', () => {
    const cells = jitteredPartition(5, 4, [0.1, 0.9, 0.3, 0.7, 0.5, 0.2], false);
    const index = buildPolygonIndex(cells);
    for (let k = 1; k < 4; k++) {
      for (let i = 1; i < 5; i++) {
        const v = cells[k * 5 + i]!.coordinates[0]![0]!;
        const owners = cells.filter((c) => locateBruteForce([c], v[0], v[1]) === 0).length;
        expect(owners).toBe(1);
        expect(index.locate(v[0], v[1])).toBe(locateBruteForce(cells, v[0], v[1]));
      }
    }
  });
});
