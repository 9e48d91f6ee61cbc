import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { gridRepository } from '../../db/repositories/grid.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import type { SystemInfo } from '../../contracts/system.schema.ts';
import type { Actor } from '../identity/principal.ts';
import type { UserService } from '../identity/user.service.ts';
import { departmentScopeFilter, regionScopeFilter, requirePermission } from '../scope/scope-guard.ts';
import { demoAccountList } from '../demo/demo.service.ts';

export const APP_VERSION = '0.1.0';

/** What the login page may know before sign-in, and the workbench's headline counts. */
export function createSystemService(deps: {
  db: Kysely<DB>;
  mode: 'demo' | 'production';
  users: UserService;
}) {
  const { db, mode, users } = deps;
  return {
    info(): SystemInfo {
      return {
        name: 'Zhizhi 智治',
        version: APP_VERSION,
        mode,
        demoAccounts: mode === 'demo' ? demoAccountList() : [],
      };
    },

    async workbenchSummary(actor: Actor) {
      requirePermission(actor.principal, 'workbench.view');
      const p = actor.principal;
      const [regions, grids, departments] = await Promise.all([
        regionRepository.count(db, regionScopeFilter(p, 'code')),
        gridRepository.count(db, regionScopeFilter(p, 'community_code')),
        departmentRepository.count(db, departmentScopeFilter(p, 'id', 'region_code')),
      ]);
      const staff = p.permissions.includes('user.manage')
        ? (await users.list(actor, {}, { page: 1, pageSize: 1 })).total
        : null;
      return { regions, grids, departments, staff };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
