import { sql, type Kysely } from 'kysely';
import type {
  DuplicateCandidatesInput,
  DuplicateList,
  DuplicateSettings,
} from '../../contracts/case-duplicates.schema.ts';
import { allowedEvents, finalStates, type CaseState } from '../../domain/case/case-workflow.ts';
import { EARTH_RADIUS_M } from '../../domain/geo/area.ts';
import { toWgs84 } from '../../domain/geo/crs.ts';
import type { Position } from '../../domain/geo/geometry.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import { appSettingRepository } from '../../db/repositories/app-setting.repository.ts';
import { recordCaseEvent } from '../ledger/case-record.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { CaseRow, DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor, Principal } from '../identity/principal.ts';
import type { CaseNotifier, ReplyFacts } from '../notification/case-notifier.ts';
import { requirePermission, requireSystemWide } from '../scope/scope-guard.ts';
import { badField } from './case-create.ts';
import { canSeeCase, caseScopeFilter } from './case-scope.ts';

export const DUPLICATE_SETTINGS_KEY = 'case.duplicates';
export const defaultDuplicateSettings: DuplicateSettings = { radiusM: 100, windowHours: 72 };

/** Candidates looked at per query before exact distances (the box rarely holds more). */
const SCAN_LIMIT = 500;
/** Candidates returned. */
const RESULT_LIMIT = 50;
const RAD = Math.PI / 180;
const HOUR = 3_600_000;

/** Great-circle distance in metres (haversine, on the same sphere as our area computations). */
export function haversineM([lng1, lat1]: Position, [lng2, lat2]: Position): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A lng/lat box that contains every point within `radiusM` of the centre (slightly larger, never smaller). */
export function boundingBox([lng, lat]: Position, radiusM: number) {
  const dLat = (radiusM / (EARTH_RADIUS_M * RAD)) * 1.01;
  const cosLat = Math.cos(Math.min(89, Math.abs(lat) + dLat) * RAD);
  const dLng = Math.min(180, dLat / Math.max(cosLat, 1e-6));
  return { minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat };
}

/** The reply as recorded on the master case, with who recorded it. */
export interface ReplyRecord extends ReplyFacts {
  actorName: string | null;
  role: string | null;
}

/**
 * Every case merged into `master`, directly or through a chain of merges (cycle-safe), locked for update.
 */
async function mergedCases(ex: Executor, masterId: string): Promise<CaseRow[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE dup(id) AS (
      SELECT id FROM "case" WHERE duplicate_of = ${masterId} AND state = 'merged'
      UNION
      SELECT c.id FROM "case" c JOIN dup ON c.duplicate_of = dup.id WHERE c.state = 'merged'
    )
    SELECT id FROM dup
  `.execute(ex);
  const out: CaseRow[] = [];
  for (const { id } of rows) {
    if (id === masterId) continue;
    const row = await caseRepository.findForUpdate(ex, id);
    if (row) out.push(row);
  }
  return out.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
}

/**
 * The reply reaches every reporter (一案多人反映，一并回访): records the master's reply on every case merged into
 * it — replied_at / satisfaction / resolved, a `reply` timeline event with `{ via: master code }` and a ledger
 * row — then notifies every reporter (`case.replied`) and the cases' creators. Call it in the transaction that
 * applied the `reply` transition to `master`, whoever sent it (the intake operator's 回访 or the reporter's own
 * rating). Returns the merged cases it reached.
 */
export async function replyReached(
  ex: Executor,
  notifier: CaseNotifier | undefined,
  master: CaseRow,
  reply: ReplyRecord,
): Promise<CaseRow[]> {
  const merged = await mergedCases(ex, master.id);
  for (const row of merged) {
    const version = row.version + 1;
    await caseRepository.update(ex, row.id, row.version, {
      version,
      replied_at: reply.at,
      reply_satisfaction: reply.satisfaction,
      reply_resolved: reply.resolved,
      updated_at: reply.at,
    });
    const payload = { via: master.code, satisfaction: reply.satisfaction, resolved: reply.resolved };
    await recordCaseEvent(ex, {
      caseId: row.id,
      at: reply.at,
      actor: { id: reply.actorId, name: reply.actorName, role: reply.role },
      event: 'reply',
      from: row.state,
      to: row.state,
      comment: reply.comment,
      details: payload,
      fact: {
        kind: 'case.event',
        payload: {
          code: row.code,
          event: 'reply',
          from: row.state,
          to: row.state,
          version,
          actorId: reply.actorId,
          via: master.code,
        },
      },
    });
  }
  await notifier?.replied(ex, master, merged, reply);
  return merged;
}

/** A case may be merged only into a live case: not itself merged or voided (its reply would never come). */
export function assertMergeTarget(target: CaseRow): void {
  if (target.state === 'merged' || target.state === 'voided') {
    throw badField('body.duplicateOf', 'invalid_state', 'case.merge_target_closed', {
      state: target.state,
    });
  }
}

/** Duplicate candidates at intake and around a case, and the R/T settings. */
export function createCaseDuplicateService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  async function settingsOf(ex: Executor): Promise<DuplicateSettings> {
    const stored = await appSettingRepository.get<Partial<DuplicateSettings>>(ex, DUPLICATE_SETTINGS_KEY);
    return { ...defaultDuplicateSettings, ...(stored ?? {}) };
  }

  async function search(
    p: Principal,
    q: { categoryCode: string; point: Position; from: Date; to: Date; excludeId?: string },
    s: DuplicateSettings,
  ) {
    const rows = await caseRepository.nearby(db, {
      categoryCode: q.categoryCode,
      box: boundingBox(q.point, s.radiusM),
      from: q.from,
      to: q.to,
      excludeStates: finalStates,
      excludeId: q.excludeId,
      scope: caseScopeFilter(p),
      limit: SCAN_LIMIT,
    });
    return rows
      .map((r) => ({ r, d: haversineM(q.point, [r.lng, r.lat]) }))
      .filter((x) => x.d <= s.radiusM)
      .sort((a, b) => a.d - b.d || b.r.created_at.getTime() - a.r.created_at.getTime())
      .slice(0, RESULT_LIMIT)
      .map(({ r, d }) => ({
        id: r.id,
        code: r.code,
        title: r.title,
        state: r.state as CaseState,
        address: r.address,
        distanceM: Math.round(d * 10) / 10,
        createdAt: r.created_at.toISOString(),
        version: r.version,
        mergeable: allowedEvents(r.state as CaseState, p.role).includes('merge'),
      }));
  }

  return {
    settings: settingsOf,

    /** At intake: open cases of the category within R metres of the point, reported in the last T hours. */
    async candidates(actor: Actor, input: DuplicateCandidatesInput): Promise<DuplicateList> {
      requirePermission(actor.principal, 'case.view');
      const s = await settingsOf(db);
      const now = clock.now();
      const point = toWgs84([input.location.lng, input.location.lat], input.location.crs ?? 'wgs84');
      const items = await search(
        actor.principal,
        {
          categoryCode: input.categoryCode,
          point,
          from: new Date(now.getTime() - s.windowHours * HOUR),
          to: now,
        },
        s,
      );
      return { ...s, items, merged: [] };
    },

    /**
     * Around an existing case: open cases of its category within R metres reported within T hours of it
     * (before or after), and the cases already merged into it.
     */
    async aroundCase(actor: Actor, id: string): Promise<DuplicateList> {
      const p = actor.principal;
      requirePermission(p, 'case.view');
      const row = await caseRepository.findById(db, id);
      if (!row || !(await canSeeCase(db, p, row))) {
        throw new DomainError('resource.not_found', 'case not found', { id });
      }
      const s = await settingsOf(db);
      const t = row.created_at.getTime();
      const items = await search(
        p,
        {
          categoryCode: row.category_code,
          point: [row.lng, row.lat],
          from: new Date(t - s.windowHours * HOUR),
          to: new Date(t + s.windowHours * HOUR),
          excludeId: row.id,
        },
        s,
      );
      const merged = (await caseRepository.mergedInto(db, row.id, caseScopeFilter(p))).map((m) => ({
        id: m.id,
        code: m.code,
        title: m.title,
        createdAt: m.created_at.toISOString(),
        repliedAt: m.replied_at ? m.replied_at.toISOString() : null,
      }));
      return { ...s, items, merged };
    },

    async getSettings(actor: Actor): Promise<DuplicateSettings> {
      requirePermission(actor.principal, 'case.view');
      return settingsOf(db);
    },

    async updateSettings(actor: Actor, input: DuplicateSettings): Promise<DuplicateSettings> {
      requirePermission(actor.principal, 'system.manage');
      await requireSystemWide(db, actor.principal, 'duplicate_settings');
      return db.transaction().execute(async (trx) => {
        const before = await settingsOf(trx);
        await appSettingRepository.set(trx, DUPLICATE_SETTINGS_KEY, input, clock.now());
        await audit.record(trx, actor, {
          action: 'case.duplicate_settings',
          targetType: 'app_setting',
          targetId: DUPLICATE_SETTINGS_KEY,
          details: { before, after: input },
        });
        return settingsOf(trx);
      });
    },
  };
}

export type CaseDuplicateService = ReturnType<typeof createCaseDuplicateService>;
