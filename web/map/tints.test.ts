import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateDemoDistrict } from '../../src/domain/region/demo-district.ts';
import { bboxesTouch, bboxOfGeometry } from './geometry.ts';
import { assignTints, TINT_COUNT, withTints } from './tints.ts';

const square = (x: number, y: number) => ({
  type: 'Feature' as const,
  properties: { code: `${x},${y}` },
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ],
  },
});

describe('assignTints', () => {
  it('colours a lattice so that no two touching cells (diagonals included) share a tint', () => {
    const cells = [];
    for (let x = 0; x < 6; x++) for (let y = 0; y < 5; y++) cells.push(square(x, y));
    const tints = assignTints(cells);
    expect(Math.max(...tints)).toBeLessThan(TINT_COUNT);
    for (let i = 0; i < cells.length; i++)
      for (let j = i + 1; j < cells.length; j++)
        if (bboxesTouch(bboxOfGeometry(cells[i]!.geometry), bboxOfGeometry(cells[j]!.geometry), 1e-9))
          expect(tints[i]).not.toBe(tints[j]);
  });

  it('keeps the demo district within four tints and leaves the input untouched', () => {
    const grids = generateDemoDistrict().grids;
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: grids.map((g) => ({ type: 'Feature', properties: { code: g.code }, geometry: g.geometry })),
    };
    const tinted = withTints(fc);
    const used = new Set(tinted.features.map((f) => f.properties!.tint as number));
    expect([...used].every((t) => t >= 0 && t < TINT_COUNT)).toBe(true);
    expect(used.size).toBeGreaterThan(1);
    expect(fc.features[0]!.properties).not.toHaveProperty('tint');
  });
});
