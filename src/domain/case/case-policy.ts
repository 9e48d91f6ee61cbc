/**
 * Case rules that need a little data beyond the transition table: where a case starts, whether it must be
 * verified, whom it is dispatched to, and whether an unsatisfied reply may reopen it.
 */
import type { Role } from '../identity/role.ts';
import type { DispatchRule } from '../taxonomy/category.ts';
import type { CaseState, Satisfaction } from './case-workflow.ts';

/**
 * A report needs inspector verification (核实) when its category asks for it, unless an inspector reported it
 * (an inspector's own report is verified by the person who saw it).
 */
export function needsVerification(
  category: { requiresVerification: boolean },
  reporterRole: Role | null,
): boolean {
  return category.requiresVerification && reporterRole !== 'grid_worker';
}

/** Inspectors' own reports start at 待立案; everything else starts at 已上报. */
export function initialState(reporterRole: Role | null): CaseState {
  return reporterRole === 'grid_worker' ? 'pending_filing' : 'reported';
}

export interface DispatchCandidates {
  /** The component's owner (权属单位), from the component registry or the responsibility list. */
  owner?: string | null;
  /** The department responsible for the place (属地: street/town office, community), from the grid. */
  territory?: string | null;
  /** The district-level fallback (区兜底). */
  district: string;
}

export interface DispatchTarget {
  department: string;
  basis: 'owner' | 'territory' | 'district_fallback';
}

/**
 * 部件 "先属主、后属地" (owner first, then territory); 事件 "先属地、后属主" (territory first, then owner);
 * the district when nothing matches.
 */
export function dispatchTarget(rule: DispatchRule, c: DispatchCandidates): DispatchTarget {
  const order: ('owner' | 'territory')[] =
    rule === 'owner_first' ? ['owner', 'territory'] : ['territory', 'owner'];
  for (const basis of order) {
    const department = c[basis];
    if (department) return { department, basis };
  }
  return { department: c.district, basis: 'district_fallback' };
}

/** Default reopen window: 7 natural days after the reply, configurable per deployment. */
export const defaultReopenWindowDays = 7;

export interface ReplyRecord {
  at: Date;
  resolved: boolean;
  satisfaction: Satisfaction;
}

/**
 * A replied case may be reopened when the reporter was unsatisfied (不满意) or said it was not resolved, and no
 * more than `windowDays` natural days have passed since the reply.
 */
export function reopenAllowed(reply: ReplyRecord, now: Date, windowDays = defaultReopenWindowDays): boolean {
  const unhappy = reply.satisfaction === 'unsatisfied' || !reply.resolved;
  const age = now.getTime() - reply.at.getTime();
  return unhappy && age >= 0 && age <= windowDays * 86_400_000;
}
