import { sql, type Expression, type SqlBool } from 'kysely';
import { likeStartsWith } from '../../db/executor.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { levelOfCode, codePrefix } from '../../domain/region/region-code.ts';
import type { Permission } from '../../domain/identity/role.ts';
import type { Executor } from '../../db/executor.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import type { Principal, Scope } from '../identity/principal.ts';

/**
 * The one place that turns a principal's scope into checks and SQL filters. Every service of every module calls
 * it: a staff member sees and acts only inside their region subtree and/or department. Region codes are
 * hierarchical, so "inside the subtree" is "the code starts with the scope's prefix". A principal with neither a
 * region nor a department (only a system-wide administrator) sees everything.
 */
export function isGlobal(principal: Principal): boolean {
  return principal.scope.regionCode === null && principal.scope.departmentId === null;
}

export function regionPrefixOf(principal: Principal): string | null {
  return scopePrefixOf(principal.scope);
}

/** The code prefix a scope's region subtree shares, or null without a region. */
export function scopePrefixOf(scope: Scope): string | null {
  const code = scope.regionCode;
  if (!code) return null;
  const level = levelOfCode(code);
  return level ? codePrefix(code, level) : code;
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.includes(permission)) {
    throw new DomainError('auth.forbidden', `missing permission ${permission}`, { permission });
  }
}

/**
 * Whether the principal's scope covers the whole deployment: system-wide, or a region (with no department) that
 * holds every district, street and community there is — a district deployment's district administrator.
 */
export async function coversDeployment(ex: Executor, principal: Principal): Promise<boolean> {
  if (isGlobal(principal)) return true;
  const prefix = regionPrefixOf(principal);
  if (prefix === null || principal.scope.departmentId !== null) return false;
  const outside = await regionRepository.count(
    ex,
    sql<SqlBool>`level IN ('district', 'street', 'community') AND code NOT LIKE ${prefix + '%'}`,
  );
  return outside === 0;
}

/**
 * Settings that apply to everybody (the catalogue, the work calendar, duplicate detection, webhooks receiving every
 * case's events, responsibility rules for everywhere) are changed only by a principal whose scope covers the whole
 * deployment: a street or a department is never enough.
 */
export async function requireSystemWide(ex: Executor, principal: Principal, setting: string): Promise<void> {
  if (!(await coversDeployment(ex, principal))) {
    throw new DomainError('auth.out_of_scope', `${setting} applies beyond your scope`, { setting });
  }
}

export function canSeeRegion(principal: Principal, code: string): boolean {
  const prefix = regionPrefixOf(principal);
  return prefix === null ? isGlobal(principal) : code.startsWith(prefix);
}

export function assertRegionInScope(principal: Principal, code: string): void {
  if (!canSeeRegion(principal, code)) {
    throw new DomainError('auth.out_of_scope', `region ${code} is outside your scope`, { regionCode: code });
  }
}

/** SQL condition: the region-code column lies in the subtree of `code` (a filter a user asked for, not a scope). */
export function regionSubtreeFilter(column: string, code: string): Expression<SqlBool> {
  const level = levelOfCode(code);
  const prefix = level ? codePrefix(code, level) : code;
  return sql<SqlBool>`${sql.ref(column)} LIKE ${likeStartsWith(prefix)}`;
}

/**
 * SQL condition: the region-code column lies in the principal's subtree. A department-only principal has no
 * region scope and sees nothing by region (callers add department conditions where relevant).
 */
export function regionScopeFilter(principal: Principal, column: string): Expression<SqlBool> {
  if (isGlobal(principal)) return sql<SqlBool>`true`;
  const prefix = regionPrefixOf(principal);
  if (prefix === null) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} LIKE ${prefix + '%'}`;
}

/**
 * SQL condition for records owned by a department and located in a region: department-scoped principals see their
 * department's records; region-scoped principals see records in their subtree; with both, both must hold.
 */
export function departmentScopeFilter(
  principal: Principal,
  departmentColumn: string,
  regionColumn: string,
): Expression<SqlBool> {
  const dep = principal.scope.departmentId;
  const prefix = regionPrefixOf(principal);
  if (dep && prefix) {
    return sql<SqlBool>`(${sql.ref(departmentColumn)} = ${dep} AND ${sql.ref(regionColumn)} LIKE ${prefix + '%'})`;
  }
  if (dep) return sql<SqlBool>`${sql.ref(departmentColumn)} = ${dep}`;
  return regionScopeFilter(principal, regionColumn);
}

/** A staff member's scope as stored: their region and/or department, and where that department is located. */
export interface StaffScope {
  regionCode: string | null;
  departmentId: string | null;
  /** The region of `departmentId` (null when there is no department). */
  departmentRegionCode: string | null;
}

/**
 * Whether a staff member (to be created, edited, reset, or given an API token) lies wholly inside the principal's
 * scope. The one rule for managing staff; `staffScopeFilter` is its SQL twin and must agree with it:
 * - a system-wide principal manages everyone; nobody else manages a system-wide account;
 * - a department-scoped principal manages only staff of that department;
 * - a region-scoped principal manages only staff whose region lies in its subtree and whose department (if any) is
 *   located there too: a department-only account reaches all of its department's records, so the department's own
 *   region is where it counts as being.
 */
export function assertStaffWithin(principal: Principal, staff: StaffScope): void {
  if (isGlobal(principal)) return;
  if (staff.regionCode === null && staff.departmentId === null) {
    throw new DomainError('auth.out_of_scope', 'a system-wide scope is outside your scope');
  }
  const dep = principal.scope.departmentId;
  if (dep && staff.departmentId !== dep) {
    throw new DomainError('auth.out_of_scope', 'department outside your scope', {
      departmentId: staff.departmentId,
    });
  }
  if (regionPrefixOf(principal) === null) return;
  if (staff.regionCode) assertRegionInScope(principal, staff.regionCode);
  if (staff.departmentId) {
    // A department that no longer resolves cannot be placed, so it is not inside any region scope.
    if (!staff.departmentRegionCode) {
      throw new DomainError('auth.out_of_scope', 'department outside your scope', {
        departmentId: staff.departmentId,
      });
    }
    assertRegionInScope(principal, staff.departmentRegionCode);
  }
}

/** `assertStaffWithin` as a predicate. */
export function isStaffWithin(principal: Principal, staff: StaffScope): boolean {
  try {
    assertStaffWithin(principal, staff);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

/**
 * Staff visible to a principal, by the rule of `assertStaffWithin`. The query must join `staff` and `department`
 * (on staff.scope_department_id) under those names.
 */
export function staffScopeFilter(principal: Principal): Expression<SqlBool> {
  return scopeHolderFilter(principal, {
    region: 'staff.scope_region_code',
    department: 'staff.scope_department_id',
    departmentRegion: 'department.region_code',
  });
}

/**
 * SQL condition for records that carry a scope of their own (staff, webhook endpoints): the record's scope lies in
 * the principal's — the SQL twin of `assertScopeWithin`. `departmentRegion` is the region of the record's scope
 * department (a left join). A record with no scope (system-wide) is visible to system-wide principals only.
 */
export function scopeHolderFilter(
  principal: Principal,
  cols: { region: string; department: string; departmentRegion: string },
): Expression<SqlBool> {
  if (isGlobal(principal)) return sql<SqlBool>`true`;
  const region = sql.ref(cols.region);
  const department = sql.ref(cols.department);
  const dep = principal.scope.departmentId;
  const prefix = regionPrefixOf(principal);
  const scoped = sql<SqlBool>`(${region} IS NOT NULL OR ${department} IS NOT NULL)`;
  const ofDepartment = dep ? sql<SqlBool>`${department} = ${dep}` : sql<SqlBool>`true`;
  if (prefix === null) return sql<SqlBool>`(${scoped} AND ${ofDepartment})`;
  const like = prefix + '%';
  return sql<SqlBool>`(${scoped} AND ${ofDepartment}
    AND (${region} IS NULL OR ${region} LIKE ${like})
    AND (${department} IS NULL OR ${sql.ref(cols.departmentRegion)} LIKE ${like}))`;
}

/**
 * Whether a scope contains a case, the rule `canSeeCase` applies to staff: the case lies in the scope's region
 * subtree (when it has one) and one of the case's departments is the scope's department (when it has one). No
 * scope at all contains every case.
 */
export function scopeContainsCase(
  scope: Scope,
  c: { regionCode: string; departmentIds: readonly string[] },
): boolean {
  const prefix = scopePrefixOf(scope);
  if (prefix !== null && !c.regionCode.startsWith(prefix)) return false;
  return scope.departmentId === null || c.departmentIds.includes(scope.departmentId);
}
