import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { PageRequest } from '../../db/executor.ts';
import { departmentRepository, type DepartmentListRow } from '../../db/repositories/department.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CreateDepartmentInput, UpdateDepartmentInput } from '../../contracts/org.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, departmentScopeFilter, requirePermission } from '../scope/scope-guard.ts';

function toView(r: DepartmentListRow) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    regionCode: r.region_code,
    regionName: r.region_name,
    disabled: r.disabled,
  };
}

/** Departments (部门): each belongs to the region it serves; department staff see only their own. */
export function createDepartmentService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
}) {
  const { db, clock, ids, audit } = deps;
  const scopeOf = (actor: Actor) =>
    departmentScopeFilter(actor.principal, 'department.id', 'department.region_code');

  async function get(actor: Actor, id: string) {
    requirePermission(actor.principal, 'org.view');
    const { rows } = await departmentRepository.list(
      db,
      { scope: scopeOf(actor), id },
      { page: 1, pageSize: 1 },
    );
    const row = rows[0];
    if (!row) throw new DomainError('resource.not_found', 'department not found', { id });
    return toView(row);
  }

  return {
    get,

    async list(actor: Actor, filter: { q?: string | undefined }, page: PageRequest) {
      requirePermission(actor.principal, 'org.view');
      const { rows, total } = await departmentRepository.list(db, { ...filter, scope: scopeOf(actor) }, page);
      return { items: rows.map(toView), total, ...page };
    },

    async create(actor: Actor, input: CreateDepartmentInput) {
      requirePermission(actor.principal, 'org.manage');
      assertRegionInScope(actor.principal, input.regionCode);
      const id = ids.uuid();
      await db.transaction().execute(async (trx) => {
        if (!(await regionRepository.findByCode(trx, input.regionCode))) {
          throw new DomainError('validation.failed', 'unknown region', {}, [
            { field: 'body.regionCode', reason: 'not_found', message: 'region.not_found' },
          ]);
        }
        if (await departmentRepository.findByCode(trx, input.code)) {
          throw new DomainError('department.duplicate_code', undefined, { code: input.code }, [
            { field: 'body.code', reason: 'duplicate', message: 'department.duplicate_code' },
          ]);
        }
        const now = clock.now();
        await departmentRepository.insert(trx, {
          id,
          code: input.code,
          name: input.name,
          name_en: input.nameEn ?? null,
          region_code: input.regionCode,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, actor, {
          action: 'department.create',
          targetType: 'department',
          targetId: id,
          details: { code: input.code, name: input.name },
        });
      });
      return get(actor, id);
    },

    async update(actor: Actor, id: string, patch: UpdateDepartmentInput) {
      requirePermission(actor.principal, 'org.manage');
      await get(actor, id);
      await db.transaction().execute(async (trx) => {
        await departmentRepository.update(trx, id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          updated_at: clock.now(),
        });
        await audit.record(trx, actor, {
          action: 'department.update',
          targetType: 'department',
          targetId: id,
          details: { changes: patch },
        });
      });
      return get(actor, id);
    },
  };
}

export type DepartmentService = ReturnType<typeof createDepartmentService>;
