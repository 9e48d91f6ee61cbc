/**
 * What the citizen who reported a case (反映人) may do to it themselves, through the public tracking page. The
 * reporter is not a staff role, so these rules sit beside the staff table in case-workflow.ts instead of in it:
 * every rule here must also be a row of that table (same from, event and to), so the state machine stays one.
 * Today there is one: rating the answer (评价 = the `reply` transition, closed → replied) once the case is closed.
 */
import { DomainError, type FieldIssue } from '../shared/domain-error.ts';
import { next, satisfactions, type CaseEvent, type CaseState, type Satisfaction } from './case-workflow.ts';

export interface ReporterRule {
  from: CaseState;
  event: CaseEvent;
  to: CaseState;
}

export const reporterRules: readonly ReporterRule[] = Object.freeze([
  { from: 'closed', event: 'reply', to: 'replied' },
]);

/** The name the timeline shows for the reporter acting on their own case. */
export const REPORTER_ACTOR_NAME = '市民';

export interface ReporterRating {
  satisfaction: Satisfaction;
  resolved: boolean;
}

export type ReporterTransition =
  { ok: true; from: CaseState; to: CaseState } | { ok: false; error: DomainError };

/** The events the reporter may send in `state`. */
export function reporterEvents(state: CaseState): CaseEvent[] {
  return reporterRules.filter((r) => r.from === state).map((r) => r.event);
}

/**
 * Checks a reporter's request like `transition` checks a staff member's: a state the rules do not cover answers
 * 409 `case.invalid_transition`, a rating without satisfaction or resolved answers 400 naming the field.
 */
export function reporterTransition(
  state: CaseState,
  event: CaseEvent,
  rating: Partial<ReporterRating>,
): ReporterTransition {
  const rule = reporterRules.find((r) => r.from === state && r.event === event);
  if (!rule || next(state, event) !== rule.to) {
    return {
      ok: false,
      error: new DomainError('case.invalid_transition', `${event} is not open to the reporter in ${state}`, {
        state,
        event,
        role: 'reporter',
        allowed: reporterEvents(state),
      }),
    };
  }
  const issues: FieldIssue[] = [];
  if (!(satisfactions as readonly unknown[]).includes(rating.satisfaction)) {
    issues.push({ field: 'satisfaction', reason: 'required', message: 'required' });
  }
  if (typeof rating.resolved !== 'boolean') {
    issues.push({ field: 'resolved', reason: 'required', message: 'required' });
  }
  if (issues.length) {
    return { ok: false, error: new DomainError('validation.failed', `${event} is missing data`, {}, issues) };
  }
  return { ok: true, from: state, to: rule.to };
}
