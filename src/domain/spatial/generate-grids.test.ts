import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '../geo/area.ts';
import type { Geometry, Polygon, Position } from '../geo/geometry.ts';
import { localProjection } from '../geo/projection.ts';
import type { ImportFeature } from './import-mapping.ts';
import { generateGrids } from './generate-grids.ts';
import { validateFeatures } from './validate-features.ts';

const COMMUNITY = '990102001001';
const proj = localProjection(116.4, 39.9);
function poly(...rings: Position[][]): Polygon {
  return { type: 'Polygon', coordinates: rings.map((r) => [...r, r[0]!].map((p) => proj.toLngLat(p))) };
}
const rect = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
function centre(g: Geometry): Position {
  const ring = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]![0])!;
  const pts = ring.slice(0, -1).map((p) => proj.toXY(p));
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}
const total = (gs: { areaM2: number }[]) => gs.reduce((s, g) => s + g.areaM2, 0);

/** The generated grids pass the import validation against their own community. */
function validateAgainst(boundary: Geometry, grids: ReturnType<typeof generateGrids>) {
  const features: ImportFeature[] = grids.map((g, index) => ({
    index,
    code: g.code,
    name: g.code,
    nameEn: null,
    parentCode: null,
    level: null,
    department: null,
    unit: null,
    geometry: g.geometry,
  }));
  return validateFeatures('grids', features, {
    regions: new Map([[COMMUNITY, { level: 'community', parentCode: null, geometry: boundary }]]),
    grids: new Map(),
  }).report;
}

describe('generateGrids', () => {
  it('squares: codes run west→east within rows, rows north→south', () => {
    const boundary = poly(rect(0, 0, 300, 200));
    const grids = generateGrids(COMMUNITY, boundary, { shape: 'square', sizeM: 100 });
    expect(grids.map((g) => g.code)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `${COMMUNITY}00${i}`));
    const c = grids.map((g) => centre(g.geometry).map((v) => Math.round(v)));
    expect(c).toEqual([
      [50, 150],
      [150, 150],
      [250, 150],
      [50, 50],
      [150, 50],
      [250, 50],
    ]);
    for (const g of grids) expect(g.areaM2).toBeCloseTo(10_000, -1);
  });

  it('merges slivers into the neighbour sharing the longest edge', () => {
    const boundary = poly(rect(0, 0, 220, 200));
    const grids = generateGrids(COMMUNITY, boundary, { shape: 'square', sizeM: 100, sliverRatio: 0.25 });
    expect(grids).toHaveLength(4);
    expect(grids.map((g) => Math.round(g.areaM2 / 100))).toEqual([100, 120, 100, 120]);
    expect(total(grids)).toBeCloseTo(geometryAreaM2(boundary), -1);
    const kept = generateGrids(COMMUNITY, boundary, { shape: 'square', sizeM: 100, sliverRatio: 0 });
    expect(kept).toHaveLength(6);
  });

  it('hexagons on a concave, holed boundary: areas add up to the boundary (±0.5 %) and pass validation', () => {
    // An L-shaped community with a lake.
    const boundary = poly(
      [
        [0, 0],
        [900, 0],
        [900, 400],
        [450, 400],
        [450, 800],
        [0, 800],
      ],
      rect(100, 100, 300, 250).reverse(),
    );
    const grids = generateGrids(COMMUNITY, boundary, { shape: 'hexagon', sizeM: 100, sliverRatio: 0.3 });
    expect(grids.length).toBeGreaterThan(40);
    const want = geometryAreaM2(boundary);
    expect(Math.abs(total(grids) - want) / want).toBeLessThan(0.005);
    for (const g of grids) expect(g.areaM2).toBeGreaterThan(0.3 * 10_000 - 1);
    const report = validateAgainst(boundary, grids);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    // Rows north→south: centroid latitude never increases along the sequence by more than a row.
    const ys = grids.map((g) => centre(g.geometry)[1]);
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThan(ys[i - 1]! + 100);
  });

  it('squares on a rotated, concave boundary tile it without gaps or overlaps', () => {
    const boundary = poly([
      [0, 0],
      [520, 130],
      [400, 610],
      [250, 300],
      [-80, 480],
    ]);
    const grids = generateGrids(COMMUNITY, boundary);
    const want = geometryAreaM2(boundary);
    expect(Math.abs(total(grids) - want) / want).toBeLessThan(0.001);
    const report = validateAgainst(boundary, grids);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('refuses sizes out of range and more than 999 grids', () => {
    const boundary = poly(rect(0, 0, 300, 200));
    expect(() => generateGrids(COMMUNITY, boundary, { sizeM: 5 })).toThrow();
    expect(() => generateGrids(COMMUNITY, poly(rect(0, 0, 5000, 5000)), { sizeM: 100 })).toThrow(
      /limit is 999/,
    );
  });
});
