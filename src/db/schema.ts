import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types of every table, as Kysely sees them. Keep in step with src/db/migrations. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface RegionTable {
  code: string;
  name: string;
  name_en: string | null;
  level: 'province' | 'city' | 'district' | 'street' | 'community';
  parent_code: string | null;
  geometry: ColumnType<unknown, string | null, string | null> | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GridTable {
  code: string;
  community_code: string;
  name: string;
  geometry: ColumnType<unknown, string, string>;
  area_m2: number;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  legacy_code: string | null;
  created_at: Timestamp;
}

export interface LayerTable {
  id: string;
  kind: 'responsibility_zone' | 'supervision_unit' | 'other';
  code: string;
  name: string;
  name_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LayerFeatureTable {
  id: string;
  layer_id: string;
  code: string;
  name: string;
  region_code: string | null;
  department_id: string | null;
  unit_name: string | null;
  geometry: ColumnType<unknown, string, string>;
  area_m2: number;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  created_at: Timestamp;
}

export interface GridAssignmentTable {
  grid_code: string;
  staff_id: string;
  created_at: Timestamp;
}

export interface DepartmentTable {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  region_code: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_region_code: string | null;
  scope_department_id: string | null;
  phone: string | null;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  must_change_password: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionTable {
  id_hash: string;
  staff_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  prefix: string;
  token_hash: string;
  staff_id: string;
  permissions: string[];
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: ColumnType<unknown, string, string>;
  ip: string | null;
}

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface DB {
  region: RegionTable;
  grid: GridTable;
  layer: LayerTable;
  layer_feature: LayerFeatureTable;
  grid_assignment: GridAssignmentTable;
  department: DepartmentTable;
  staff: StaffTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  app_setting: AppSettingTable;
}

export type RegionRow = Selectable<RegionTable>;
export type GridRow = Selectable<GridTable>;
export type DepartmentRow = Selectable<DepartmentTable>;
export type StaffRow = Selectable<StaffTable>;
export type NewStaff = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
