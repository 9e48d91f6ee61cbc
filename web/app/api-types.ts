import type { Permission, Role } from '../../src/domain/identity/role.ts';

// Response shapes the web app relies on. They mirror the server's contracts until src/contracts exports them.

export interface ProblemIssue {
  field: string;
  reason: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  issues?: ProblemIssue[];
  requestId?: string;
}

export interface Scope {
  regionCode: string | null;
  regionName: string | null;
  departmentId: string | null;
  departmentName: string | null;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  permissions: string[];
  scope: Scope;
  /** The scope covers the whole deployment: settings that apply to everybody may be changed. */
  systemWide: boolean;
  mustChangePassword: boolean;
}

export interface Session {
  user: Me;
  csrfToken: string;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

export interface SystemInfo {
  name: string;
  version: string;
  mode: 'demo' | 'production';
  demoAccounts: DemoAccount[];
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface WorkbenchSummary {
  regions: number;
  grids: number;
  departments: number;
  staff: number | null;
}

export interface UserItem {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  phone: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

export interface Region {
  code: string;
  name: string;
  nameEn: string | null;
  level: RegionLevel;
  parentCode: string | null;
  childCount: number;
}

export interface Department {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  regionCode: string;
  regionName: string | null;
  disabled: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  staffId: string | null;
  staffName: string | null;
  permissions: Permission[];
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface CreatedToken extends Partial<ApiToken> {
  id: string;
  token: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  ip: string | null;
}
