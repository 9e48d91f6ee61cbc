import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import type { StaffScope } from './scope-guard.ts';

/**
 * A scope given in a request body (`body.scope`) for something that holds one (a staff account, a webhook
 * endpoint): its region and department must exist; the department's location is looked up so that the scope
 * guard can place it (`assertStaffWithin`).
 */
export async function resolveScopeInput(
  ex: Executor,
  input: { regionCode?: string | null | undefined; departmentId?: string | null | undefined },
): Promise<StaffScope> {
  const regionCode = input.regionCode ?? null;
  const departmentId = input.departmentId ?? null;
  if (regionCode && !(await regionRepository.findByCode(ex, regionCode))) {
    throw new DomainError('validation.failed', 'unknown region', {}, [
      { field: 'body.scope.regionCode', reason: 'not_found', message: 'region.not_found' },
    ]);
  }
  let departmentRegionCode: string | null = null;
  if (departmentId) {
    const dep = await departmentRepository.findById(ex, departmentId);
    if (!dep) {
      throw new DomainError('validation.failed', 'unknown department', {}, [
        { field: 'body.scope.departmentId', reason: 'not_found', message: 'department.not_found' },
      ]);
    }
    departmentRegionCode = dep.region_code;
  }
  return { regionCode, departmentId, departmentRegionCode };
}
