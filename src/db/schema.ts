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

export interface CategoryVersionTable {
  version: number;
  effective_at: Timestamp;
  note: Generated<string>;
  defaults: ColumnType<unknown, string, string>;
}

export interface CategoryTable {
  version: number;
  code: string;
  kind: 'component' | 'event' | 'hotline';
  parent_code: string | null;
  level: 'major' | 'minor' | 'item';
  segment: string;
  name: string;
  name_en: string | null;
  dispatch_rule: 'owner_first' | 'territory_first';
  requires_verification: boolean;
  time_limits: ColumnType<unknown, string, string>;
  department_hint: Generated<string[]>;
  active: Generated<boolean>;
  detail: ColumnType<unknown, string | undefined, string>;
}

export interface CalendarYearTable {
  year: number;
  holidays: ColumnType<unknown, string[], string[]>;
  makeup_workdays: ColumnType<unknown, string[], string[]>;
  updated_at: Timestamp;
  source: Generated<string>;
  updated_by: Generated<string | null>;
}

export interface ResponsibilityRuleTable {
  id: string;
  category_code: Generated<string>;
  region_code: Generated<string>;
  department_id: string;
  priority: Generated<number>;
  created_at: Timestamp;
}

export interface CaseCodeCounterTable {
  day: string;
  last: number;
}

export interface CaseTable {
  id: string;
  code: string;
  state: string;
  version: number;
  category_code: string;
  category_version: number;
  urgency: string;
  title: string;
  description: string;
  channel: string;
  lng: number;
  lat: number;
  address: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  district_code: string | null;
  region_code: string;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_role: string | null;
  suggested_department_id: string | null;
  stage: string | null;
  stage_started_at: Timestamp | null;
  stage_deadline: Timestamp | null;
  stage_warn_at: Timestamp | null;
  stage_time_kind: 'working' | 'natural' | null;
  suspended_at: Timestamp | null;
  replied_at: Timestamp | null;
  reply_satisfaction: string | null;
  reply_resolved: boolean | null;
  duplicate_of: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  /** SHA-256 (hex) of the citizen's tracking token; the token itself is never stored. */
  tracking_token_hash: Generated<string | null>;
}

export interface AttachmentTable {
  id: string;
  case_id: string | null;
  case_event_id: string | number | null;
  purpose: 'report' | 'evidence' | null;
  content_type: string;
  byte_size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  data: Buffer;
  uploaded_by: string | null;
  public_upload: boolean;
  created_at: Timestamp;
}

export interface CaseEventTable {
  id: Generated<string>;
  case_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  event: string;
  from_state: string | null;
  to_state: string;
  comment: string | null;
  payload: ColumnType<unknown, string, string>;
}

export interface CaseTaskTable {
  case_id: string;
  department_id: string;
  state: string;
  lead: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdempotencyKeyTable {
  key: string;
  scope: string;
  request_hash: string;
  response: ColumnType<unknown, string | null, string | null> | null;
  created_at: Timestamp;
}

export interface LedgerEntryTable {
  id: Generated<string>;
  at: Timestamp;
  kind: string;
  subject_type: string;
  subject_id: string;
  payload: ColumnType<unknown, string, string>;
}

export interface CaseEscalationTable {
  id: Generated<string>;
  case_id: string;
  stage: string;
  stage_started_at: Timestamp;
  stage_deadline: Timestamp;
  escalated_at: Timestamp;
  notified: ColumnType<unknown, string, string>;
}

export interface DeviceTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  region_code: string;
  grid_code: string | null;
  lng: number;
  lat: number;
  category_code: string;
  urgency: string;
  token_hash: string;
  token_prefix: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  token_rotated_at: Timestamp | null;
  last_seen_at: Timestamp | null;
}

export interface DeviceAlarmTable {
  device_id: string;
  alarm_id: string;
  case_id: string;
  observed_at: Timestamp;
  readings: ColumnType<unknown, string, string>;
  received_at: Timestamp;
}

/** A spatial import job; `view` is the job as the API shows it (ImportJobView). */
export interface ImportJobTable {
  id: string;
  owner_id: string;
  kind: string;
  status: 'queued' | 'validating' | 'writing' | 'done' | 'failed';
  view: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A rate limit's count for one bucket, key and fixed window (see migration 0014). */
export interface RateCounterTable {
  bucket: string;
  key: string;
  window_start: Timestamp;
  window_end: Timestamp;
  count: number;
  last_at: Timestamp;
}

export interface NotificationTable {
  id: string;
  recipient_id: string;
  kind: 'assignment' | 'overdue' | 'reply' | 'supervise' | 'merged';
  case_id: string | null;
  title: string;
  body: Generated<string>;
  data: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface WebhookEndpointTable {
  id: string;
  name: string;
  url: string;
  /** Encrypted with the field cipher. */
  secret: string;
  events: string[];
  active: Generated<boolean>;
  /** The endpoint's scope, like a staff member's; both null = the whole deployment. */
  scope_region_code: string | null;
  scope_department_id: string | null;
  /** Whether deliveries carry names and phone numbers in clear (otherwise masked). */
  personal_data: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  event: string;
  payload: ColumnType<unknown, string, string>;
  /** Personal data for the receiver (JSON, encrypted with the field cipher); cleared once finished. */
  personal: string | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
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
  category_version: CategoryVersionTable;
  category: CategoryTable;
  calendar_year: CalendarYearTable;
  responsibility_rule: ResponsibilityRuleTable;
  case_code_counter: CaseCodeCounterTable;
  case: CaseTable;
  case_event: CaseEventTable;
  case_task: CaseTaskTable;
  idempotency_key: IdempotencyKeyTable;
  ledger_entry: LedgerEntryTable;
  case_escalation: CaseEscalationTable;
  attachment: AttachmentTable;
  notification: NotificationTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
  device: DeviceTable;
  device_alarm: DeviceAlarmTable;
  import_job: ImportJobTable;
  rate_counter: RateCounterTable;
}

export type RegionRow = Selectable<RegionTable>;
export type GridRow = Selectable<GridTable>;
export type DepartmentRow = Selectable<DepartmentTable>;
export type StaffRow = Selectable<StaffTable>;
export type NewStaff = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type CaseRow = Selectable<CaseTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type ImportJobRow = Selectable<ImportJobTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
