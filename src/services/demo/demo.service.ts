import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import type { Role } from '../../domain/identity/role.ts';
import { generateDemoDistrict } from '../../domain/region/demo-district.ts';
import { bboxOf } from '../../domain/geo/index.ts';
import { appSettingRepository } from '../../db/repositories/app-setting.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { gridRepository } from '../../db/repositories/grid.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import { staffRepository } from '../../db/repositories/staff.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { IdSource } from '../../domain/shared/clock.ts';
import type { UserService } from '../identity/user.service.ts';

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
}

/**
 * Loads the fictional 示范区. Idempotent: every insert skips what exists, so a second run (or a restart) adds
 * nothing and never overwrites edits made since.
 */
export function createDemoService(deps: { db: Kysely<DB>; clock: Clock; ids: IdSource; users: UserService }) {
  const { db, clock, ids, users } = deps;
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
        await appSettingRepository.set(trx, 'demo.loaded', true, now);
        onProgress?.('done', total, total);
        return { regions, grids, departments, accounts };
      });
    },
  };
}

export type DemoService = ReturnType<typeof createDemoService>;
