/**
 * The fictional demo district 示范区: a deterministic region tree, unit grids, departments and one account
 * per role, so that a fresh install, the tests and the benchmarks all start from the same realistic data.
 * Everything is derived from a fixed seed; nothing here reads the clock or Math.random.
 */
import { geometryAreaM2 } from '../geo/area.ts';
import { clipPolygonToConvex, isConvex } from '../geo/clip.ts';
import type { Polygon, Position, Ring } from '../geo/geometry.ts';
import { localProjection } from '../geo/projection.ts';
import type { Role } from '../identity/role.ts';
import { gridCode } from './region-code.ts';
import type { RegionLevel } from './region-code.ts';
import { mulberry32 } from '../shared/prng.ts';

export interface DemoRegion {
  code: string;
  name: string;
  nameEn: string;
  level: RegionLevel;
  parentCode: string | null;
  geometry: Polygon | null;
}
export interface DemoGrid {
  code: string;
  communityCode: string;
  name: string;
  nameEn: string;
  geometry: Polygon;
  areaM2: number;
}
export interface DemoDepartment {
  code: string;
  name: string;
  nameEn: string;
  regionCode: string;
}
export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scope: { regionCode?: string; departmentCode?: string };
}
export interface DemoDistrict {
  regions: DemoRegion[];
  grids: DemoGrid[];
  departments: DemoDepartment[];
  accounts: DemoAccount[];
}

export const DEMO_DISTRICT_CODE = '990102000000';
/** South-west corner of the district, the anchor of the metric raster the unit grids are cut from. */
export const DEMO_ORIGIN: Position = [116.35, 39.9];
export const DEMO_GRID_SIZE_M = 100;

const SEED = 0x5a4a4d51;
const COLUMNS = 5;
const ROWS = 4;
/** 3.6 km × 2.7 km (lng 116.350–116.392, lat 39.900–39.924): about 1,200 unit grids of 100 m. */
const WIDTH_M = 3600;
const HEIGHT_M = 2700;
/** Kept below 25 % of a cell so every jittered quadrilateral stays convex. */
const JITTER = 0.15;
const MIN_GRID_AREA_M2 = 1;

/** Streets as blocks of lattice cells; rows count from the north. */
const STREETS = [
  { name: '西城街道', nameEn: 'Xicheng Subdistrict', cols: [0, 2], rows: [0, 1] },
  { name: '北苑街道', nameEn: 'Beiyuan Subdistrict', cols: [3, 4], rows: [0, 1] },
  { name: '南苑街道', nameEn: 'Nanyuan Subdistrict', cols: [0, 2], rows: [2, 3] },
  { name: '东湖街道', nameEn: 'Donghu Subdistrict', cols: [3, 4], rows: [2, 3] },
] as const;

/** Community names in street order, then north→south, west→east within the street's block. */
const COMMUNITIES = (
  '桃园 Taoyuan|柳荫 Liuyin|杏林 Xinglin|枫林 Fenglin|梅苑 Meiyuan|兰亭 Lanting|竹园 Zhuyuan|松鹤 Songhe|荷花池 Hehuachi|槐树岭 Huaishuling|' +
  '银杏 Yinxing|紫藤 Ziteng|丁香 Dingxiang|海棠 Haitang|月季园 Yuejiyuan|玉兰 Yulan|青年湖 Qingnianhu|安华 Anhua|翠微 Cuiwei|金台 Jintai'
)
  .split('|')
  .map((entry) => entry.split(' ') as [string, string]);

const DEPARTMENTS: [string, string, string][] = [
  ['CGW', '区城市管理委员会', 'District Urban Management Commission'],
  ['ZJW', '区住房和城乡建设委员会', 'District Housing and Urban-Rural Development Commission'],
  ['SCJGJ', '区市场监督管理局', 'District Administration for Market Regulation'],
  ['STHJJ', '区生态环境局', 'District Ecology and Environment Bureau'],
  ['JTW', '区交通委员会', 'District Transport Commission'],
  ['YLLHJ', '区园林绿化局', 'District Landscaping and Greening Bureau'],
  ['SWJ', '区水务局', 'District Water Affairs Bureau'],
  ['GAFJ', '区公安分局', 'District Public Security Sub-bureau'],
  ['YJGLJ', '区应急管理局', 'District Emergency Management Bureau'],
  ['MZJ', '区民政局', 'District Civil Affairs Bureau'],
];

/**
 * Lattice vertices in metres from the origin, indexed [column 0..COLUMNS][row line 0..ROWS] with row line 0
 * in the north. Boundary vertices slide only along the boundary so the district outline stays a rectangle.
 */
function buildLattice(rand: () => number): Position[][] {
  const cw = WIDTH_M / COLUMNS;
  const ch = HEIGHT_M / ROWS;
  const lattice: Position[][] = [];
  for (let i = 0; i <= COLUMNS; i++) {
    const column: Position[] = [];
    for (let j = 0; j <= ROWS; j++) {
      // Draw both numbers for every vertex so the sequence does not depend on which ones are used.
      const jx = (rand() * 2 - 1) * JITTER * cw;
      const jy = (rand() * 2 - 1) * JITTER * ch;
      const onWestEast = i === 0 || i === COLUMNS;
      const onNorthSouth = j === 0 || j === ROWS;
      column.push([i * cw + (onWestEast ? 0 : jx), HEIGHT_M - j * ch + (onNorthSouth ? 0 : jy)]);
    }
    lattice.push(column);
  }
  return lattice;
}

/**
 * Counter-clockwise boundary of the block of cells cols c0..c1 × rows r0..r1, keeping every lattice vertex
 * so that the block shares its edges exactly with the cells inside it.
 */
function blockRing(v: Position[][], [c0, c1]: readonly number[], [r0, r1]: readonly number[]): Ring {
  const at = (i: number, j: number): Position => [...v[i]![j]!];
  const ring: Ring = [];
  for (let i = c0!; i <= c1! + 1; i++) ring.push(at(i, r1! + 1)); // south edge, west → east
  for (let j = r1!; j >= r0!; j--) ring.push(at(c1! + 1, j)); // east edge, south → north
  for (let i = c1!; i >= c0!; i--) ring.push(at(i, r0!)); // north edge, east → west
  for (let j = r0! + 1; j <= r1! + 1; j++) ring.push(at(c0!, j)); // west edge, north → south, closes
  return ring;
}

function squareXY(col: number, row: number): Ring {
  const s = DEMO_GRID_SIZE_M;
  const x = col * s;
  const y = row * s;
  return [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ];
}

/** Raster pieces of one community quad, in numbering order: rows from the north, then columns from the west. */
function cutGrids(quadXY: Ring): { ring: Ring; row: number; col: number }[] {
  const xs = quadXY.map((p) => p[0]);
  const ys = quadXY.map((p) => p[1]);
  const s = DEMO_GRID_SIZE_M;
  const pieces: { ring: Ring; row: number; col: number }[] = [];
  for (let row = Math.ceil(Math.max(...ys) / s) - 1; row >= Math.floor(Math.min(...ys) / s); row--) {
    for (let col = Math.floor(Math.min(...xs) / s); col < Math.ceil(Math.max(...xs) / s); col++) {
      const ring = clipPolygonToConvex(squareXY(col, row), quadXY);
      if (ring) pieces.push({ ring, row, col });
    }
  }
  return pieces;
}

export function generateDemoDistrict(): DemoDistrict {
  const rand = mulberry32(SEED);
  const proj = localProjection(DEMO_ORIGIN[0], DEMO_ORIGIN[1]);
  const toPolygon = (ringXY: Ring): Polygon => ({
    type: 'Polygon',
    coordinates: [ringXY.map((p) => proj.toLngLat(p))],
  });
  const lattice = buildLattice(rand);

  const regions: DemoRegion[] = [
    {
      code: '990000000000',
      name: '示范省',
      nameEn: 'Demo Province',
      level: 'province',
      parentCode: null,
      geometry: null,
    },
    {
      code: '990100000000',
      name: '示范市',
      nameEn: 'Demo City',
      level: 'city',
      parentCode: '990000000000',
      geometry: null,
    },
    {
      code: DEMO_DISTRICT_CODE,
      name: '示范区',
      nameEn: 'Demo District',
      level: 'district',
      parentCode: '990100000000',
      geometry: toPolygon(blockRing(lattice, [0, COLUMNS - 1], [0, ROWS - 1])),
    },
  ];
  const communities: DemoRegion[] = [];
  const grids: DemoGrid[] = [];
  let nameIndex = 0;

  STREETS.forEach((street, s) => {
    const streetCode = DEMO_DISTRICT_CODE.slice(0, 6) + String(s + 1).padStart(3, '0') + '000';
    regions.push({
      code: streetCode,
      name: street.name,
      nameEn: street.nameEn,
      level: 'street',
      parentCode: DEMO_DISTRICT_CODE,
      geometry: toPolygon(blockRing(lattice, street.cols, street.rows)),
    });
    let seq = 0;
    for (let r = street.rows[0]; r <= street.rows[1]; r++) {
      for (let c = street.cols[0]; c <= street.cols[1]; c++) {
        const [cn, cnEn] = COMMUNITIES[nameIndex++]!;
        const code = streetCode.slice(0, 9) + String(++seq).padStart(3, '0');
        const quadXY = blockRing(lattice, [c, c], [r, r]);
        if (!isConvex(quadXY)) throw new Error(`demo lattice cell ${c},${r} is not convex`);
        communities.push({
          code,
          name: `${cn}社区`,
          nameEn: `${cnEn} Community`,
          level: 'community',
          parentCode: streetCode,
          geometry: toPolygon(quadXY),
        });
        grids.push(...communityGrids(code, cn, cnEn, quadXY, toPolygon));
      }
    }
  });
  regions.push(...communities);

  const departments = DEPARTMENTS.map(([code, name, nameEn]) => ({
    code,
    name,
    nameEn,
    regionCode: DEMO_DISTRICT_CODE,
  }));
  return { regions, grids, departments, accounts: demoAccounts(communities[0]!.code) };
}

function communityGrids(
  communityCode: string,
  name: string,
  nameEn: string,
  quadXY: Ring,
  toPolygon: (ringXY: Ring) => Polygon,
): DemoGrid[] {
  const grids: DemoGrid[] = [];
  for (const piece of cutGrids(quadXY)) {
    const geometry = toPolygon(piece.ring);
    const areaM2 = geometryAreaM2(geometry);
    if (areaM2 < MIN_GRID_AREA_M2) continue;
    const seq = String(grids.length + 1).padStart(3, '0');
    grids.push({
      code: gridCode(communityCode, grids.length + 1), // throws past 999, the limit of the code
      communityCode,
      name: `${name}社区第${seq}网格`,
      nameEn: `${nameEn} Grid ${seq}`,
      geometry,
      areaM2: Math.round(areaM2 * 100) / 100,
    });
  }
  return grids;
}

function demoAccounts(firstCommunityCode: string): DemoAccount[] {
  const district = { regionCode: DEMO_DISTRICT_CODE };
  return [
    { username: 'admin', displayName: '王建国', role: 'admin', scope: { ...district } },
    { username: 'leader', displayName: '李秀英', role: 'leader', scope: { ...district } },
    { username: 'shiftlead', displayName: '张伟', role: 'shift_lead', scope: { ...district } },
    { username: 'dispatcher', displayName: '刘洋', role: 'dispatcher', scope: { ...district } },
    { username: 'intake', displayName: '陈静', role: 'intake_operator', scope: { ...district } },
    {
      username: 'gridworker',
      displayName: '杨帆',
      role: 'grid_worker',
      scope: { regionCode: firstCommunityCode },
    },
    {
      username: 'handler',
      displayName: '赵磊',
      role: 'handler',
      scope: { ...district, departmentCode: 'CGW' },
    },
    { username: 'steward', displayName: '黄丽', role: 'data_steward', scope: { departmentCode: 'CGW' } },
    { username: 'auditor', displayName: '周敏', role: 'auditor', scope: { ...district } },
  ];
}
