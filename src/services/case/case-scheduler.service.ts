import { periodic } from '../shared/periodic.ts';
import { sql, type Kysely } from 'kysely';
import { finalStates } from '../../domain/case/case-workflow.ts';
import { codePrefix, levelOfCode } from '../../domain/region/region-code.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { Executor } from '../../db/executor.ts';
import { recordCaseEvent } from '../ledger/case-record.ts';
import type { DB } from '../../db/schema.ts';
import type { CaseNotifier } from '../notification/case-notifier.ts';

/** The roles an overdue stage is escalated to. */
const escalationRoles = ['dispatcher', 'leader'] as const;

export interface EscalationRecipient {
  id: string;
  role: string;
}

interface OverdueRow {
  id: string;
  code: string;
  title: string;
  state: string;
  stage: string;
  stage_started_at: Date;
  stage_deadline: Date;
  region_code: string;
}

interface RecipientRow {
  id: string;
  role: string;
  scope_region_code: string | null;
}

/**
 * The case scheduler (超时督办): finds stages past their deadline and escalates each stage run exactly once to the
 * dispatchers and leaders whose scope covers the case's region — a `case_escalation` row, an `escalate` timeline
 * event and a ledger row, in one transaction. Safe with several server processes on one database: candidate rows
 * are claimed with `FOR UPDATE SKIP LOCKED`, and the unique (case, stage, stage start) key with
 * `ON CONFLICT DO NOTHING` is the real exactly-once guarantee. The recipients' ids are recorded in `notified`;
 * with a `notifier`, they get an in-app notification and webhooks a `case.overdue` delivery in the same
 * transaction (so also exactly once).
 */
export function createCaseScheduler(deps: {
  db: Kysely<DB>;
  clock: Clock;
  intervalMs: number;
  /** Cases claimed per transaction. */
  batchSize?: number;
  onError?: (err: unknown) => void;
  /** Notifies the recipients of each escalation (in-app and webhooks). */
  notifier?: CaseNotifier;
}) {
  const { db, clock, intervalMs } = deps;
  const batchSize = deps.batchSize ?? 100;
  const onError =
    deps.onError ??
    ((err: unknown) =>
      process.stderr.write(`case scheduler: ${err instanceof Error ? err.stack : String(err)}\n`));

  async function recipients(ex: Executor): Promise<RecipientRow[]> {
    return ex
      .selectFrom('staff')
      .select(['id', 'role', 'scope_region_code'])
      .where('role', 'in', escalationRoles)
      .where('disabled', '=', false)
      .where('scope_department_id', 'is', null)
      .orderBy('id')
      .execute();
  }

  function covers(r: RecipientRow, regionCode: string): boolean {
    if (r.scope_region_code === null) return true;
    const level = levelOfCode(r.scope_region_code);
    const prefix = level ? codePrefix(r.scope_region_code, level) : r.scope_region_code;
    return regionCode.startsWith(prefix);
  }

  /** One transaction: claims up to `batchSize` overdue, not yet escalated stage runs and escalates them. */
  async function runBatch(): Promise<{ claimed: number; escalated: number }> {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const { rows } = await sql<OverdueRow>`
        SELECT c.id, c.code, c.title, c.state, c.stage, c.stage_started_at, c.stage_deadline, c.region_code
        FROM "case" c
        WHERE c.stage_deadline < ${now}
          AND c.stage IS NOT NULL
          AND c.stage_started_at IS NOT NULL
          AND c.state NOT IN (${sql.join(finalStates)})
          AND NOT EXISTS (
            SELECT 1 FROM case_escalation e
            WHERE e.case_id = c.id AND e.stage = c.stage AND e.stage_started_at = c.stage_started_at
          )
        ORDER BY c.stage_deadline, c.id
        LIMIT ${batchSize}
        FOR UPDATE OF c SKIP LOCKED
      `.execute(trx);
      if (rows.length === 0) return { claimed: 0, escalated: 0 };

      const staff = await recipients(trx);
      let escalated = 0;
      for (const row of rows) {
        const notified: EscalationRecipient[] = staff
          .filter((s) => covers(s, row.region_code))
          .map((s) => ({ id: s.id, role: s.role }));
        // Copied from the case row itself so the key matches it to the microsecond.
        const { rows: inserted } = await sql<{ id: string }>`
          INSERT INTO case_escalation (case_id, stage, stage_started_at, stage_deadline, escalated_at, notified)
          SELECT c.id, c.stage, c.stage_started_at, c.stage_deadline, ${now}, ${JSON.stringify(notified)}::jsonb
          FROM "case" c WHERE c.id = ${row.id}
          ON CONFLICT (case_id, stage, stage_started_at) DO NOTHING
          RETURNING id
        `.execute(trx);
        if (inserted.length === 0) continue;
        escalated++;
        const deadline = row.stage_deadline.toISOString();
        const payload = {
          stage: row.stage,
          stageStartedAt: row.stage_started_at.toISOString(),
          stageDeadline: deadline,
          notified: notified.map((n) => n.id),
        };
        await recordCaseEvent(trx, {
          caseId: row.id,
          at: now,
          actor: { id: null, name: 'system', role: null },
          event: 'escalate',
          from: row.state,
          to: row.state,
          comment: `stage ${row.stage} overdue since ${deadline}; escalated to ${notified.length} dispatcher(s)/leader(s)`,
          details: payload,
          fact: { kind: 'case.escalate', payload: { code: row.code, state: row.state, ...payload } },
        });
        await deps.notifier?.overdue(trx, {
          caseId: row.id,
          code: row.code,
          title: row.title,
          state: row.state,
          regionCode: row.region_code,
          stage: row.stage,
          stageDeadline: row.stage_deadline,
          recipientIds: notified.map((n) => n.id),
          at: now,
        });
      }
      return { claimed: rows.length, escalated };
    });
  }

  /** Escalates every overdue stage run not escalated yet, batch by batch. */
  async function runOnce(): Promise<{ escalated: number }> {
    let escalated = 0;
    for (;;) {
      const r = await runBatch();
      escalated += r.escalated;
      if (r.claimed < batchSize) return { escalated };
    }
  }

  const loop = periodic(runOnce, intervalMs, onError);

  return {
    runOnce,

    /** Runs every `intervalMs` (the first run one interval after start); runs never overlap. */
    start: loop.start,

    /** Stops the timer and waits for a run in progress, so the database can be closed afterwards. */
    stop: loop.stop,
  };
}

export type CaseScheduler = ReturnType<typeof createCaseScheduler>;
