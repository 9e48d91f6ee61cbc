import { describe, expect, it } from 'vitest';
import { caseStates, ruleOf } from './case-workflow.ts';
import { reporterEvents, reporterRules, reporterTransition } from './reporter-workflow.ts';

describe('reporter rules', () => {
  it('every reporter rule is a row of the staff table with the same target (one state machine)', () => {
    for (const r of reporterRules) expect(ruleOf(r.from, r.event)?.to).toBe(r.to);
  });

  it('the reporter may rate (reply) only a closed case', () => {
    for (const s of caseStates) {
      expect(reporterEvents(s)).toEqual(s === 'closed' ? ['reply'] : []);
      const res = reporterTransition(s, 'reply', { satisfaction: 'satisfied', resolved: true });
      if (s === 'closed') expect(res).toEqual({ ok: true, from: 'closed', to: 'replied' });
      else expect(res.ok ? 'ok' : res.error.code).toBe('case.invalid_transition');
    }
    const other = reporterTransition('closed', 'reopen', { satisfaction: 'satisfied', resolved: true });
    expect(other.ok ? 'ok' : other.error.code).toBe('case.invalid_transition');
  });

  it('a rating needs satisfaction and resolved', () => {
    const res = reporterTransition('closed', 'reply', {});
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.issues.map((i) => i.field)).toEqual(['satisfaction', 'resolved']);
  });
});
