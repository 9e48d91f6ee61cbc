import { rolePermissions, type Permission, type Role } from '../../domain/identity/role.ts';

/** Who is acting: a signed-in staff member, or a machine holding an API token on a staff member's behalf. */
export interface Scope {
  regionCode: string | null;
  departmentId: string | null;
}

export interface Principal {
  kind: 'session' | 'token';
  staffId: string;
  username: string;
  displayName: string;
  role: Role;
  permissions: readonly Permission[];
  scope: Scope;
  tokenId?: string;
}

/** Context every service call receives for authorisation and the audit trail. */
export interface Actor {
  principal: Principal;
  ip: string | null;
}

export function staffPermissions(role: Role): readonly Permission[] {
  return rolePermissions[role];
}
