import { describe, expect, it } from 'vitest';
import type { Polygon, Position } from '../geo/geometry.ts';
import { localProjection } from '../geo/projection.ts';
import type { ImportFeature } from './import-mapping.ts';
import {
  normalizeGridCode,
  validateFeatures,
  type StoredRegion,
  type ValidationContext,
} from './validate-features.ts';

const proj = localProjection(116.4, 39.9);
/** A rectangle given in metres east/north of the origin, as WGS-84 GeoJSON. */
function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
  const pts: Position[] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  return { type: 'Polygon', coordinates: [pts.map((p) => proj.toLngLat(p))] };
}

const COMMUNITY = '990102001001';
const community: StoredRegion = {
  level: 'community',
  parentCode: '990102001000',
  geometry: rect(0, 0, 200, 100),
};
const ctx: ValidationContext = {
  regions: new Map([
    [COMMUNITY, community],
    ['990102001000', { level: 'street', parentCode: '990102000000', geometry: null }],
  ]),
  grids: new Map(),
};

function feature(
  index: number,
  code: string | null,
  geometry: unknown,
  extra: Partial<ImportFeature> = {},
): ImportFeature {
  return {
    index,
    code,
    name: code ? `网格${code.slice(-3)}` : null,
    nameEn: null,
    parentCode: null,
    level: null,
    department: null,
    unit: null,
    geometry,
    ...extra,
  };
}

const reasons = (list: { index: number | null; reason: string }[]) =>
  list.map((f) => `${f.index}:${f.reason}`);

describe('validateFeatures', () => {
  it('accepts two grids that tile their community exactly', () => {
    const { report, valid } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 200, 100)),
      ],
      ctx,
    );
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(valid.map((v) => v.code)).toEqual([`${COMMUNITY}001`, `${COMMUNITY}002`]);
    expect(valid[0]!.areaM2).toBeCloseTo(10_000, -1);
    expect(report.counts).toMatchObject({ features: 2, grids: 2, errors: 0 });
  });

  it('names a self-intersecting bow-tie by index', () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [100, 100],
          [100, 0],
          [0, 100],
          [0, 0],
        ].map((p) => proj.toLngLat(p as Position)),
      ],
    };
    const { report, valid } = validateFeatures(
      'grids',
      [feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100)), feature(1, `${COMMUNITY}002`, bowTie)],
      ctx,
    );
    expect(reasons(report.errors)).toEqual(['1:geometry.self_intersection']);
    expect(report.errors[0]!.code).toBe(`${COMMUNITY}002`);
    expect(valid.map((v) => v.index)).toEqual([0]);
  });

  it('reports unclosed rings, too few points, invalid coordinates and wrong geometry types', () => {
    const ring = rect(0, 0, 100, 100).coordinates[0]!;
    const { report } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, { type: 'Polygon', coordinates: [ring.slice(0, -1)] }),
        feature(1, `${COMMUNITY}002`, {
          type: 'Polygon',
          coordinates: [[ring[0], ring[1], ring[0], ring[0]]],
        }),
        feature(2, `${COMMUNITY}003`, { type: 'Polygon', coordinates: [[[NaN, 39.9], ...ring.slice(1)]] }),
        feature(3, `${COMMUNITY}004`, {
          type: 'Polygon',
          coordinates: [
            [
              [181, 39.9],
              [181, 40],
              [180.5, 40],
              [181, 39.9],
            ],
          ],
        }),
        feature(4, `${COMMUNITY}005`, { type: 'Point', coordinates: [116.4, 39.9] }),
        feature(5, `${COMMUNITY}006`, null),
      ],
      ctx,
    );
    expect(reasons(report.errors)).toEqual([
      '0:geometry.unclosed_ring',
      '1:geometry.too_few_points',
      '2:geometry.invalid_coordinates',
      '3:geometry.invalid_coordinates',
      '4:geometry.type',
      '5:geometry.type',
    ]);
  });

  it('accepts a polygon with a hole and a MultiPolygon; rejects a hole crossing its shell', () => {
    const outer = rect(0, 0, 100, 100).coordinates[0]!;
    const hole = rect(40, 40, 60, 60).coordinates[0]!.slice().reverse();
    const crossing = rect(80, 40, 120, 60).coordinates[0]!.slice().reverse();
    const { report } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, { type: 'Polygon', coordinates: [outer, hole] }),
        feature(1, `${COMMUNITY}002`, {
          type: 'MultiPolygon',
          coordinates: [rect(100, 0, 150, 100).coordinates, rect(150, 0, 200, 100).coordinates],
        }),
        feature(2, `${COMMUNITY}003`, { type: 'Polygon', coordinates: [outer, crossing] }),
      ],
      ctx,
    );
    expect(reasons(report.errors)).toEqual(['2:geometry.self_intersection']);
  });

  it('flags duplicate codes on the later feature, naming the first', () => {
    const { report } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100)),
        feature(1, `${COMMUNITY}001`, rect(100, 0, 200, 100)),
      ],
      ctx,
    );
    expect(reasons(report.errors)).toEqual(['1:code.duplicate']);
    expect(report.errors[0]!.message).toContain('feature 0');
  });

  it('flags an orphan grid whose community is neither in the file nor stored', () => {
    const { report } = validateFeatures('grids', [feature(0, '990102001099001', rect(0, 0, 100, 100))], ctx);
    expect(reasons(report.errors)).toEqual(['0:parent.missing']);
  });

  it('converts a 14-digit legacy grid code to 15 digits, with a warning', () => {
    expect(normalizeGridCode('99010200100107')).toEqual({
      code: '990102001001007',
      legacy: '99010200100107',
    });
    expect(normalizeGridCode('99010200100100')).toBeNull();
    const { report, valid } = validateFeatures(
      'grids',
      [
        feature(0, '99010200100101', rect(0, 0, 100, 100)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 200, 100)),
      ],
      ctx,
    );
    expect(report.errors).toEqual([]);
    expect(reasons(report.warnings)).toEqual(['0:code.legacy']);
    expect(valid[0]).toMatchObject({ code: '990102001001001', legacyCode: '99010200100101' });
  });

  it('rejects bad codes, a code not under its declared parent, and a wrong declared level', () => {
    const { report } = validateFeatures(
      'regions',
      [
        feature(0, '12345', rect(0, 0, 10, 10)),
        feature(1, null, rect(0, 0, 10, 10)),
        feature(2, '990102001002', rect(0, 0, 10, 10), { parentCode: '990102002000' }),
        feature(3, '990102001003', rect(0, 0, 10, 10), { level: 'street' }),
      ],
      ctx,
    );
    expect(reasons(report.errors)).toEqual([
      '0:code.invalid',
      '1:code.missing',
      '2:parent.mismatch',
      '3:code.level_mismatch',
    ]);
    const grids = validateFeatures('grids', [feature(0, COMMUNITY, rect(0, 0, 10, 10))], ctx);
    expect(reasons(grids.report.errors)).toEqual(['0:code.invalid']);
  });

  it('flags a grid outside its community beyond the tolerance, not within it', () => {
    const { report } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 103)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 230, 100)),
      ],
      ctx,
      { outsideToleranceM: 5 },
    );
    expect(reasons(report.errors)).toEqual(['1:geometry.outside_parent']);
    expect(report.errors[0]!.message).toMatch(/30\.0 m/);
  });

  it('overlapping siblings: an error above the tolerance, a warning below it', () => {
    const big = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 110, 100)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 200, 100)),
      ],
      ctx,
    );
    expect(reasons(big.report.errors)).toEqual(['1:overlap.siblings']);
    expect(big.report.errors[0]!.message).toContain(`${COMMUNITY}001 (feature 0)`);
    const small = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 100.02, 100)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 200, 100)),
      ],
      ctx,
    );
    expect(small.report.errors).toEqual([]);
    expect(reasons(small.report.warnings)).toEqual(['1:overlap.small']);
  });

  it('checks overlaps against stored grids that the file does not replace', () => {
    const stored: ValidationContext = {
      ...ctx,
      grids: new Map([[`${COMMUNITY}009`, { communityCode: COMMUNITY, geometry: rect(50, 0, 150, 100) }]]),
    };
    const { report } = validateFeatures(
      'grids',
      [feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100))],
      stored,
    );
    expect(reasons(report.errors)).toEqual(['0:overlap.siblings']);
    expect(report.errors[0]!.message).toContain(`stored ${COMMUNITY}009`);
  });

  it('warns about a coverage gap above the tolerance', () => {
    const { report } = validateFeatures(
      'grids',
      [
        feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100)),
        feature(1, `${COMMUNITY}002`, rect(100, 0, 180, 100)),
      ],
      ctx,
    );
    expect(report.errors).toEqual([]);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatchObject({ index: null, code: COMMUNITY, reason: 'coverage.gap' });
    expect(report.warnings[0]!.message).toMatch(/^2000 m²/);
  });

  it('checks regions and grids of one file together: children find parents in the file', () => {
    const { report, valid } = validateFeatures(
      'regions',
      [
        feature(0, '990102001005', rect(0, 200, 100, 300)),
        feature(1, '990102001005001', rect(0, 200, 100, 300)),
        feature(2, '990102001006001', rect(0, 300, 100, 400)),
      ],
      ctx,
    );
    expect(reasons(report.errors)).toEqual(['2:parent.missing']);
    expect(valid.map((v) => v.type)).toEqual(['region', 'grid']);
  });

  it('refuses features outside the importer’s scope', () => {
    const scoped = { ...ctx, inScope: (code: string) => code.startsWith('990102002') };
    const { report } = validateFeatures(
      'grids',
      [feature(0, `${COMMUNITY}001`, rect(0, 0, 100, 100))],
      scoped,
    );
    expect(reasons(report.errors)).toContain('0:scope.outside');
  });

  it('layers: codes are free-form, departments must exist', () => {
    const layerCtx = { ...ctx, departmentCodes: new Set(['CGW']) };
    const { report, valid } = validateFeatures(
      'layer',
      [
        feature(0, 'ZRQ-01', rect(0, 0, 100, 100), { department: 'CGW' }),
        feature(1, 'ZRQ 02', rect(0, 0, 100, 100)),
        feature(2, 'ZRQ-03', rect(0, 0, 100, 100), { department: 'NOPE' }),
      ],
      layerCtx,
    );
    expect(reasons(report.errors)).toEqual(['1:code.invalid', '2:department.not_found']);
    expect(valid.map((v) => v.code)).toEqual(['ZRQ-01']);
  });
});
