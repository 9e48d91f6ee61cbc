/**
 * The roles of product.md and what each may use. The server enforces permissions on every route; the web shell
 * uses the same table only to hide navigation a role cannot use.
 */
export const roles = [
  'admin',
  'leader',
  'shift_lead',
  'dispatcher',
  'intake_operator',
  'grid_worker',
  'handler',
  'data_steward',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'workbench.view',
  'case.view',
  'case.create',
  'case.act',
  'map.view',
  'analytics.view',
  'exchange.view',
  'system.manage',
  'region.view',
  'region.manage',
  'org.view',
  'org.manage',
  'user.manage',
  'token.manage',
  'audit.view',
  'device.manage',
  /** Outbound webhooks (SMS / messaging gateways): administrators only. */
  'webhook.manage',
  /** Edit the category catalogue (as new versions), the work calendar and the responsibility list. */
  'catalogue.manage',
] as const;
export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['workbench.view', 'case.view', 'map.view', 'region.view', 'org.view'];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: [...permissions],
  leader: [...everyone, 'analytics.view', 'exchange.view', 'case.act'],
  shift_lead: [...everyone, 'analytics.view', 'case.create', 'case.act'],
  dispatcher: [...everyone, 'analytics.view', 'case.act'],
  intake_operator: [...everyone, 'case.create', 'case.act'],
  grid_worker: [...everyone, 'case.create', 'case.act'],
  handler: [...everyone, 'case.act'],
  data_steward: [...everyone, 'exchange.view'],
  auditor: [...everyone, 'analytics.view', 'exchange.view', 'audit.view'],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
