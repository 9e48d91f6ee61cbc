import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { rolePermissions, type Role } from '../../domain/identity/role.ts';
import type { Principal } from '../identity/principal.ts';
import {
  assertRegionInScope,
  assertStaffWithin,
  canSeeRegion,
  isGlobal,
  regionPrefixOf,
  requirePermission,
  scopeContainsCase,
} from './scope-guard.ts';

const DEP = '11111111-1111-4111-8111-111111111111';
const OTHER_DEP = '22222222-2222-4222-8222-222222222222';

function principal(role: Role, regionCode: string | null, departmentId: string | null = null): Principal {
  return {
    kind: 'session',
    staffId: 's',
    username: 'u',
    displayName: 'U',
    role,
    permissions: rolePermissions[role],
    scope: { regionCode, departmentId },
  };
}

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
}

describe('scope guard', () => {
  const global = principal('admin', null);
  const district = principal('admin', '990102000000');
  const street = principal('admin', '990102001000');
  const community = principal('grid_worker', '990102001001');
  const depOnly = principal('data_steward', null, DEP);
  const depAndDistrict = principal('handler', '990102000000', DEP);

  it('derives the subtree prefix from the level of the scope region', () => {
    expect(regionPrefixOf(global)).toBeNull();
    expect(regionPrefixOf(district)).toBe('990102');
    expect(regionPrefixOf(street)).toBe('990102001');
    expect(regionPrefixOf(community)).toBe('990102001001');
    expect(regionPrefixOf(depOnly)).toBeNull();
    expect(isGlobal(global)).toBe(true);
    expect(isGlobal(depOnly)).toBe(false);
  });

  it('sees regions inside the subtree only', () => {
    expect(canSeeRegion(global, '990000000000')).toBe(true);
    expect(canSeeRegion(district, '990102004002')).toBe(true);
    expect(canSeeRegion(district, '990100000000')).toBe(false); // the parent city
    expect(canSeeRegion(street, '990102001003')).toBe(true);
    expect(canSeeRegion(street, '990102002001')).toBe(false);
    expect(canSeeRegion(community, '990102001001')).toBe(true);
    expect(canSeeRegion(community, '990102001002')).toBe(false);
    expect(canSeeRegion(community, '990102001000')).toBe(false);
    // A department-only principal has no region subtree at all.
    expect(canSeeRegion(depOnly, '990102000000')).toBe(false);
    expect(codeOf(() => assertRegionInScope(street, '990102002000'))).toBe('auth.out_of_scope');
    expect(codeOf(() => assertRegionInScope(street, '990102001002'))).toBeNull();
  });

  it('checks permissions by role', () => {
    expect(codeOf(() => requirePermission(community, 'user.manage'))).toBe('auth.forbidden');
    expect(codeOf(() => requirePermission(community, 'region.view'))).toBeNull();
    expect(codeOf(() => requirePermission(district, 'user.manage'))).toBeNull();
  });

  it('manages only staff lying wholly inside one’s own scope', () => {
    // Departments DEP and OTHER_DEP are located in the district; a street admin cannot place them in its street.
    const r = (
      regionCode: string | null,
      departmentId: string | null = null,
      depRegion = '990102000000',
    ) => ({
      regionCode,
      departmentId,
      departmentRegionCode: departmentId ? depRegion : null,
    });
    const within = (p: Principal, s: ReturnType<typeof r>) => codeOf(() => assertStaffWithin(p, s));
    expect(within(global, r(null))).toBeNull();
    expect(within(district, r(null))).toBe('auth.out_of_scope');
    expect(within(district, r('990102003001'))).toBeNull();
    expect(within(street, r('990102001000'))).toBeNull();
    expect(within(street, r('990102002000'))).toBe('auth.out_of_scope');
    expect(within(street, r('990102000000'))).toBe('auth.out_of_scope');
    // A department-only account counts as where its department is.
    expect(within(district, r(null, DEP))).toBeNull();
    expect(within(street, r(null, DEP))).toBe('auth.out_of_scope');
    expect(within(street, r(null, DEP, '990102001000'))).toBeNull();
    expect(within(street, r('990102001001', DEP))).toBe('auth.out_of_scope');
    expect(within(street, { regionCode: null, departmentId: DEP, departmentRegionCode: null })).toBe(
      'auth.out_of_scope',
    );
    expect(within(depAndDistrict, r('990102001000', DEP))).toBeNull();
    expect(within(depAndDistrict, r('990102001000', OTHER_DEP))).toBe('auth.out_of_scope');
    expect(within(depAndDistrict, r('990102001000'))).toBe('auth.out_of_scope');
    // A department-only principal reaches its department's records anywhere: any narrower account of it is inside.
    expect(within(depOnly, r(null, DEP))).toBeNull();
    expect(within(depOnly, r('990102001000', DEP))).toBeNull();
    expect(within(depOnly, r('990102001000', OTHER_DEP))).toBe('auth.out_of_scope');
    expect(within(depOnly, r('990102001000'))).toBe('auth.out_of_scope');
  });
});

describe('scopeContainsCase (webhook endpoints)', () => {
  const inStreet = { regionCode: '990102001001', departmentIds: [DEP] };
  it('a region scope holds the cases of its subtree; a department scope those its department handles', () => {
    const street = { regionCode: '990102001000', departmentId: null };
    expect(scopeContainsCase(street, inStreet)).toBe(true);
    expect(scopeContainsCase(street, { ...inStreet, regionCode: '990102002001' })).toBe(false);
    expect(scopeContainsCase({ regionCode: null, departmentId: DEP }, inStreet)).toBe(true);
    expect(scopeContainsCase({ regionCode: null, departmentId: OTHER_DEP }, inStreet)).toBe(false);
    // Both: both must hold.
    expect(scopeContainsCase({ regionCode: '990102002000', departmentId: DEP }, inStreet)).toBe(false);
    expect(scopeContainsCase({ regionCode: null, departmentId: null }, inStreet)).toBe(true);
  });
});
