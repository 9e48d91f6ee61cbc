import type {
  CaseEvent,
  CaseState,
  Satisfaction,
  TransitionPayload,
} from '../../domain/case/case-workflow.ts';
import type { IdSource } from '../../domain/shared/clock.ts';
import type { Executor } from '../../db/executor.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import {
  notificationRepository,
  type NewNotification,
  type RecipientRow,
} from '../../db/repositories/notification.repository.ts';
import type { CaseRow } from '../../db/schema.ts';
import type { NotificationKind } from '../../contracts/notification.schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { EventTarget, WebhookOutbox } from './webhook-outbox.ts';
import type { WebhookContact } from './webhook-personal.ts';

/** A workflow event just applied to a case (called inside the transaction that applied it). */
export interface CaseChange {
  /** The case as it was before the event. */
  row: CaseRow;
  event: CaseEvent;
  to: CaseState;
  departmentIds: readonly string[];
  actorId: string | null;
  payload: TransitionPayload;
  at: Date;
}

/** The reply (回访) recorded on a case. */
export interface ReplyFacts {
  satisfaction: Satisfaction;
  resolved: boolean;
  comment: string | null;
  /** Who recorded it: a staff member, or null for the reporter's own rating. */
  actorId: string | null;
  at: Date;
}

export interface OverdueFacts {
  caseId: string;
  code: string;
  title: string;
  state: string;
  regionCode: string;
  stage: string;
  stageDeadline: Date;
  recipientIds: readonly string[];
  at: Date;
}

const stageZh: Record<string, string> = {
  intake: '受理',
  verify: '核实',
  file: '立案',
  dispatch: '派遣',
  accept: '签收',
  handle: '处置',
  check: '核查',
  close: '结案',
  reply: '回访',
};
const satisfactionZh: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

/** What a webhook receiver learns about the case (no personal data: that travels apart, encrypted). */
function caseFacts(row: CaseRow) {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    categoryCode: row.category_code,
    urgency: row.urgency,
    address: row.address,
    regionCode: row.region_code,
  };
}

function contacts(rs: readonly RecipientRow[]): WebhookContact[] {
  return rs.map((r) => ({ id: r.id, name: r.display_name, role: r.role, phone: r.phone }));
}

/**
 * What endpoint scopes are matched against: the case's region and its departments (tasks not cancelled), plus
 * `extra` — departments the event is giving the case right now, whose tasks are written after the notifier runs.
 */
async function targetOf(
  ex: Executor,
  c: { id: string; regionCode: string },
  extra: readonly string[] = [],
): Promise<EventTarget> {
  const tasks = await caseRepository.tasks(ex, c.id);
  const live = tasks.filter((t) => t.state !== 'cancelled').map((t) => t.department_id);
  return { regionCode: c.regionCode, departmentIds: [...new Set([...live, ...extra])] };
}

/**
 * Turns case changes into in-app notifications and webhook deliveries, in the caller's transaction:
 * dispatch / co-dispatch / re-dispatch and a rejected return → the target departments' handlers (`case.assigned`);
 * 督办 → the lead department's handlers (`case.supervised`); an overdue stage → the recorded recipients
 * (`case.overdue`); a reply → every reporter (`case.replied`, with the phone decrypted for the SMS gateway) and
 * the staff member who created each case; a merge → the staff member who created the duplicate.
 */
export function createCaseNotifier(deps: { ids: IdSource; cipher: FieldCipher; outbox: WebhookOutbox }) {
  const { ids, cipher, outbox } = deps;

  function note(
    recipientId: string,
    kind: NotificationKind,
    row: { id: string; code: string; title: string },
    title: string,
    body: string,
    data: Record<string, unknown>,
    at: Date,
  ): NewNotification {
    return {
      id: ids.uuid(),
      recipientId,
      kind,
      caseId: row.id,
      title,
      body,
      data: { code: row.code, caseTitle: row.title, ...data },
      createdAt: at,
    };
  }

  /** Departments newly given the case by this event (computed before the tasks are updated). */
  async function assignedDepartments(ex: Executor, c: CaseChange): Promise<string[]> {
    if (c.event === 'reject_return') {
      const tasks = await caseRepository.tasks(ex, c.row.id);
      return tasks.filter((t) => t.state === 'returned').map((t) => t.department_id);
    }
    if (c.row.state !== 'in_progress') return [...c.departmentIds];
    const fresh: string[] = [];
    for (const d of c.departmentIds) if (!(await caseRepository.hasTask(ex, c.row.id, d))) fresh.push(d);
    return fresh;
  }

  async function assigned(ex: Executor, c: CaseChange): Promise<void> {
    const depIds = await assignedDepartments(ex, c);
    if (depIds.length === 0) return;
    // A first dispatch or a re-dispatch names the lead department first; an added co-department never leads.
    const leadId = c.event !== 'reject_return' && c.row.state !== 'in_progress' ? c.departmentIds[0] : null;
    const departments: { id: string; code: string; name: string; lead: boolean }[] = [];
    for (const id of depIds) {
      const d = await departmentRepository.findById(ex, id);
      if (d) departments.push({ id: d.id, code: d.code, name: d.name, lead: d.id === leadId });
    }
    const handlers = await notificationRepository.departmentHandlers(ex, depIds);
    const co = c.event === 'co_dispatch' ? '（协同）' : '';
    await notificationRepository.insertMany(
      ex,
      handlers
        .filter((h) => h.id !== c.actorId)
        .map((h) => {
          const dep = departments.find((d) => d.id === h.scope_department_id);
          return note(
            h.id,
            'assignment',
            c.row,
            `新派遣案件 ${c.row.code}${co}`,
            `${c.row.title}${dep ? ` · ${dep.name}` : ''}`,
            { event: c.event, departmentId: dep?.id ?? null, departmentName: dep?.name ?? null },
            c.at,
          );
        }),
    );
    await outbox.enqueue(
      ex,
      'case.assigned',
      c.at,
      await targetOf(ex, { id: c.row.id, regionCode: c.row.region_code }, depIds),
      { case: caseFacts(c.row), event: c.event, departments },
      { recipients: contacts(handlers) },
    );
  }

  async function supervised(ex: Executor, c: CaseChange): Promise<void> {
    const tasks = await caseRepository.tasks(ex, c.row.id);
    const lead = tasks.filter((t) => t.lead && t.state !== 'cancelled').map((t) => t.department_id);
    const handlers = await notificationRepository.departmentHandlers(ex, lead);
    const instruction = c.payload.instruction ?? '';
    await notificationRepository.insertMany(
      ex,
      handlers
        .filter((h) => h.id !== c.actorId)
        .map((h) => note(h.id, 'supervise', c.row, `督办 ${c.row.code}`, instruction, { instruction }, c.at)),
    );
    await outbox.enqueue(
      ex,
      'case.supervised',
      c.at,
      await targetOf(ex, { id: c.row.id, regionCode: c.row.region_code }),
      { case: caseFacts(c.row), instruction, departmentIds: lead },
      { recipients: contacts(handlers) },
    );
  }

  async function mergedAway(ex: Executor, c: CaseChange): Promise<void> {
    const creator = c.row.created_by;
    if (!creator || creator === c.actorId || !c.payload.duplicateOf) return;
    const master = await caseRepository.findById(ex, c.payload.duplicateOf);
    if (!master) return;
    const [staff] = await notificationRepository.staffByIds(ex, [creator]);
    if (!staff) return;
    await notificationRepository.insertMany(ex, [
      note(
        staff.id,
        'merged',
        c.row,
        `案件已合并 ${c.row.code}`,
        `已作为案件 ${master.code} 的重复件合并办理`,
        { masterId: master.id, masterCode: master.code },
        c.at,
      ),
    ]);
  }

  return {
    /** Call where a workflow event is applied, before the departments' tasks are updated. */
    async caseChanged(ex: Executor, c: CaseChange): Promise<void> {
      switch (c.event) {
        case 'dispatch':
        case 'co_dispatch':
        case 'reject_return':
          return assigned(ex, c);
        case 'supervise':
          return supervised(ex, c);
        case 'merge':
          return mergedAway(ex, c);
        default:
          return;
      }
    },

    /**
     * A reply reached these cases: the master (replied itself) and every case merged into it. Each reporter gets
     * a `case.replied` delivery carrying the decrypted name and phone; each case's creator, when a staff member
     * other than the one who recorded the reply, gets an in-app note.
     */
    async replied(
      ex: Executor,
      master: CaseRow,
      merged: readonly CaseRow[],
      reply: ReplyFacts,
    ): Promise<void> {
      const creators = [master, ...merged].map((r) => r.created_by).filter((id): id is string => !!id);
      const staff = await notificationRepository.staffByIds(ex, [...new Set(creators)]);
      const notes: NewNotification[] = [];
      // A merged report was handled by the master's departments: their endpoints tell its reporter too.
      const handledBy = (await targetOf(ex, { id: master.id, regionCode: master.region_code })).departmentIds;
      for (const row of [master, ...merged]) {
        const via = row.id === master.id ? null : master.code;
        const resolvedZh = reply.resolved ? '问题已解决' : '问题未解决';
        const message =
          `【智治】您反映的“${row.title}”（案件编号 ${row.code}）已办结并完成回访` +
          (via ? `（与案件 ${via} 合并办理）` : '') +
          '，感谢您的参与。';
        await outbox.enqueue(
          ex,
          'case.replied',
          reply.at,
          await targetOf(ex, { id: row.id, regionCode: row.region_code }, handledBy),
          {
            case: caseFacts(row),
            reply: {
              satisfaction: reply.satisfaction,
              resolved: reply.resolved,
              comment: reply.comment,
              repliedAt: reply.at.toISOString(),
            },
            via,
            message,
          },
          {
            reporter: { name: cipher.decrypt(row.reporter_name), phone: cipher.decrypt(row.reporter_phone) },
          },
        );
        const creator = staff.find((s) => s.id === row.created_by);
        if (creator && creator.id !== reply.actorId) {
          notes.push(
            note(
              creator.id,
              'reply',
              row,
              `回访结果 ${row.code}`,
              `${satisfactionZh[reply.satisfaction]}，${resolvedZh}${via ? `（随案件 ${via} 回访）` : ''}`,
              { satisfaction: reply.satisfaction, resolved: reply.resolved, via },
              reply.at,
            ),
          );
        }
      }
      await notificationRepository.insertMany(ex, notes);
    },

    /** An overdue stage was escalated: the recorded recipients get a note, gateways `case.overdue`. */
    async overdue(ex: Executor, o: OverdueFacts): Promise<void> {
      const recipients = await notificationRepository.staffByIds(ex, o.recipientIds);
      const row = { id: o.caseId, code: o.code, title: o.title };
      const stage = stageZh[o.stage] ?? o.stage;
      const data = { stage: o.stage, stageDeadline: o.stageDeadline.toISOString() };
      await notificationRepository.insertMany(
        ex,
        recipients.map((r) =>
          note(r.id, 'overdue', row, `案件超时 ${o.code}`, `${o.title}：${stage}阶段已超过时限`, data, o.at),
        ),
      );
      await outbox.enqueue(
        ex,
        'case.overdue',
        o.at,
        await targetOf(ex, { id: o.caseId, regionCode: o.regionCode }),
        {
          case: { id: o.caseId, code: o.code, title: o.title, state: o.state, regionCode: o.regionCode },
          ...data,
        },
        { recipients: contacts(recipients) },
      );
    },
  };
}

export type CaseNotifier = ReturnType<typeof createCaseNotifier>;
