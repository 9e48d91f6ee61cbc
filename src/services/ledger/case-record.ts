import type { LedgerFacts, LedgerKind } from '../../domain/ledger/ledger-facts.ts';
import type { Executor } from '../../db/executor.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import { ledgerRepository } from '../../db/repositories/ledger.repository.ts';

/** A ledger fact about a case, without the time and subject (the step gives them). */
export type CaseFact = { [K in LedgerKind]: { kind: K; payload: LedgerFacts[K] } }[LedgerKind];

export interface CaseEventRecord {
  caseId: string;
  at: Date;
  actor: { id: string | null; name: string | null; role: string | null };
  event: string;
  from: string | null;
  to: string;
  comment: string | null;
  /** What the timeline shows with the step. */
  details: Record<string, unknown>;
  fact: CaseFact;
}

/**
 * Records one step of a case: its timeline row and its ledger entry, in the caller's transaction, so neither is
 * ever written without the other. Returns the timeline row's id (attachments link to it).
 */
export async function recordCaseEvent(ex: Executor, r: CaseEventRecord): Promise<string> {
  const eventId = await caseRepository.appendEvent(ex, {
    caseId: r.caseId,
    at: r.at,
    actorId: r.actor.id,
    actorName: r.actor.name,
    role: r.actor.role,
    event: r.event,
    fromState: r.from,
    toState: r.to,
    comment: r.comment,
    payload: r.details,
  });
  await ledgerRepository.append(ex, [{ at: r.at, subjectType: 'case', subjectId: r.caseId, ...r.fact }]);
  return eventId;
}
