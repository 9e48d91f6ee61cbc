/**
 * Every fact the ledger records, by kind, with the payload each carries. The ledger is append-only and written
 * only through src/db/repositories/ledger.repository.ts (a test fails when anything else writes `ledger_entry`);
 * the tamper-evident log of the data-exchange module is to be built on it.
 */
export interface LedgerFacts {
  /** A case was filed. */
  'case.create': {
    code: string;
    state: string;
    version: 1;
    actorId: string | null;
    categoryCode: string;
    regionCode: string | null;
  };
  /** A workflow step, or a reply passed on from the case it was merged into (`via`). */
  'case.event': {
    code: string;
    event: string;
    from: string;
    to: string;
    version: number;
    actorId: string | null;
    /** The step was taken by the reporter (a rating), not by staff. */
    actor?: 'reporter';
    /** Code of the case whose reply reached this merged one. */
    via?: string;
  };
  /** The scheduler escalated an overdue stage. */
  'case.escalate': {
    code: string;
    state: string;
    stage: string;
    stageStartedAt: string;
    stageDeadline: string;
    notified: string[];
  };
}

export type LedgerKind = keyof LedgerFacts;

/** What a ledger entry is about. */
export type LedgerSubject = 'case';

export type LedgerEntry = {
  [K in LedgerKind]: {
    at: Date;
    kind: K;
    subjectType: LedgerSubject;
    subjectId: string;
    payload: LedgerFacts[K];
  };
}[LedgerKind];
