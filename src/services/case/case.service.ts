import { sql, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type {
  CaseDetail,
  CaseEventInput,
  CaseQuery,
  CreateCaseInput,
  Worklist,
} from '../../contracts/case.schema.ts';
import { worklistsOfRole } from '../../contracts/case.schema.ts';
import { needsVerification, initialState, reopenAllowed } from '../../domain/case/case-policy.ts';
import {
  allowedEvents,
  stageOfState,
  transition,
  type CaseEvent,
  type CaseState,
  type Satisfaction,
  type TransitionPayload,
} from '../../domain/case/case-workflow.ts';
import type { Role } from '../../domain/identity/role.ts';
import { chinaDateOf } from '../../domain/calendar/work-calendar.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { budgetMs, type Urgency } from '../../domain/sla/time-limit.ts';
import { findCategory } from '../../domain/taxonomy/catalogue.ts';
import type { Executor, PageRequest } from '../../db/executor.ts';
import { caseRepository, type CaseListRow } from '../../db/repositories/case.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { idempotencyRepository } from '../../db/repositories/idempotency.repository.ts';
import type { CaseRow, CaseTable, DB } from '../../db/schema.ts';
import type { Actor, Principal } from '../identity/principal.ts';
import { assertRegionInScope, requirePermission } from '../scope/scope-guard.ts';
import type { LocateService } from '../spatial/locate.service.ts';
import type { CalendarService } from '../taxonomy/calendar.service.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';
import { badField, requestHash, suggestDepartment } from './case-create.ts';
import { clockSpan, shiftClock, startStage } from './case-clock.ts';
import { canSeeCase, caseScopeFilter } from './case-scope.ts';
import { applyTasks, requestedExtension } from './case-tasks.ts';
import { toDetail, toSummary } from './case-view.ts';
import { caseFilters, inStates, overdue, worklistStates } from './case-filters.ts';

/** Cases (案件): intake, scoped lists and worklists, detail with timeline, and every workflow transition. */
export function createCaseService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  locate: LocateService;
  categories: CategoryService;
  calendar: CalendarService;
}) {
  const { db, clock, ids, locate, categories, calendar } = deps;

  /** The events the caller may send now: the table's, minus those whose conditions do not hold. */
  async function callerEvents(row: CaseRow, role: Role, now: Date): Promise<CaseEvent[]> {
    const events = allowedEvents(row.state as CaseState, role);
    const out: CaseEvent[] = [];
    for (const e of events) {
      if (e === 'register' && (await verificationRequired(row))) continue;
      if (e === 'reopen' && !reopenOk(row, now)) continue;
      out.push(e);
    }
    return out;
  }

  async function verificationRequired(row: CaseRow): Promise<boolean> {
    const v = await categories.version(row.category_version);
    const c = v && findCategory(v, row.category_code);
    return needsVerification(c ?? { requiresVerification: true }, (row.reporter_role as Role | null) ?? null);
  }

  function reopenOk(row: CaseRow, now: Date): boolean {
    if (!row.replied_at || !row.reply_satisfaction) return false;
    return reopenAllowed(
      {
        at: row.replied_at,
        resolved: row.reply_resolved ?? false,
        satisfaction: row.reply_satisfaction as Satisfaction,
      },
      now,
    );
  }

  async function detailOf(ex: Executor, principal: Principal, id: string): Promise<CaseDetail> {
    const { rows } = await caseRepository.list(
      ex,
      { scope: sql<SqlBool>`true`, where: [sql<SqlBool>`"case".id = ${id}`] },
      { page: 1, pageSize: 1 },
    );
    const row = rows[0];
    if (!row) throw new DomainError('resource.not_found', 'case not found', { id });
    const now = clock.now();
    const dep = row.suggested_department_id
      ? await departmentRepository.findById(ex, row.suggested_department_id)
      : undefined;
    return toDetail(row, now, {
      suggestedDepartment: dep ? { id: dep.id, name: dep.name } : null,
      tasks: await caseRepository.tasks(ex, id),
      timeline: await caseRepository.timeline(ex, id),
      allowedEvents: await callerEvents(row, principal.role, now),
    });
  }

  async function visibleRow(ex: Executor, principal: Principal, id: string, lock: boolean): Promise<CaseRow> {
    const row = lock ? await caseRepository.findForUpdate(ex, id) : await caseRepository.findById(ex, id);
    if (!row || !(await canSeeCase(ex, principal, row))) {
      throw new DomainError('resource.not_found', 'case not found', { id });
    }
    return row;
  }

  async function create(actor: Actor, input: CreateCaseInput, idempotencyKey?: string): Promise<CaseDetail> {
    const p = actor.principal;
    requirePermission(p, 'case.create');
    const catalogue = await categories.current();
    const category = findCategory(catalogue, input.categoryCode);
    if (!category || !category.active) {
      throw badField('body.categoryCode', 'not_found', 'category.not_found', { code: input.categoryCode });
    }
    const [loc] = await locate.locateMany([input.location]);
    const regionCode = loc?.community?.code ?? loc?.street?.code ?? loc?.district?.code;
    if (!loc || !loc.inside || !regionCode) {
      throw badField('body.location', 'outside_jurisdiction', 'case.location_outside', {
        nearest: loc?.nearest ?? null,
      });
    }
    assertRegionInScope(p, regionCode);
    const cal = await calendar.calendar();
    const hash = requestHash(input);

    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      if (idempotencyKey) {
        const claimed = await idempotencyRepository.claim(trx, idempotencyKey, p.staffId, hash, now);
        if (!claimed) {
          const prior = await idempotencyRepository.find(trx, idempotencyKey, p.staffId);
          if (!prior || prior.request_hash !== hash || prior.response == null) {
            throw new DomainError(
              'idempotency.mismatch',
              'the Idempotency-Key was used for another request',
              {
                key: idempotencyKey,
              },
            );
          }
          return (
            typeof prior.response === 'string' ? JSON.parse(prior.response) : prior.response
          ) as CaseDetail;
        }
      }
      const id = ids.uuid();
      const day = chinaDateOf(now).replace(/-/g, '');
      const code = day + String(await caseRepository.nextDailySequence(trx, day)).padStart(5, '0');
      const state = initialState(p.role);
      const clk = startStage(state, now, catalogue, category.code, input.urgency, cal);
      await caseRepository.insert(trx, {
        id,
        code,
        state,
        version: 1,
        category_code: category.code,
        category_version: catalogue.number,
        urgency: input.urgency,
        title: input.title,
        description: input.description,
        channel: input.channel,
        lng: loc.point[0],
        lat: loc.point[1],
        address: input.address ?? null,
        grid_code: loc.grid?.code ?? null,
        community_code: loc.community?.code ?? null,
        street_code: loc.street?.code ?? null,
        district_code: loc.district?.code ?? null,
        region_code: regionCode,
        reporter_name: input.reporter?.name ?? null,
        reporter_phone: input.reporter?.phone ?? null,
        reporter_role: p.role,
        suggested_department_id: await suggestDepartment(trx, category, loc),
        ...clk,
        created_by: p.staffId,
        created_at: now,
        updated_at: now,
      });
      await caseRepository.appendEvent(trx, {
        caseId: id,
        at: now,
        actorId: p.staffId,
        actorName: p.displayName,
        role: p.role,
        event: 'create',
        fromState: null,
        toState: state,
        comment: null,
        payload: { channel: input.channel, categoryCode: category.code, urgency: input.urgency },
      });
      await caseRepository.appendLedger(trx, {
        at: now,
        kind: 'case.create',
        subjectType: 'case',
        subjectId: id,
        payload: { code, state, version: 1, actorId: p.staffId, categoryCode: category.code, regionCode },
      });
      const detail = await detailOf(trx, p, id);
      if (idempotencyKey) await idempotencyRepository.complete(trx, idempotencyKey, p.staffId, detail);
      return detail;
    });
  }

  return {
    create,

    async list(actor: Actor, query: Partial<CaseQuery>, page: PageRequest) {
      requirePermission(actor.principal, 'case.view');
      const now = clock.now();
      const { rows, total } = await caseRepository.list(
        db,
        { scope: caseScopeFilter(actor.principal), where: caseFilters(query, now) },
        page,
      );
      return { items: rows.map((r: CaseListRow) => toSummary(r, now)), total, ...page };
    },

    async worklistCounts(actor: Actor): Promise<{ counts: Partial<Record<Worklist, number>> }> {
      requirePermission(actor.principal, 'case.view');
      const now = clock.now();
      const scope = caseScopeFilter(actor.principal);
      const counts: Partial<Record<Worklist, number>> = {};
      for (const w of worklistsOfRole[actor.principal.role]) {
        counts[w] = await caseRepository.count(db, [
          scope,
          w === 'overdue' ? overdue(now) : inStates(worklistStates[w]),
        ]);
      }
      return { counts };
    },

    async get(actor: Actor, id: string): Promise<CaseDetail> {
      requirePermission(actor.principal, 'case.view');
      await visibleRow(db, actor.principal, id, false);
      return detailOf(db, actor.principal, id);
    },

    async act(actor: Actor, id: string, input: CaseEventInput): Promise<CaseDetail> {
      const p = actor.principal;
      requirePermission(p, 'case.act');
      const cal = await calendar.calendar();
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const row = await visibleRow(trx, p, id, true);
        if (row.version !== input.expectedVersion) {
          throw new DomainError('case.conflict', 'the case was changed by someone else', {
            expectedVersion: input.expectedVersion,
            version: row.version,
          });
        }
        const from = row.state as CaseState;
        const departmentIds = input.departmentIds ?? [];
        const payload: TransitionPayload = {
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          ...(input.evidence !== undefined ? { evidence: input.evidence } : {}),
          ...(input.satisfaction !== undefined ? { satisfaction: input.satisfaction } : {}),
          ...(input.resolved !== undefined ? { resolved: input.resolved } : {}),
          ...(input.duplicateOf !== undefined ? { duplicateOf: input.duplicateOf } : {}),
          ...(input.instruction !== undefined ? { instruction: input.instruction } : {}),
          ...(input.extension !== undefined ? { extension: input.extension } : {}),
          ...(departmentIds.length === 1 ? { department: departmentIds[0]! } : {}),
          departments: departmentIds,
        };
        const res = transition(from, input.event, p.role, payload);
        if (!res.ok) {
          const e = res.error;
          if (e.code !== 'validation.failed') throw e;
          throw new DomainError(
            e.code,
            e.message,
            e.details,
            e.issues.map((i) => ({
              ...i,
              field: i.field.startsWith('department') ? 'body.departmentIds' : `body.${i.field}`,
            })),
          );
        }
        const allowed = await callerEvents(row, p.role, now);
        if (!allowed.includes(input.event)) {
          throw new DomainError('case.invalid_transition', `${input.event}: condition not met`, {
            state: from,
            event: input.event,
            role: p.role,
            allowed,
            conditions: res.conditions,
          });
        }
        const to = res.to;
        const needsDepartments = res.requires.includes('department') || res.requires.includes('departments');
        if (needsDepartments) {
          for (const depId of departmentIds) {
            const d = await departmentRepository.findById(trx, depId);
            if (!d || d.disabled) throw badField('body.departmentIds', 'not_found', 'department.not_found');
          }
        }
        if (res.requires.includes('duplicate_of')) {
          const dup =
            input.duplicateOf === id ? undefined : await caseRepository.findById(trx, input.duplicateOf!);
          if (!dup || !(await canSeeCase(trx, p, dup))) {
            throw badField('body.duplicateOf', 'not_found', 'case.not_found');
          }
        }

        const patch: Updateable<CaseTable> = { state: to, version: row.version + 1, updated_at: now };
        if (to === 'suspended') {
          Object.assign(patch, { stage: null, suspended_at: now });
        } else if (from === 'suspended') {
          const paused = row.suspended_at ? clockSpan(row, row.suspended_at, now, cal) : 0;
          Object.assign(patch, {
            stage: stageOfState[to],
            suspended_at: null,
            ...shiftClock(row, paused, cal),
          });
        } else if (input.event === 'approve_extension') {
          const ext = await requestedExtension(trx, id);
          if (ext) Object.assign(patch, shiftClock(row, budgetMs(ext, cal), cal));
        } else if (stageOfState[to] !== stageOfState[from] || (to === 'rework' && from !== 'rework')) {
          const v = (await categories.version(row.category_version)) ?? (await categories.current());
          Object.assign(patch, startStage(to, now, v, row.category_code, row.urgency as Urgency, cal));
        }
        if (to === 'closed') patch.closed_at = now;
        if (to === 'reopened') patch.closed_at = null;
        if (input.event === 'reply') {
          Object.assign(patch, {
            replied_at: now,
            reply_satisfaction: input.satisfaction,
            reply_resolved: input.resolved,
          });
        }
        if (input.event === 'merge') patch.duplicate_of = input.duplicateOf!;
        if (!(await caseRepository.update(trx, id, row.version, patch))) {
          throw new DomainError('case.conflict', 'the case was changed by someone else', {
            version: row.version,
          });
        }
        await applyTasks(trx, row, input.event, departmentIds, p, now);
        const recorded: Record<string, unknown> = { ...payload };
        if (!departmentIds.length) delete recorded.departments;
        delete recorded.department;
        await caseRepository.appendEvent(trx, {
          caseId: id,
          at: now,
          actorId: p.staffId,
          actorName: p.displayName,
          role: p.role,
          event: input.event,
          fromState: from,
          toState: to,
          comment: input.comment ?? null,
          payload: recorded,
        });
        await caseRepository.appendLedger(trx, {
          at: now,
          kind: 'case.event',
          subjectType: 'case',
          subjectId: id,
          payload: {
            code: row.code,
            event: input.event,
            from,
            to,
            version: row.version + 1,
            actorId: p.staffId,
          },
        });
        return detailOf(trx, p, id);
      });
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
