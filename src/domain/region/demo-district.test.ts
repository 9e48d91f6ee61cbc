import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '../geo/area.ts';
import { bboxOf, isClosedRing, planarSignedArea } from '../geo/geometry.ts';
import type { Position, Ring } from '../geo/geometry.ts';
import { isConvex } from '../geo/clip.ts';
import { pointInRing, pointOnRingBoundary } from '../geo/point-in-polygon.ts';
import { localProjection } from '../geo/projection.ts';
import { roles } from '../identity/role.ts';
import { DEMO_DISTRICT_CODE, DEMO_GRID_SIZE_M, DEMO_ORIGIN, generateDemoDistrict } from './demo-district.ts';
import type { DemoRegion } from './demo-district.ts';
import { isGridCode, isRegionCode, levelOfCode, parentCodeOf } from './region-code.ts';

const demo = generateDemoDistrict();
const byLevel = (level: DemoRegion['level']) => demo.regions.filter((r) => r.level === level);
const outer = (r: DemoRegion): Ring => r.geometry!.coordinates[0]!;
const vertexKey = (p: Position) => `${p[0]},${p[1]}`;

describe('demo district region tree', () => {
  it('has valid codes consistent with their parents, parents first', () => {
    const seen = new Set<string>();
    for (const r of demo.regions) {
      expect(isRegionCode(r.code)).toBe(true);
      expect(levelOfCode(r.code)).toBe(r.level);
      expect(r.parentCode).toBe(parentCodeOf(r.code));
      if (r.parentCode) expect(seen.has(r.parentCode)).toBe(true);
      expect(seen.has(r.code)).toBe(false);
      seen.add(r.code);
      expect(r.name).toMatch(/[\u4e00-\u9fff]/);
      expect(r.nameEn).toMatch(/^[A-Z][A-Za-z -]+$/);
    }
    expect(demo.regions.slice(0, 3).map((r) => r.code)).toEqual([
      '990000000000',
      '990100000000',
      DEMO_DISTRICT_CODE,
    ]);
  });

  it('has 4 streets and 20 communities, 6/4/6/4', () => {
    const streets = byLevel('street');
    expect(streets.map((s) => s.code)).toEqual([
      '990102001000',
      '990102002000',
      '990102003000',
      '990102004000',
    ]);
    const communities = byLevel('community');
    expect(communities).toHaveLength(20);
    expect(streets.map((s) => communities.filter((c) => c.parentCode === s.code).length)).toEqual([
      6, 4, 6, 4,
    ]);
    expect(communities[0]).toMatchObject({
      code: '990102001001',
      name: '桃园社区',
      nameEn: 'Taoyuan Community',
    });
    expect(new Set(communities.map((c) => c.name)).size).toBe(20);
  });

  it('gives geometry to the district, streets and communities only: closed, CCW rings', () => {
    for (const r of demo.regions) {
      if (r.level === 'province' || r.level === 'city') {
        expect(r.geometry).toBeNull();
        continue;
      }
      expect(r.geometry?.type).toBe('Polygon');
      expect(isClosedRing(outer(r))).toBe(true);
      expect(planarSignedArea(outer(r))).toBeGreaterThan(0);
    }
    for (const c of byLevel('community')) {
      expect(outer(c)).toHaveLength(5);
      expect(isConvex(outer(c))).toBe(true);
    }
  });

  it('lies around lng 116.35–116.40, lat 39.90–39.93', () => {
    const [w, s, e, n] = bboxOf(byLevel('district')[0]!.geometry!);
    expect(w).toBeCloseTo(116.35, 9);
    expect(s).toBeCloseTo(39.9, 9);
    expect(e).toBeGreaterThan(116.38);
    expect(e).toBeLessThan(116.41);
    expect(n).toBeGreaterThan(39.92);
    expect(n).toBeLessThan(39.935);
  });

  it('tiles exactly: children share vertices with, and add up to, their parent', () => {
    for (const parent of [...byLevel('district'), ...byLevel('street')]) {
      const children = demo.regions.filter((r) => r.parentCode === parent.code);
      const sum = children.reduce((a, c) => a + geometryAreaM2(c.geometry!), 0);
      expect(Math.abs(sum - geometryAreaM2(parent.geometry!)) / sum).toBeLessThan(1e-9);
      // every parent boundary vertex is a vertex of some child: the edges are shared, not re-drawn
      const childVertices = new Set(children.flatMap((c) => outer(c).map(vertexKey)));
      for (const p of outer(parent)) expect(childVertices.has(vertexKey(p))).toBe(true);
    }
  });
});

describe('demo district unit grids', () => {
  const communities = byLevel('community');

  it('has unique valid 15-digit codes under their community, numbered from 001 without gaps', () => {
    expect(new Set(demo.grids.map((g) => g.code)).size).toBe(demo.grids.length);
    expect(demo.grids.length).toBeGreaterThan(1000);
    expect(demo.grids.length).toBeLessThan(1400);
    for (const c of communities) {
      const grids = demo.grids.filter((g) => g.communityCode === c.code);
      expect(grids.length).toBeGreaterThan(0);
      expect(grids.length).toBeLessThanOrEqual(999);
      grids.forEach((g, i) => {
        expect(isGridCode(g.code)).toBe(true);
        expect(g.code).toBe(c.code + String(i + 1).padStart(3, '0'));
      });
    }
    expect(demo.grids[11]).toMatchObject({ name: '桃园社区第012网格', nameEn: 'Taoyuan Grid 012' });
  });

  it('keeps every grid vertex inside or on the edge of its community', () => {
    const ring = new Map(communities.map((c) => [c.code, outer(c)]));
    for (const g of demo.grids) {
      const community = ring.get(g.communityCode)!;
      expect(isClosedRing(g.geometry.coordinates[0]!)).toBe(true);
      expect(planarSignedArea(g.geometry.coordinates[0]!)).toBeGreaterThan(0);
      for (const p of g.geometry.coordinates[0]!) {
        expect(pointInRing(p, community) || pointOnRingBoundary(p, community, 1e-9)).toBe(true);
      }
    }
  });

  it('covers each community: grid areas add up to the community area within 0.5 %', () => {
    for (const c of communities) {
      const grids = demo.grids.filter((g) => g.communityCode === c.code);
      const sum = grids.reduce((a, g) => a + g.areaM2, 0);
      const area = geometryAreaM2(c.geometry!);
      expect(Math.abs(sum - area) / area).toBeLessThan(0.005);
      for (const g of grids) {
        expect(g.areaM2).toBeGreaterThanOrEqual(1);
        expect(g.areaM2).toBeLessThanOrEqual(DEMO_GRID_SIZE_M ** 2 * 1.005);
        expect(Math.abs(g.areaM2 - geometryAreaM2(g.geometry))).toBeLessThan(0.01);
      }
    }
  });

  it('numbers grids west→east, then north→south, on a shared 100 m raster', () => {
    const proj = localProjection(DEMO_ORIGIN[0], DEMO_ORIGIN[1]);
    for (const c of [communities[0]!, communities[13]!]) {
      const cells = demo.grids
        .filter((g) => g.communityCode === c.code)
        .map((g) => {
          const [w, s, e, n] = bboxOf(g.geometry);
          const [x, y] = proj.toXY([(w + e) / 2, (s + n) / 2]);
          return { row: Math.floor(y / DEMO_GRID_SIZE_M), col: Math.floor(x / DEMO_GRID_SIZE_M) };
        });
      for (let i = 1; i < cells.length; i++) {
        const [a, b] = [cells[i - 1]!, cells[i]!];
        expect(b.row < a.row || (b.row === a.row && b.col > a.col)).toBe(true);
      }
      expect(new Set(cells.map((k) => k.row)).size).toBeGreaterThan(5);
    }
  });
});

describe('demo departments and accounts', () => {
  it('has 10 departments with short stable codes in the district', () => {
    expect(demo.departments).toHaveLength(10);
    expect(new Set(demo.departments.map((d) => d.code)).size).toBe(10);
    for (const d of demo.departments) {
      expect(d.code).toMatch(/^[A-Z]{2,8}$/);
      expect(d.regionCode).toBe(DEMO_DISTRICT_CODE);
      expect(d.name.startsWith('区')).toBe(true);
    }
    expect(demo.departments[0]).toMatchObject({ code: 'CGW', name: '区城市管理委员会' });
  });

  it('has exactly one account per role with scopes that exist', () => {
    expect(demo.accounts.map((a) => a.role).sort()).toEqual([...roles].sort());
    expect(new Set(demo.accounts.map((a) => a.username)).size).toBe(roles.length);
    const regionCodes = new Set(demo.regions.map((r) => r.code));
    const departmentCodes = new Set(demo.departments.map((d) => d.code));
    for (const a of demo.accounts) {
      expect(a.scope.regionCode ?? a.scope.departmentCode).toBeDefined();
      if (a.scope.regionCode) expect(regionCodes.has(a.scope.regionCode)).toBe(true);
      if (a.scope.departmentCode) expect(departmentCodes.has(a.scope.departmentCode)).toBe(true);
    }
    const find = (u: string) => demo.accounts.find((a) => a.username === u)!;
    expect(find('admin').scope).toEqual({ regionCode: DEMO_DISTRICT_CODE });
    expect(find('gridworker').scope).toEqual({ regionCode: '990102001001' });
    expect(find('handler').scope).toEqual({ regionCode: DEMO_DISTRICT_CODE, departmentCode: 'CGW' });
    expect(find('steward').scope).toEqual({ departmentCode: 'CGW' });
  });
});

describe('determinism', () => {
  it('produces identical output on every call', () => {
    expect(JSON.stringify(generateDemoDistrict())).toBe(JSON.stringify(demo));
  });
});
