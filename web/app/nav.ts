import type { Permission } from '../../src/domain/identity/role.ts';

export interface NavEntry {
  key: 'workbench' | 'cases' | 'map' | 'analytics' | 'exchange' | 'system';
  path: string;
  permission: Permission;
}

/** The side menu, in order. An entry is hidden when the user lacks its permission. */
export const navEntries: readonly NavEntry[] = [
  { key: 'workbench', path: '/workbench', permission: 'workbench.view' },
  { key: 'cases', path: '/cases', permission: 'case.view' },
  { key: 'map', path: '/map', permission: 'map.view' },
  { key: 'analytics', path: '/analytics', permission: 'analytics.view' },
  { key: 'exchange', path: '/exchange', permission: 'exchange.view' },
  { key: 'system', path: '/system', permission: 'system.manage' },
];

export interface SystemSection {
  key:
    | 'users'
    | 'regions'
    | 'import'
    | 'departments'
    | 'categories'
    | 'calendar'
    | 'responsibility'
    | 'tokens'
    | 'devices'
    | 'audit'
    | 'webhooks';
  permission: Permission;
}

export const systemSections: readonly SystemSection[] = [
  { key: 'users', permission: 'user.manage' },
  { key: 'regions', permission: 'region.view' },
  { key: 'import', permission: 'region.manage' },
  { key: 'departments', permission: 'org.view' },
  { key: 'categories', permission: 'catalogue.manage' },
  { key: 'calendar', permission: 'catalogue.manage' },
  { key: 'responsibility', permission: 'catalogue.manage' },
  { key: 'tokens', permission: 'token.manage' },
  { key: 'webhooks', permission: 'webhook.manage' },
  { key: 'devices', permission: 'device.manage' },
  { key: 'audit', permission: 'audit.view' },
];
