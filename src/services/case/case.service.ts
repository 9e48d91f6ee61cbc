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
import { chinaDateOf, type WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import {
  REPORTER_ACTOR_NAME,
  reporterTransition,
  type ReporterRating,
} from '../../domain/case/reporter-workflow.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { budgetMs, type Urgency } from '../../domain/sla/time-limit.ts';
import { findCategory } from '../../domain/taxonomy/catalogue.ts';
import type { Executor, PageRequest } from '../../db/executor.ts';
import { recordCaseEvent } from '../ledger/case-record.ts';
import { caseRepository, type CaseListRow } from '../../db/repositories/case.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { idempotencyRepository } from '../../db/repositories/idempotency.repository.ts';
import { attachmentRepository } from '../../db/repositories/attachment.repository.ts';
import { checkAttachments, linkAttachments } from '../attachment/attachment-links.ts';
import type { CaseRow, CaseTable, DB } from '../../db/schema.ts';
import type { Actor, Principal } from '../identity/principal.ts';
import { requirePermission } from '../scope/scope-guard.ts';
import type { LocateService } from '../spatial/locate.service.ts';
import type { CalendarService } from '../taxonomy/calendar.service.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';
import { badField, requestHash, suggestDepartment } from './case-create.ts';
import { clockSpan, shiftClock, startStage } from './case-clock.ts';
import { canSeeCase, caseScopeFilter } from './case-scope.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { applyTasks, requestedExtension } from './case-tasks.ts';
import { assertMergeTarget, replyReached } from './case-duplicates.ts';
import type { CaseNotifier } from '../notification/case-notifier.ts';
import { toDetail, toSummary } from './case-view.ts';
import { checkIntake, createCaseIntake } from './case-intake.ts';
import { createIntakeCache } from './intake-cache.ts';
import { caseFilters, inStates, overdue, worklistStates } from './case-filters.ts';

/** Who reports a case through `intake`. */
export interface IntakeSource {
  /** The staff member who files it; null for a citizen or a device. */
  staffId: string | null;
  /** The name shown in the timeline (a staff member's, 市民, or the device's). */
  actorName: string;
  /** The actor's role in the timeline; null for citizens and devices. */
  role: Role | null;
  /** Decides the initial state and whether 核实 is needed (an inspector's own report is verified). */
  reporterRole: Role | null;
  /** Idempotency keys are unique per scope: a staff id, `public`, or `device:<id>`. */
  idempotencyScope: string;
  /** When set, the case's region must lie in this principal's scope. */
  principal?: Principal;
}

/** Cases (案件): intake, scoped lists and worklists, detail with timeline, and every workflow transition. */
export function createCaseService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  locate: LocateService;
  categories: CategoryService;
  calendar: CalendarService;
  /** Encrypts the reporter's name and phone at rest. */
  cipher: FieldCipher;
  /** In-app notifications and webhook deliveries, written in each transition's transaction. */
  notifier?: CaseNotifier;
}) {
  const { db, clock, ids, locate, categories, calendar, cipher, notifier } = deps;
  const staffIntake = createCaseIntake({
    db,
    clock,
    ids,
    locate,
    cipher,
    cache: createIntakeCache({ db, categories }),
    allowedEvents: (row, role, now) => callerEvents(row, role, now),
    render: (principal, id) => detailOf(db, principal, id),
  });

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
    const plain = {
      ...row,
      reporter_name: cipher.decrypt(row.reporter_name),
      reporter_phone: cipher.decrypt(row.reporter_phone),
    };
    const detail = toDetail(plain, now, {
      suggestedDepartment: dep ? { id: dep.id, name: dep.name } : null,
      tasks: await caseRepository.tasks(ex, id),
      timeline: await caseRepository.timeline(ex, id),
      allowedEvents: await callerEvents(row, principal.role, now),
    });
    const attachments = (await attachmentRepository.listByCase(ex, id)).map((a) => ({
      id: a.id,
      purpose: a.purpose ?? 'report',
      contentType: a.content_type,
      createdAt: a.created_at.toISOString(),
      eventId: a.case_event_id === null ? null : String(a.case_event_id),
    }));
    return { ...detail, attachments };
  }

  async function visibleRow(ex: Executor, principal: Principal, id: string, lock: boolean): Promise<CaseRow> {
    const row = lock ? await caseRepository.findForUpdate(ex, id) : await caseRepository.findById(ex, id);
    if (!row || !(await canSeeCase(ex, principal, row))) {
      throw new DomainError('resource.not_found', 'case not found', { id });
    }
    return row;
  }

  /**
   * Intake (信息收集) from any channel: validate the category, locate the point, suggest the department, insert
   * the case with its first timeline event and ledger entry — one transaction. `source` says who reports: a
   * staff member (scoped by `principal`), a citizen through the public form, or a registered device. With an
   * `idempotencyKey`, a retry with the same body returns the first response (`render`'s result) unchanged.
   */
  async function intake<T>(
    source: IntakeSource,
    input: CreateCaseInput,
    idempotencyKey: string | undefined,
    render: (trx: Executor, id: string) => Promise<T>,
  ): Promise<T> {
    const catalogue = await categories.current();
    const { category, loc, regionCode } = await checkIntake(locate, catalogue, source, input);
    const cal = await calendar.calendar();
    const hash = requestHash(input);

    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      if (idempotencyKey) {
        const claimed = await idempotencyRepository.claim(
          trx,
          idempotencyKey,
          source.idempotencyScope,
          hash,
          now,
        );
        if (!claimed) {
          const prior = await idempotencyRepository.find(trx, idempotencyKey, source.idempotencyScope);
          if (!prior || prior.request_hash !== hash || prior.response == null) {
            throw new DomainError(
              'idempotency.mismatch',
              'the Idempotency-Key was used for another request',
              {
                key: idempotencyKey,
              },
            );
          }
          return (typeof prior.response === 'string' ? JSON.parse(prior.response) : prior.response) as T;
        }
      }
      const photos = await checkAttachments(trx, input.photos, source, null, 'body.photos');
      const id = ids.uuid();
      const day = chinaDateOf(now).replace(/-/g, '');
      const code = day + String(await caseRepository.nextDailySequence(trx, day)).padStart(5, '0');
      const state = initialState(source.reporterRole);
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
        reporter_name: cipher.encrypt(input.reporter?.name ?? null),
        reporter_phone: cipher.encrypt(input.reporter?.phone ?? null),
        reporter_role: source.reporterRole,
        suggested_department_id: await suggestDepartment(trx, category, loc),
        ...clk,
        created_by: source.staffId,
        created_at: now,
        updated_at: now,
      });
      const createdEvent = await recordCaseEvent(trx, {
        caseId: id,
        at: now,
        actor: { id: source.staffId, name: source.actorName, role: source.role },
        event: 'create',
        from: null,
        to: state,
        comment: null,
        details: { channel: input.channel, categoryCode: category.code, urgency: input.urgency },
        fact: {
          kind: 'case.create',
          payload: {
            code,
            state,
            version: 1,
            actorId: source.staffId,
            categoryCode: category.code,
            regionCode,
          },
        },
      });
      await linkAttachments(trx, photos, { caseId: id, purpose: 'report', eventId: createdEvent });
      const out = await render(trx, id);
      if (idempotencyKey)
        await idempotencyRepository.complete(trx, idempotencyKey, source.idempotencyScope, out);
      return out;
    });
  }

  /** A transition that passed every check, ready to apply. */
  interface Step {
    row: CaseRow;
    event: CaseEvent;
    from: CaseState;
    to: CaseState;
    input: Pick<CaseEventInput, 'satisfaction' | 'resolved' | 'duplicateOf' | 'comment'>;
    /** The payload the timeline keeps. */
    recorded: Record<string, unknown>;
    departmentIds: readonly string[];
    /** Staff (with their principal) or the reporter (staffId and role null). */
    actor: { staffId: string | null; name: string; role: Role | null; principal?: Principal };
  }

  /**
   * Applies a checked transition inside the caller's transaction: the SLA clock, state and version (optimistic
   * check), departments' tasks, the timeline event and the ledger entry. Staff actions and the reporter's rating
   * both come through here. Returns the timeline event's id.
   */
  async function applyTransition(trx: Executor, s: Step, now: Date, cal: WorkCalendar): Promise<string> {
    const { row, from, to, input } = s;
    const id = row.id;
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
    } else if (s.event === 'approve_extension') {
      const ext = await requestedExtension(trx, id);
      if (ext) Object.assign(patch, shiftClock(row, budgetMs(ext, cal), cal));
    } else if (stageOfState[to] !== stageOfState[from] || (to === 'rework' && from !== 'rework')) {
      const v = (await categories.version(row.category_version)) ?? (await categories.current());
      Object.assign(patch, startStage(to, now, v, row.category_code, row.urgency as Urgency, cal));
    }
    if (to === 'closed') patch.closed_at = now;
    if (to === 'reopened') patch.closed_at = null;
    if (s.event === 'reply') {
      Object.assign(patch, {
        replied_at: now,
        reply_satisfaction: input.satisfaction,
        reply_resolved: input.resolved,
      });
    }
    if (s.event === 'merge') patch.duplicate_of = input.duplicateOf!;
    if (!(await caseRepository.update(trx, id, row.version, patch))) {
      throw new DomainError('case.conflict', 'the case was changed by someone else', {
        version: row.version,
      });
    }
    // Before the tasks change: the notifier tells newly assigned departments from those that already had it.
    await notifier?.caseChanged(trx, { ...s, payload: s.recorded, actorId: s.actor.staffId, at: now });
    if (s.actor.principal) await applyTasks(trx, row, s.event, s.departmentIds, s.actor.principal, now);
    const eventId = await recordCaseEvent(trx, {
      caseId: id,
      at: now,
      actor: { id: s.actor.staffId, name: s.actor.name, role: s.actor.role },
      event: s.event,
      from,
      to,
      comment: input.comment ?? null,
      details: s.recorded,
      fact: {
        kind: 'case.event',
        payload: {
          code: row.code,
          event: s.event,
          from,
          to,
          version: row.version + 1,
          actorId: s.actor.staffId,
          ...(s.actor.principal ? {} : { actor: 'reporter' as const }),
        },
      },
    });
    // 回访 reaches every reporter: cases merged into this one get the reply too, and all are notified.
    if (s.event === 'reply') {
      await replyReached(trx, notifier, row, {
        satisfaction: input.satisfaction!,
        resolved: input.resolved!,
        comment: input.comment ?? null,
        actorId: s.actor.staffId,
        actorName: s.actor.name,
        role: s.actor.role,
        at: now,
      });
    }
    return eventId;
  }

  /** A staff member's report (hotline intake, patrol, API token). */
  async function create(actor: Actor, input: CreateCaseInput, idempotencyKey?: string): Promise<CaseDetail> {
    const p = actor.principal;
    requirePermission(p, 'case.create');
    const source = {
      staffId: p.staffId,
      actorName: p.displayName,
      role: p.role,
      reporterRole: p.role,
      idempotencyScope: p.staffId,
      principal: p,
    };
    // Without photos to link, one statement files the case (see case-intake.ts); with photos, a transaction.
    if (!input.photos?.length) return staffIntake.file(source, input, idempotencyKey);
    return intake(source, input, idempotencyKey, (trx, id) => detailOf(trx, p, id));
  }

  return {
    create,
    intake,

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
          assertMergeTarget(dup);
        }

        const evidence = await checkAttachments(trx, input.evidence, p, id, 'body.evidence');
        const recorded: Record<string, unknown> = { ...payload };
        if (!departmentIds.length) delete recorded.departments;
        delete recorded.department;
        const actorOfStep = { staffId: p.staffId, name: p.displayName, role: p.role, principal: p };
        const step = {
          row,
          event: input.event,
          from,
          to,
          input,
          recorded,
          departmentIds,
          actor: actorOfStep,
        };
        const eventId = await applyTransition(trx, step, now, cal);
        await linkAttachments(trx, evidence, { caseId: id, purpose: 'evidence', eventId });
        return detailOf(trx, p, id);
      });
    },

    /**
     * The reporter rates the answer from the public tracking page (评价): the `reply` transition of a closed case,
     * recorded as 市民 with no role (see domain/case/reporter-workflow.ts). The caller has already proved it holds
     * the case's tracking token or its code and phone digits; `render` builds the answer in the same transaction.
     */
    async replyAsReporter<T>(
      id: string,
      rating: ReporterRating & { comment?: string },
      render: (trx: Executor, id: string) => Promise<T>,
    ): Promise<T> {
      const cal = await calendar.calendar();
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const row = await caseRepository.findForUpdate(trx, id);
        if (!row) throw new DomainError('resource.not_found', 'case not found', { id });
        const from = row.state as CaseState;
        const res = reporterTransition(from, 'reply', rating);
        if (!res.ok) {
          const e = res.error;
          const issues = e.issues.map((i) => ({ ...i, field: `body.${i.field}` }));
          throw new DomainError(e.code, e.message, e.details, issues);
        }
        const recorded = { satisfaction: rating.satisfaction, resolved: rating.resolved };
        const actor = { staffId: null, name: REPORTER_ACTOR_NAME, role: null };
        const step = {
          row,
          event: 'reply' as const,
          from,
          to: res.to,
          input: rating,
          recorded,
          departmentIds: [],
          actor,
        };
        await applyTransition(trx, step, now, cal);
        return render(trx, id);
      });
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
