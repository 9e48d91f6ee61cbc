import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../domain/shared/clock.ts';
import type { DB } from '../db/schema.ts';
import { createAttachmentService } from './attachment/attachment.service.ts';
import { createUploadSweeper } from './attachment/upload-sweeper.ts';
import { createAuditService } from './audit/audit.service.ts';
import { createCaseScheduler } from './case/case-scheduler.service.ts';
import { createCaseService } from './case/case.service.ts';
import { createCaseDuplicateService } from './case/case-duplicates.ts';
import { createFieldCipher } from './crypto/field-cipher.ts';
import { createDemoService } from './demo/demo.service.ts';
import { createCaseNotifier } from './notification/case-notifier.ts';
import { createNotificationService } from './notification/notification.service.ts';
import { createWebhookOutbox } from './notification/webhook-outbox.ts';
import { createWebhookService } from './notification/webhook.service.ts';
import { createWebhookWorker } from './notification/webhook-worker.ts';
import { createOutboundGuard, type Resolver } from './net/outbound-guard.ts';
import { createDeviceService } from './device/device.service.ts';
import type { AlarmLimits } from '../domain/device/alarm-checks.ts';
import { createSensorAlarmService } from './device/sensor-alarm.service.ts';
import { createAuthService, type AuthSettings } from './identity/auth.service.ts';
import { createTokenService } from './identity/token.service.ts';
import { createUserService } from './identity/user.service.ts';
import { createDepartmentService } from './org/department.service.ts';
import { createPublicCaseService } from './public/public-case.service.ts';
import { createPublicGeoService } from './public/public-geo.service.ts';
import { createRegionService } from './region/region.service.ts';
import { createLocateService } from './spatial/locate.service.ts';
import { createSystemService } from './system/system.service.ts';
import { createCalendarService } from './taxonomy/calendar.service.ts';
import { createCategoryService } from './taxonomy/category.service.ts';
import { createResponsibilityService } from './taxonomy/responsibility.service.ts';
import { createCaseBulkService } from './case/case-bulk.ts';
import { createCaseExportService } from './case/case-export.ts';
import { createGridAssignmentService } from './spatial/grid-assignment.service.ts';
import { createGridGenerationService } from './spatial/grid-generation.service.ts';
import { createSpatialImportService } from './spatial/spatial-import.service.ts';
import { createSpatialReadService } from './spatial/spatial-read.service.ts';
import { createRateLimiter } from './shared/rate-limiter.ts';

export interface ServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  mode: 'demo' | 'production';
  auth: AuthSettings;
  /** How often the case scheduler escalates overdue stages (it runs only once started). */
  schedulerIntervalMs?: number;
  /** Webhook delivery worker: poll interval, request timeout, attempts before giving up (it runs only once started). */
  webhooks?: { intervalMs?: number; timeoutMs?: number; maxAttempts?: number };
  /** Outbound connections (webhook receivers): OUTBOUND_ALLOW_CIDRS, and a resolver for tests. */
  outbound?: { allowCidrs?: string; resolve?: Resolver };
  /** The 32-byte key that encrypts personal fields at rest (see crypto/field-cipher.ts). */
  fieldKey: Buffer;
  /** Unlinked uploads are deleted once older than this (hours; default 24). */
  uploadRetentionHours?: number;
  /** Alarms each sensor may send per minute (default 60). */
  sensorRatePerMinute?: number;
  /** How far a sensor alarm's location and observation time may stray (defaults: 50 m, 300 s). */
  sensorLimits?: AlarmLimits;
}

/** Wires every service once; the server and the CLI both start here. */
export function createServices(deps: ServiceDeps) {
  const { db, clock, ids } = deps;
  const audit = createAuditService({ db, clock });
  const users = createUserService({ db, clock, ids, audit });
  const locate = createLocateService({ db, clock });
  const categories = createCategoryService({ db, clock, audit });
  const calendar = createCalendarService({ db, clock, audit });
  const cipher = createFieldCipher(deps.fieldKey);
  const outbox = createWebhookOutbox({ ids, cipher });
  const guard = createOutboundGuard({ ...deps.outbound });
  const notifier = createCaseNotifier({ ids, cipher, outbox });
  const cases = createCaseService({ db, clock, ids, locate, categories, calendar, cipher, notifier });
  const attachments = createAttachmentService({ db, clock, ids, fieldKey: deps.fieldKey });
  const rateLimiter = createRateLimiter({ db, clock });
  return {
    cipher,
    audit,
    users,
    rateLimiter,
    auth: createAuthService({ db, clock, ids, audit, settings: deps.auth, limiter: rateLimiter }),
    tokens: createTokenService({ db, clock, ids, audit }),
    regions: createRegionService({ db, clock, audit }),
    departments: createDepartmentService({ db, clock, ids, audit }),
    system: createSystemService({ db, mode: deps.mode, users }),
    demo: createDemoService({ db, clock, ids, users, cipher }),
    locate,
    categories,
    calendar,
    cases,
    attachments,
    publicCases: createPublicCaseService({ db, ids, cases, attachments, cipher }),
    publicGeo: createPublicGeoService({ db, categories, locate }),
    caseBulk: createCaseBulkService({ db, cases }),
    caseExport: createCaseExportService({ db, clock }),
    responsibility: createResponsibilityService({ db, clock, ids, audit, categories, locate }),
    devices: createDeviceService({ db, clock, ids, audit, locate, categories }),
    sensorAlarms: createSensorAlarmService({
      db,
      clock,
      cases,
      limiter: rateLimiter,
      ratePerMinute: deps.sensorRatePerMinute,
      limits: deps.sensorLimits,
    }),
    caseScheduler: createCaseScheduler({
      db,
      clock,
      intervalMs: deps.schedulerIntervalMs ?? 30_000,
      notifier,
    }),
    caseDuplicates: createCaseDuplicateService({ db, clock, audit }),
    notifications: createNotificationService({ db, clock }),
    webhooks: createWebhookService({ db, clock, ids, cipher, audit, outbox, guard }),
    webhookWorker: createWebhookWorker({
      db,
      clock,
      cipher,
      guard,
      intervalMs: deps.webhooks?.intervalMs ?? 5_000,
      ...(deps.webhooks?.timeoutMs !== undefined ? { timeoutMs: deps.webhooks.timeoutMs } : {}),
      ...(deps.webhooks?.maxAttempts !== undefined ? { maxAttempts: deps.webhooks.maxAttempts } : {}),
    }),
    uploadSweeper: createUploadSweeper({
      db,
      clock,
      retentionHours: deps.uploadRetentionHours ?? 24,
      intervalMs: 3_600_000,
    }),
    spatialImport: createSpatialImportService({ db, clock, ids, audit }),
    spatialRead: createSpatialReadService({ db }),
    gridGeneration: createGridGenerationService({ db, clock, audit }),
    gridAssignment: createGridAssignmentService({ db, clock, audit }),
  };
}

export type Services = ReturnType<typeof createServices>;
