/**
 * The case workflow (案件闭环) as one declarative table: every row says which event moves a case from one
 * state to another, which roles may send it, and what the request must carry. The server checks role and scope
 * and calls `transition`; the UI calls `allowedEvents` to enable buttons. See docs/workflow.md.
 *
 * Follows the CJJ/T 106 loop (信息收集 → 立案 → 派遣 → 处置 → 反馈 → 核查结案 → 综合评价) with the sub-flows
 * of practice: 作废, 合并, 回退, 延期, 挂账, 返工, 协同/吹哨报到, 督办, 回访 and reopening.
 */
import type { Role } from '../identity/role.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { FieldIssue } from '../shared/domain-error.ts';
import type { SlaStage } from '../sla/time-limit.ts';

export const caseStates = [
  'reported', // 已上报: a new report waits for intake (受理)
  'verifying', // 待核实: an inspector checks on site that the problem exists
  'pending_filing', // 待立案
  'filed', // 已立案 · 待派遣
  'dispatched', // 已派遣 · 待签收
  'returned', // 已回退 · 待审核 (department says it is not theirs)
  'in_progress', // 处置中
  'extension_pending', // 延期待审
  'suspension_pending', // 挂账待审
  'suspended', // 已挂账 (clock stopped)
  'pending_check', // 待核查
  'rework', // 返工
  'pending_close', // 待结案
  'closed', // 已结案 (待回访 when the reporter can be answered)
  'replied', // 已回访
  'reopened', // 已重启 · 待派遣
  'voided', // 已作废
  'merged', // 已合并 (duplicate of another case)
] as const;
export type CaseState = (typeof caseStates)[number];

export const caseEvents = [
  'send_to_verify', // 派核实
  'register', // 受理 without verification (category or reporter makes 核实 unnecessary)
  'verify_ok', // 核实属实
  'verify_fail', // 核实不属实
  'file', // 立案
  'void', // 作废
  'merge', // 合并重复件
  'dispatch', // 派遣 (from `returned` this approves the return and re-dispatches)
  'co_dispatch', // 协同派遣 / 吹哨报到: several departments
  'accept', // 签收
  'return', // 回退
  'reject_return', // 回退不通过
  'handle', // 处置完毕 (with evidence)
  'request_extension', // 申请延期
  'approve_extension',
  'reject_extension',
  'request_suspension', // 申请挂账
  'approve_suspension',
  'reject_suspension',
  'resume', // 解除挂账
  'check_pass', // 核查通过
  'check_fail', // 核查不通过 → 返工
  'close', // 结案
  'reject_close', // 不予结案 → 返工
  'reply', // 回访
  'reopen', // 重启 (unsatisfied reply within the reopen window)
  'supervise', // 督办 (no state change)
] as const;
export type CaseEvent = (typeof caseEvents)[number];

/** What a request must carry for a transition; `transition` checks these on the payload. */
export type PayloadRequirement =
  | 'reason' // non-empty text: void, return, reject_*, verify_fail, check_fail, reopen, requests
  | 'evidence' // at least one attachment id: handle, check_pass
  | 'satisfaction' // satisfaction + resolved: reply
  | 'department' // one department id: dispatch
  | 'departments' // two or more department ids, the first leads: co_dispatch
  | 'duplicate_of' // the case this one duplicates: merge
  | 'extension' // requested extra time (amount + unit): request_extension
  | 'instruction'; // the supervision order's text: supervise

/** Facts the service must establish before applying a transition (they need data the table cannot see). */
export type Condition =
  | 'verification_not_required' // register: category.requiresVerification is false or the reporter is an inspector
  | 'reopen_window'; // reopen: the reply was unsatisfied and is within the configured window (see reopenAllowed)

export interface TransitionRule {
  from: CaseState;
  event: CaseEvent;
  to: CaseState;
  roles: readonly Role[];
  requires: readonly PayloadRequirement[];
  conditions: readonly Condition[];
}

const r = (
  from: CaseState,
  event: CaseEvent,
  to: CaseState,
  roles: readonly Role[],
  requires: readonly PayloadRequirement[] = [],
  conditions: readonly Condition[] = [],
): TransitionRule => ({ from, event, to, roles, requires, conditions });

const intake: Role[] = ['intake_operator', 'shift_lead'];
const inspector: Role[] = ['grid_worker'];
const shiftLead: Role[] = ['shift_lead'];
const dispatcher: Role[] = ['dispatcher'];
const handler: Role[] = ['handler'];
const supervisors: Role[] = ['leader', 'dispatcher'];

/** States in which a supervision order (督办) may be issued: every filed, unfinished state. */
const supervisable: CaseState[] = [
  'filed',
  'dispatched',
  'returned',
  'in_progress',
  'extension_pending',
  'suspension_pending',
  'suspended',
  'pending_check',
  'rework',
  'pending_close',
  'reopened',
];

export const transitionTable: readonly TransitionRule[] = Object.freeze([
  r('reported', 'send_to_verify', 'verifying', intake),
  r('reported', 'register', 'pending_filing', intake, [], ['verification_not_required']),
  r('reported', 'merge', 'merged', intake, ['duplicate_of']),
  r('reported', 'void', 'voided', shiftLead, ['reason']),

  r('verifying', 'verify_ok', 'pending_filing', inspector),
  r('verifying', 'verify_fail', 'pending_filing', inspector, ['reason']),

  r('pending_filing', 'file', 'filed', shiftLead),
  r('pending_filing', 'void', 'voided', shiftLead, ['reason']),
  r('pending_filing', 'merge', 'merged', shiftLead, ['duplicate_of']),
  r('pending_filing', 'send_to_verify', 'verifying', shiftLead),

  r('filed', 'dispatch', 'dispatched', dispatcher, ['department']),
  r('filed', 'co_dispatch', 'dispatched', dispatcher, ['departments']),

  r('dispatched', 'accept', 'in_progress', handler),
  r('dispatched', 'return', 'returned', handler, ['reason']),

  r('returned', 'dispatch', 'dispatched', dispatcher, ['department']),
  r('returned', 'co_dispatch', 'dispatched', dispatcher, ['departments']),
  r('returned', 'reject_return', 'dispatched', dispatcher, ['reason']),

  r('in_progress', 'handle', 'pending_check', handler, ['evidence']),
  r('in_progress', 'return', 'returned', handler, ['reason']),
  r('in_progress', 'request_extension', 'extension_pending', handler, ['reason', 'extension']),
  r('in_progress', 'request_suspension', 'suspension_pending', handler, ['reason']),
  r('in_progress', 'co_dispatch', 'in_progress', dispatcher, ['departments']),

  r('extension_pending', 'approve_extension', 'in_progress', dispatcher),
  r('extension_pending', 'reject_extension', 'in_progress', dispatcher, ['reason']),
  r('extension_pending', 'handle', 'pending_check', handler, ['evidence']),

  r('suspension_pending', 'approve_suspension', 'suspended', dispatcher),
  r('suspension_pending', 'reject_suspension', 'in_progress', dispatcher, ['reason']),

  r('suspended', 'resume', 'in_progress', ['dispatcher', 'handler']),

  r('pending_check', 'check_pass', 'pending_close', inspector, ['evidence']),
  r('pending_check', 'check_fail', 'rework', inspector, ['reason']),

  r('rework', 'handle', 'pending_check', handler, ['evidence']),
  r('rework', 'request_extension', 'extension_pending', handler, ['reason', 'extension']),
  r('rework', 'request_suspension', 'suspension_pending', handler, ['reason']),

  r('pending_close', 'close', 'closed', shiftLead),
  r('pending_close', 'reject_close', 'rework', shiftLead, ['reason']),

  r('closed', 'reply', 'replied', ['intake_operator'], ['satisfaction']),

  r('replied', 'reopen', 'reopened', intake, ['reason'], ['reopen_window']),

  r('reopened', 'dispatch', 'dispatched', dispatcher, ['department']),
  r('reopened', 'co_dispatch', 'dispatched', dispatcher, ['departments']),

  ...supervisable.map((s) => r(s, 'supervise', s, supervisors, ['instruction'])),
]);

/** Where a case can start: `reported`, or `pending_filing` for an inspector's own (already verified) report. */
export const initialStates: readonly CaseState[] = ['reported', 'pending_filing'];

/** No event leaves these, except as documented: closed → reply → replied → reopen. */
export const finalStates: readonly CaseState[] = ['closed', 'replied', 'voided', 'merged'];

/**
 * Which SLA stage's clock runs in each state; null = no clock (suspended, or the loop is finished).
 * `rework` runs a fresh 处置 clock; `returned` and `reopened` wait on the dispatcher.
 */
export const stageOfState: Readonly<Record<CaseState, SlaStage | null>> = {
  reported: 'intake',
  verifying: 'verify',
  pending_filing: 'file',
  filed: 'dispatch',
  dispatched: 'accept',
  returned: 'dispatch',
  in_progress: 'handle',
  extension_pending: 'handle',
  suspension_pending: 'handle',
  suspended: null,
  pending_check: 'check',
  rework: 'handle',
  pending_close: 'close',
  closed: 'reply',
  replied: null,
  reopened: 'dispatch',
  voided: null,
  merged: null,
};

const byKey = new Map(transitionTable.map((t) => [`${t.from}|${t.event}`, t]));

export function ruleOf(state: CaseState, event: CaseEvent): TransitionRule | undefined {
  return byKey.get(`${state}|${event}`);
}

/** The events `role` may send in `state`, in table order. */
const allowedByStateRole = new Map<string, readonly CaseEvent[]>();

export function allowedEvents(state: CaseState, role: Role): CaseEvent[] {
  const key = `${state} ${role}`;
  let events = allowedByStateRole.get(key);
  if (!events) {
    events = transitionTable.filter((t) => t.from === state && t.roles.includes(role)).map((t) => t.event);
    allowedByStateRole.set(key, events);
  }
  return events.slice();
}

/** The events anyone may send in `state`. */
export function eventsFrom(state: CaseState): CaseEvent[] {
  return transitionTable.filter((t) => t.from === state).map((t) => t.event);
}

/** The state `event` leads to from `state`, or null when the table has no such row. */
export function next(state: CaseState, event: CaseEvent): CaseState | null {
  return ruleOf(state, event)?.to ?? null;
}

export const satisfactions = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const; // 满意/基本满意/不满意
export type Satisfaction = (typeof satisfactions)[number];

export interface TransitionPayload {
  reason?: string;
  evidence?: readonly string[];
  satisfaction?: Satisfaction;
  resolved?: boolean;
  department?: string;
  departments?: readonly string[];
  duplicateOf?: string;
  extension?: { amount: number; unit: string };
  instruction?: string;
}

export type TransitionResult =
  | {
      ok: true;
      from: CaseState;
      to: CaseState;
      requires: readonly PayloadRequirement[];
      conditions: readonly Condition[];
    }
  | { ok: false; error: DomainError };

const nonEmpty = (s: unknown) => typeof s === 'string' && s.trim().length > 0;

function payloadIssues(requires: readonly PayloadRequirement[], p: TransitionPayload): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const need = (field: string, message: string, reason = 'required') =>
    issues.push({ field, reason, message });
  for (const req of requires) {
    switch (req) {
      case 'reason':
        if (!nonEmpty(p.reason)) need('reason', 'a reason is required');
        break;
      case 'instruction':
        if (!nonEmpty(p.instruction)) need('instruction', 'the supervision instruction is required');
        break;
      case 'evidence':
        if (!Array.isArray(p.evidence) || p.evidence.length === 0 || !p.evidence.every(nonEmpty)) {
          need('evidence', 'at least one evidence attachment is required');
        }
        break;
      case 'satisfaction':
        if (!(satisfactions as readonly unknown[]).includes(p.satisfaction)) {
          need('satisfaction', 'satisfaction must be satisfied, basically_satisfied or unsatisfied');
        }
        if (typeof p.resolved !== 'boolean') need('resolved', 'say whether the problem was resolved');
        break;
      case 'department':
        if (!nonEmpty(p.department)) need('department', 'a department is required');
        break;
      case 'departments': {
        const d = p.departments;
        if (!Array.isArray(d) || d.length < 2 || !d.every(nonEmpty)) {
          need('departments', 'co-dispatch needs two or more departments', 'too_small');
        } else if (new Set(d).size !== d.length) {
          need('departments', 'departments must be distinct', 'duplicate');
        }
        break;
      }
      case 'duplicate_of':
        if (!nonEmpty(p.duplicateOf)) need('duplicateOf', 'the duplicated case is required');
        break;
      case 'extension': {
        const e = p.extension;
        if (!e || !Number.isFinite(e.amount) || e.amount <= 0 || !nonEmpty(e.unit)) {
          need('extension', 'the requested extension (amount > 0 and unit) is required');
        }
        break;
      }
    }
  }
  return issues;
}

/**
 * Checks one transition: the table must have the row and list the role (else 409 `case.invalid_transition`
 * with the events the role may send), and the payload must carry what the row requires (else 400
 * `validation.failed` naming each field). Conditions are returned for the service to check.
 */
export function transition(
  state: CaseState,
  event: CaseEvent,
  role: Role,
  payload: TransitionPayload = {},
): TransitionResult {
  const rule = ruleOf(state, event);
  if (!rule || !rule.roles.includes(role)) {
    const allowed = allowedEvents(state, role);
    return {
      ok: false,
      error: new DomainError('case.invalid_transition', `${event} is not allowed in ${state} for ${role}`, {
        state,
        event,
        role,
        allowed,
      }),
    };
  }
  const issues = payloadIssues(rule.requires, payload);
  if (issues.length) {
    return { ok: false, error: new DomainError('validation.failed', `${event} is missing data`, {}, issues) };
  }
  return { ok: true, from: state, to: rule.to, requires: rule.requires, conditions: rule.conditions };
}
