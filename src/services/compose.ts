import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../domain/shared/clock.ts';
import type { DB } from '../db/schema.ts';
import { createAuditService } from './audit/audit.service.ts';
import { createCaseScheduler } from './case/case-scheduler.service.ts';
import { createCaseService } from './case/case.service.ts';
import { createDemoService } from './demo/demo.service.ts';
import { createAuthService, type AuthSettings } from './identity/auth.service.ts';
import { createTokenService } from './identity/token.service.ts';
import { createUserService } from './identity/user.service.ts';
import { createDepartmentService } from './org/department.service.ts';
import { createRegionService } from './region/region.service.ts';
import { createLocateService } from './spatial/locate.service.ts';
import { createSystemService } from './system/system.service.ts';
import { createCalendarService } from './taxonomy/calendar.service.ts';
import { createCategoryService } from './taxonomy/category.service.ts';
import { createGridAssignmentService } from './spatial/grid-assignment.service.ts';
import { createGridGenerationService } from './spatial/grid-generation.service.ts';
import { createSpatialImportService } from './spatial/spatial-import.service.ts';
import { createSpatialReadService } from './spatial/spatial-read.service.ts';

export interface ServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  mode: 'demo' | 'production';
  auth: AuthSettings;
  /** How often the case scheduler escalates overdue stages (it runs only once started). */
  schedulerIntervalMs?: number;
}

/** Wires every service once; the server and the CLI both start here. */
export function createServices(deps: ServiceDeps) {
  const { db, clock, ids } = deps;
  const audit = createAuditService({ db, clock });
  const users = createUserService({ db, clock, ids, audit });
  const locate = createLocateService({ db, clock });
  const categories = createCategoryService({ db, clock });
  const calendar = createCalendarService({ db });
  return {
    audit,
    users,
    auth: createAuthService({ db, clock, ids, audit, settings: deps.auth }),
    tokens: createTokenService({ db, clock, ids, audit }),
    regions: createRegionService({ db, clock, audit }),
    departments: createDepartmentService({ db, clock, ids, audit }),
    system: createSystemService({ db, mode: deps.mode, users }),
    demo: createDemoService({ db, clock, ids, users }),
    locate,
    categories,
    calendar,
    cases: createCaseService({ db, clock, ids, locate, categories, calendar }),
    caseScheduler: createCaseScheduler({ db, clock, intervalMs: deps.schedulerIntervalMs ?? 30_000 }),
    spatialImport: createSpatialImportService({ db, clock, ids, audit }),
    spatialRead: createSpatialReadService({ db }),
    gridGeneration: createGridGenerationService({ db, clock, audit }),
    gridAssignment: createGridAssignmentService({ db, clock, audit }),
  };
}

export type Services = ReturnType<typeof createServices>;
