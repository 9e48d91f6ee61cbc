import { describe, expect, it } from 'vitest';
import { roles } from '../identity/role.ts';
import type { Role } from '../identity/role.ts';
import { httpStatusOf } from '../shared/domain-error.ts';
import { slaStages } from '../sla/time-limit.ts';
import {
  allowedEvents,
  caseEvents,
  caseStates,
  finalStates,
  initialStates,
  next,
  ruleOf,
  stageOfState,
  transition,
  transitionTable,
} from './case-workflow.ts';
import type { CaseEvent, CaseState, PayloadRequirement, TransitionPayload } from './case-workflow.ts';

/** A payload that satisfies every requirement. */
const full: TransitionPayload = {
  reason: '不属于本部门职责',
  evidence: ['att-1'],
  satisfaction: 'unsatisfied',
  resolved: false,
  department: 'dept-1',
  departments: ['dept-1', 'dept-2'],
  duplicateOf: 'case-1',
  extension: { amount: 2, unit: 'working_days' },
  instruction: '请于今日内处置',
};

describe('the transition table', () => {
  it('has one row per (state, event), only known states, events and roles', () => {
    const keys = transitionTable.map((t) => `${t.from}|${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of transitionTable) {
      expect(caseStates).toContain(t.from);
      expect(caseStates).toContain(t.to);
      expect(caseEvents).toContain(t.event);
      expect(t.roles.length).toBeGreaterThan(0);
      for (const role of t.roles) expect(roles).toContain(role);
    }
  });

  it('uses every event', () => {
    for (const e of caseEvents)
      expect(
        transitionTable.some((t) => t.event === e),
        e,
      ).toBe(true);
  });

  const triples = caseStates.flatMap((state) =>
    caseEvents.flatMap((event) => roles.map((role) => [state, event, role] as [CaseState, CaseEvent, Role])),
  );

  it(`covers every (state, event, role) triple (${triples.length})`, () => {
    let allowed = 0;
    for (const [state, event, role] of triples) {
      const rule = ruleOf(state, event);
      const result = transition(state, event, role, full);
      if (rule && rule.roles.includes(role)) {
        allowed++;
        expect(allowedEvents(state, role), `${state} ${event} ${role}`).toContain(event);
        expect(result, `${state} ${event} ${role}`).toEqual({
          ok: true,
          from: state,
          to: rule.to,
          requires: rule.requires,
          conditions: rule.conditions,
        });
        expect(next(state, event)).toBe(rule.to);
      } else {
        expect(allowedEvents(state, role), `${state} ${event} ${role}`).not.toContain(event);
        expect(result.ok, `${state} ${event} ${role}`).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe('case.invalid_transition');
        expect(httpStatusOf(result.error.code)).toBe(409);
        expect(result.error.details).toEqual({ state, event, role, allowed: allowedEvents(state, role) });
        if (!rule) expect(next(state, event)).toBeNull();
      }
    }
    expect(allowed).toBe(transitionTable.reduce((n, t) => n + t.roles.length, 0));
  });

  it('gives each role the duties of product.md', () => {
    const can = (role: Role, event: CaseEvent) =>
      transitionTable.filter((t) => t.event === event).some((t) => t.roles.includes(role));
    expect(can('grid_worker', 'verify_ok') && can('grid_worker', 'check_pass')).toBe(true);
    expect(can('shift_lead', 'file') && can('shift_lead', 'void') && can('shift_lead', 'close')).toBe(true);
    for (const e of ['dispatch', 'co_dispatch', 'approve_extension', 'approve_suspension'] as const) {
      expect(can('dispatcher', e), e).toBe(true);
    }
    expect(allowedEvents('returned', 'dispatcher')).toEqual([
      'dispatch',
      'co_dispatch',
      'reject_return',
      'supervise',
    ]);
    for (const e of ['accept', 'return', 'handle', 'request_extension'] as const)
      expect(can('handler', e), e).toBe(true);
    expect(can('intake_operator', 'reply')).toBe(true);
    expect(can('leader', 'supervise')).toBe(true);
    for (const role of ['admin', 'auditor', 'data_steward'] as const) {
      for (const s of caseStates) expect(allowedEvents(s, role), `${role} ${s}`).toEqual([]);
    }
    expect(allowedEvents('in_progress', 'handler')).toEqual([
      'handle',
      'return',
      'request_extension',
      'request_suspension',
    ]);
  });
});

describe('payload guards', () => {
  const missing = (state: CaseState, event: CaseEvent, role: Role, payload: TransitionPayload) => {
    const r = transition(state, event, role, payload);
    if (r.ok) throw new Error('expected a failure');
    expect(r.error.code).toBe('validation.failed');
    return r.error.issues.map((i) => i.field);
  };

  it('requires a reason to void, return, reject, fail a check and reopen', () => {
    expect(missing('pending_filing', 'void', 'shift_lead', {})).toEqual(['reason']);
    expect(missing('pending_filing', 'void', 'shift_lead', { reason: '   ' })).toEqual(['reason']);
    expect(missing('dispatched', 'return', 'handler', {})).toEqual(['reason']);
    expect(missing('returned', 'reject_return', 'dispatcher', {})).toEqual(['reason']);
    expect(missing('extension_pending', 'reject_extension', 'dispatcher', {})).toEqual(['reason']);
    expect(missing('suspension_pending', 'reject_suspension', 'dispatcher', {})).toEqual(['reason']);
    expect(missing('pending_check', 'check_fail', 'grid_worker', {})).toEqual(['reason']);
    expect(missing('replied', 'reopen', 'intake_operator', {})).toEqual(['reason']);
  });

  it('requires evidence to handle and to pass a check', () => {
    expect(missing('in_progress', 'handle', 'handler', {})).toEqual(['evidence']);
    expect(missing('in_progress', 'handle', 'handler', { evidence: [] })).toEqual(['evidence']);
    expect(missing('rework', 'handle', 'handler', { evidence: [''] })).toEqual(['evidence']);
    expect(missing('pending_check', 'check_pass', 'grid_worker', {})).toEqual(['evidence']);
    expect(transition('in_progress', 'handle', 'handler', { evidence: ['photo-after'] })).toMatchObject({
      ok: true,
      to: 'pending_check',
    });
  });

  it('requires satisfaction and resolved to reply', () => {
    expect(missing('closed', 'reply', 'intake_operator', {})).toEqual(['satisfaction', 'resolved']);
    expect(
      missing('closed', 'reply', 'intake_operator', { satisfaction: 'meh' as never, resolved: true }),
    ).toEqual(['satisfaction']);
    for (const satisfaction of ['satisfied', 'basically_satisfied', 'unsatisfied'] as const) {
      expect(transition('closed', 'reply', 'intake_operator', { satisfaction, resolved: true }).ok).toBe(
        true,
      );
    }
  });

  it('requires departments for dispatch and co-dispatch, and the duplicate for merge', () => {
    expect(missing('filed', 'dispatch', 'dispatcher', {})).toEqual(['department']);
    expect(missing('filed', 'co_dispatch', 'dispatcher', { departments: ['a'] })).toEqual(['departments']);
    expect(missing('filed', 'co_dispatch', 'dispatcher', { departments: ['a', 'a'] })).toEqual([
      'departments',
    ]);
    expect(missing('reported', 'merge', 'intake_operator', {})).toEqual(['duplicateOf']);
    expect(missing('in_progress', 'request_extension', 'handler', { reason: 'x' })).toEqual(['extension']);
    expect(
      missing('in_progress', 'request_extension', 'handler', {
        reason: 'x',
        extension: { amount: 0, unit: 'h' },
      }),
    ).toEqual(['extension']);
    expect(missing('filed', 'supervise', 'leader', {})).toEqual(['instruction']);
  });

  it('checks role before payload: a wrong role gets 409 even with an empty payload', () => {
    const r = transition('pending_filing', 'void', 'handler');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('case.invalid_transition');
  });

  it('returns the conditions the service must check', () => {
    expect(transition('reported', 'register', 'intake_operator')).toMatchObject({
      ok: true,
      conditions: ['verification_not_required'],
    });
    expect(transition('replied', 'reopen', 'shift_lead', { reason: '群众不满意' })).toMatchObject({
      ok: true,
      to: 'reopened',
      conditions: ['reopen_window'],
    });
  });
});

describe('the shape of the workflow', () => {
  const successors = (s: CaseState) => transitionTable.filter((t) => t.from === s).map((t) => t.to);

  it('reaches every state from reported', () => {
    const seen = new Set<CaseState>(['reported']);
    const queue: CaseState[] = ['reported'];
    while (queue.length) {
      for (const to of successors(queue.shift()!)) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...caseStates].sort());
    expect(initialStates).toContain('reported');
  });

  it('can finish (closed, voided or merged) from every state but the terminal ones', () => {
    const canFinish = (s: CaseState) => {
      const seen = new Set<CaseState>([s]);
      const queue = [s];
      while (queue.length) {
        const cur = queue.shift()!;
        if (cur === 'closed' || cur === 'voided' || cur === 'merged') return true;
        for (const to of successors(cur)) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      return false;
    };
    for (const s of caseStates) expect(canFinish(s), s).toBe(true);
  });

  it('keeps closed, voided and merged terminal except the documented reply → reopen path', () => {
    expect(transitionTable.filter((t) => t.from === 'voided')).toEqual([]);
    expect(transitionTable.filter((t) => t.from === 'merged')).toEqual([]);
    expect(transitionTable.filter((t) => t.from === 'closed').map((t) => [t.event, t.to])).toEqual([
      ['reply', 'replied'],
    ]);
    expect(transitionTable.filter((t) => t.from === 'replied').map((t) => [t.event, t.to])).toEqual([
      ['reopen', 'reopened'],
    ]);
    for (const s of finalStates) expect(stageOfState[s] === null || s === 'closed', s).toBe(true);
  });

  it('supervision (督办) never changes the state', () => {
    for (const t of transitionTable.filter((x) => x.event === 'supervise')) expect(t.to).toBe(t.from);
  });

  it('names an SLA stage for every running state and none while suspended', () => {
    for (const s of caseStates) {
      const stage = stageOfState[s];
      if (stage !== null) expect(slaStages).toContain(stage);
    }
    expect(stageOfState.suspended).toBeNull();
    expect(stageOfState.in_progress).toBe('handle');
    expect(stageOfState.rework).toBe('handle');
    expect(stageOfState.verifying).toBe('verify');
  });

  it('every requirement named in the table is checked by transition()', () => {
    const used = new Set<PayloadRequirement>(transitionTable.flatMap((t) => t.requires));
    for (const req of used) {
      const rule = transitionTable.find((t) => t.requires.includes(req))!;
      const r = transition(rule.from, rule.event, rule.roles[0]!, {});
      expect(r.ok, req).toBe(false);
    }
  });
});
