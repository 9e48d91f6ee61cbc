import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../geo/crs.ts';
import type { Position } from '../geo/geometry.ts';
import { countPositions, featuresOf, normalizeFeatures, propertyNamesOf } from './import-mapping.ts';

const wgs: Position[] = [
  [116.4, 39.9],
  [116.401, 39.9],
  [116.401, 39.901],
  [116.4, 39.9],
];

function collection(crs: 'gcj02' | 'bd09' | 'wgs84') {
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { CODE: 990102001001001, NAME: ' 一号网格 ', PCODE: '990102001001' },
        geometry: { type: 'Polygon', coordinates: [wgs.map((p) => fromWgs84(p, crs))] },
      },
      { type: 'Feature', properties: null, geometry: null },
    ],
  };
}

describe('import mapping', () => {
  it('maps properties to code, name and parent code, and numbers to strings', () => {
    const fc = collection('wgs84');
    const [a, b] = normalizeFeatures(
      featuresOf(fc)!,
      { code: 'CODE', name: 'NAME', parentCode: 'PCODE' },
      'wgs84',
    );
    expect(a).toMatchObject({
      index: 0,
      code: '990102001001001',
      name: '一号网格',
      parentCode: '990102001001',
    });
    expect(b).toMatchObject({ index: 1, code: null, name: null, geometry: null });
    expect(propertyNamesOf(fc)).toEqual(['CODE', 'NAME', 'PCODE']);
    expect(featuresOf({ type: 'Feature' })).toBeNull();
  });

  it.each(['gcj02', 'bd09'] as const)('converts every vertex from %s to WGS-84', (crs) => {
    const [a] = normalizeFeatures(featuresOf(collection(crs))!, { code: 'CODE', name: 'NAME' }, crs);
    const ring = (a!.geometry as { coordinates: Position[][] }).coordinates[0]!;
    ring.forEach((p, i) => {
      expect(Math.abs(p[0] - wgs[i]![0])).toBeLessThan(1e-8);
      expect(Math.abs(p[1] - wgs[i]![1])).toBeLessThan(1e-8);
    });
  });

  it('leaves malformed coordinates for validation to report', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: [[[NaN, 1], 'x', [500, 1]]] },
        },
      ],
    };
    const [a] = normalizeFeatures(fc.features, { code: 'CODE', name: 'NAME' }, 'gcj02');
    expect((a!.geometry as { coordinates: unknown[][] }).coordinates[0]).toEqual([[NaN, 1], 'x', [500, 1]]);
    expect(
      countPositions([
        [
          [1, 2],
          [3, 4],
        ],
        [[5, 6]],
      ]),
    ).toBe(3);
  });
});
