import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import type { Role } from '../../domain/identity/role.ts';
import { generateDemoDistrict, type DemoDistrict } from '../../domain/region/demo-district.ts';
import { bboxOf, geometryAreaM2 } from '../../domain/geo/index.ts';
import type { Executor } from '../../db/executor.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import { appSettingRepository } from '../../db/repositories/app-setting.repository.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { gridRepository } from '../../db/repositories/grid.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import { staffRepository } from '../../db/repositories/staff.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { IdSource } from '../../domain/shared/clock.ts';
import type { UserService } from '../identity/user.service.ts';
import { loadDemoCases } from './demo-cases.ts';

/** Every demo account shares this password; it exists only in demo mode and is printed at start-up. */
export const DEMO_PASSWORD = 'Zhizhi@2026';

export function demoAccountList(): { username: string; password: string; role: Role; displayName: string }[] {
  return generateDemoDistrict().accounts.map((a) => ({
    username: a.username,
    password: DEMO_PASSWORD,
    role: a.role,
    displayName: a.displayName,
  }));
}

export interface DemoLoadReport {
  regions: number;
  grids: number;
  departments: number;
  accounts: number;
  layerFeatures: number;
  assignments: number;
  cases: number;
}

/**
 * "三网叠加" for the demo: the urban-management department's responsibility zones (one per street) and the
 * supervision units (one per community), so that the map's layer toggles and grid info have something to show.
 */
async function loadDemoLayers(ex: Executor, demo: DemoDistrict, now: Date, ids: IdSource): Promise<number> {
  const cgw = await departmentRepository.findByCode(ex, 'CGW');
  const layers = [
    {
      code: 'ZRQ-CGW',
      kind: 'responsibility_zone' as const,
      name: '城市管理责任区',
      nameEn: 'Urban management responsibility zones',
      level: 'street',
      departmentId: cgw?.id ?? null,
      unit: (name: string) => `${name}城管执法队`,
    },
    {
      code: 'JDDY',
      kind: 'supervision_unit' as const,
      name: '监督单元',
      nameEn: 'Supervision units',
      level: 'community',
      departmentId: null,
      unit: (name: string) => `${name}监督组`,
    },
  ];
  let added = 0;
  for (const l of layers) {
    if (await spatialRepository.findLayerByCode(ex, l.code)) continue;
    const layerId = ids.uuid();
    await spatialRepository.insertLayer(ex, {
      id: layerId,
      kind: l.kind,
      code: l.code,
      name: l.name,
      name_en: l.nameEn,
      created_at: now,
      updated_at: now,
    });
    const features = demo.regions.filter((r) => r.level === l.level && r.geometry);
    await spatialRepository.upsertLayerFeatures(
      ex,
      features.map((r) => {
        const [minLng, minLat, maxLng, maxLat] = bboxOf(r.geometry!);
        return {
          id: ids.uuid(),
          layer_id: layerId,
          code: r.code,
          name: `${r.name}${l.kind === 'responsibility_zone' ? '责任区' : '监督单元'}`,
          region_code: r.code,
          department_id: l.departmentId,
          unit_name: l.unit(r.name),
          geometry: JSON.stringify(r.geometry),
          area_m2: geometryAreaM2(r.geometry!),
          min_lng: minLng,
          min_lat: minLat,
          max_lng: maxLng,
          max_lat: maxLat,
          created_at: now,
        };
      }),
    );
    added += features.length;
  }
  return added;
}

/** The demo grid worker patrols every grid of the community they are scoped to. */
async function assignDemoGridWorker(ex: Executor, demo: DemoDistrict, now: Date): Promise<number> {
  let added = 0;
  for (const a of demo.accounts.filter((x) => x.role === 'grid_worker' && x.scope.regionCode)) {
    const staff = await staffRepository.findByUsername(ex, a.username);
    if (!staff) continue;
    for (const g of demo.grids.filter((x) => x.communityCode === a.scope.regionCode)) {
      if ((await spatialRepository.workersOfGrid(ex, g.code)).length > 0) continue;
      await spatialRepository.replaceWorkers(ex, g.code, [staff.id], now);
      added++;
    }
  }
  return added;
}

/**
 * Loads the fictional 示范区. Idempotent: every insert skips what exists, so a second run (or a restart) adds
 * nothing and never overwrites edits made since.
 */
/**
 * A small responsibility list (责任清单) for the demo, so that new cases get a suggested department: owners for
 * a few 部件/事件 大类 and the urban-management commission as the district fallback (区兜底).
 */
async function loadDemoResponsibilityRules(ex: Executor, now: Date, ids: IdSource): Promise<void> {
  if ((await categoryRepository.countRules(ex)) > 0) return;
  const rules: [string, string, string][] = [
    ['', '990102', 'CGW'],
    ['BJ02', '', 'JTW'],
    ['BJ04', '', 'YLLHJ'],
    ['SJ04', '', 'YJGLJ'],
  ];
  for (const [categoryCode, regionCode, code] of rules) {
    const dep = await departmentRepository.findByCode(ex, code);
    if (dep)
      await categoryRepository.insertRule(ex, {
        id: ids.uuid(),
        categoryCode,
        regionCode,
        departmentId: dep.id,
        at: now,
      });
  }
}

export function createDemoService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  users: UserService;
  cipher: FieldCipher;
}) {
  const { db, clock, ids, users, cipher } = deps;
  return {
    async isLoaded(): Promise<boolean> {
      return (await appSettingRepository.get<boolean>(db, 'demo.loaded')) === true;
    },

    async load(onProgress?: (step: string, done: number, total: number) => void): Promise<DemoLoadReport> {
      const demo = generateDemoDistrict();
      const now = clock.now();
      const total = 4;
      return db.transaction().execute(async (trx) => {
        onProgress?.('regions', 0, total);
        const regions = await regionRepository.insertMissing(
          trx,
          demo.regions.map((r) => {
            const box = r.geometry ? bboxOf(r.geometry) : null;
            return {
              code: r.code,
              name: r.name,
              name_en: r.nameEn,
              level: r.level,
              parent_code: r.parentCode,
              geometry: r.geometry ? JSON.stringify(r.geometry) : null,
              min_lng: box?.[0] ?? null,
              min_lat: box?.[1] ?? null,
              max_lng: box?.[2] ?? null,
              max_lat: box?.[3] ?? null,
              created_at: now,
              updated_at: now,
            };
          }),
        );
        onProgress?.('grids', 1, total);
        const grids = await gridRepository.insertMissing(
          trx,
          demo.grids.map((g) => {
            const [minLng, minLat, maxLng, maxLat] = bboxOf(g.geometry);
            return {
              code: g.code,
              community_code: g.communityCode,
              name: g.name,
              geometry: JSON.stringify(g.geometry),
              area_m2: g.areaM2,
              min_lng: minLng,
              min_lat: minLat,
              max_lng: maxLng,
              max_lat: maxLat,
              legacy_code: null,
              created_at: now,
            };
          }),
        );
        onProgress?.('departments', 2, total);
        let departments = 0;
        for (const d of demo.departments) {
          if (await departmentRepository.findByCode(trx, d.code)) continue;
          await departmentRepository.insert(trx, {
            id: ids.uuid(),
            code: d.code,
            name: d.name,
            name_en: d.nameEn,
            region_code: d.regionCode,
            created_at: now,
            updated_at: now,
          });
          departments++;
        }
        onProgress?.('accounts', 3, total);
        let accounts = 0;
        for (const a of demo.accounts) {
          if (await staffRepository.findByUsername(trx, a.username)) continue;
          const dep = a.scope.departmentCode
            ? await departmentRepository.findByCode(trx, a.scope.departmentCode)
            : undefined;
          await users.createUnchecked(trx, {
            username: a.username,
            displayName: a.displayName,
            role: a.role,
            password: DEMO_PASSWORD,
            scope: {
              ...(a.scope.regionCode ? { regionCode: a.scope.regionCode } : {}),
              ...(dep ? { departmentId: dep.id } : {}),
            },
          });
          accounts++;
        }
        await loadDemoResponsibilityRules(trx, now, ids);
        const layerFeatures = await loadDemoLayers(trx, demo, now, ids);
        const assignments = await assignDemoGridWorker(trx, demo, now);
        if (regions + grids + layerFeatures + assignments > 0) await spatialRepository.bumpVersion(trx, now);
        const cases = await loadDemoCases(trx, { demo, now, ids, cipher });
        await appSettingRepository.set(trx, 'demo.loaded', true, now);
        onProgress?.('done', total, total);
        return { regions, grids, departments, accounts, layerFeatures, assignments, cases };
      });
    },
  };
}

export type DemoService = ReturnType<typeof createDemoService>;
