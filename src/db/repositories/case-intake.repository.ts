import type { LedgerFacts } from '../../domain/ledger/ledger-facts.ts';
import { CompiledQuery, sql, type Insertable } from 'kysely';
import type { Executor } from '../executor.ts';
import { PREPARE } from '../prepared.ts';
import type { CaseTable } from '../schema.ts';
import { ledgerRepository } from './ledger.repository.ts';

/** A responsibility rule whose department is not disabled, as the suggestion reads it. */
export interface ActiveRule {
  id: string;
  category_code: string;
  region_code: string;
  department_id: string;
  priority: number;
  created_at: Date;
}

/**
 * The version of everything a case is filed under (catalogue, calendar, responsibility list, departments), bumped
 * by triggers on each write (migration 0012).
 */
const INTAKE_VERSION = `(SELECT (value #>> '{}')::bigint FROM app_setting WHERE key = 'intake.version')`;

/** One case to file. */
export interface FileCaseItem {
  row: Omit<Insertable<CaseTable>, 'code'> & { id: string };
  event: {
    at: Date | string;
    actorId: string | null;
    actorName: string | null;
    role: string | null;
    toState: string;
    payload: Record<string, unknown>;
  };
  /** The `case.create` ledger fact; the statement adds the code it draws. */
  ledger: Omit<LedgerFacts['case.create'], 'code'>;
  /**
   * With a key, the key is stored in the same statement with `{"caseId": …}` as its response: a retry is answered
   * with that case (`replayedCaseId`), so the statement does not carry a copy of the answer.
   */
  idempotency: { key: string; scope: string; requestHash: string } | null;
}

/** What only the database knows once a case is written. */
export interface FiledCase {
  code: string;
  communityName: string | null;
  streetName: string | null;
  suggestedDepartment: { id: string; name: string } | null;
}

/** The statement's text for one set of case columns (one in practice: every row is built the same way). */
const texts = new Map<string, string>();

function fileCasesText(columns: readonly string[]): string {
  const cacheKey = columns.join(',');
  let text = texts.get(cacheKey);
  if (text) return text;
  const cols = columns.map((c) => `"${c}"`).join(', ');
  // $1 day, $2 intake version, $3 how many, $4 the case rows, $5 the rest of each case, both in filing order.
  text = `${PREPARE}
    WITH r AS (
      SELECT * FROM json_populate_recordset(NULL::"case", $4::json)
    ), i AS (
      SELECT * FROM json_to_recordset($5::json) AS x(
        id uuid, ord int, at timestamptz, actor_id uuid, actor_name text, role text, to_state text, payload jsonb,
        ledger jsonb, key text, scope text, request_hash text)
    ), seq AS (
      INSERT INTO case_code_counter AS k (day, last)
      SELECT $1, $3 WHERE ${INTAKE_VERSION} = $2
      ON CONFLICT (day) DO UPDATE SET last = k.last + $3
      RETURNING k.day, k.last - $3 AS base
    ), c AS (
      INSERT INTO "case" (${cols}, code)
      SELECT ${columns.map((c) => `r."${c}"`).join(', ')}, seq.day || lpad((seq.base + i.ord)::text, 5, '0')
      FROM r JOIN i ON i.id = r.id CROSS JOIN seq
      ORDER BY i.ord
      RETURNING id, code, community_code, street_code, suggested_department_id
    ), ev AS (
      INSERT INTO case_event (case_id, at, actor_id, actor_name, role, event, from_state, to_state, comment, payload)
      SELECT c.id, i.at, i.actor_id, i.actor_name, i.role, 'create', NULL, i.to_state, NULL, i.payload
      FROM c JOIN i ON i.id = c.id ORDER BY i.ord
    ), led AS (
      ${ledgerRepository.insertFrom(`SELECT i.at, 'case.create', 'case', c.id::text, i.ledger || jsonb_build_object('code', c.code)
      FROM c JOIN i ON i.id = c.id ORDER BY i.ord`)}
    ), idem AS (
      INSERT INTO idempotency_key (key, scope, request_hash, response, created_at)
      SELECT i.key, i.scope, i.request_hash, jsonb_build_object('caseId', c.id), i.at
      FROM c JOIN i ON i.id = c.id
      WHERE i.key IS NOT NULL
      ORDER BY i.ord
    )
    SELECT c.id, c.code, community.name AS community_name, street.name AS street_name,
      d.id AS department_id, d.name AS department_name
    FROM c
    LEFT JOIN region community ON community.code = c.community_code
    LEFT JOIN region street ON street.code = c.street_code
    LEFT JOIN department d ON d.id = c.suggested_department_id`;
  if (texts.size > 64) texts.clear();
  texts.set(cacheKey, text);
  return text;
}

/** Case intake: what it is filed under, and its write — one statement, so the day's counter is never held long. */
export const caseIntakeRepository = {
  /** The intake version now, and the newest catalogue version (cases are filed under it). */
  async version(ex: Executor): Promise<{ version: number; catalogueVersion: number }> {
    const r = await sql<{ v: number | null; c: number | null }>`
      SELECT ${sql.raw(INTAKE_VERSION)} AS v, (SELECT max(version) FROM category_version) AS c
    `.execute(ex);
    return { version: Number(r.rows[0]?.v ?? -1), catalogueVersion: r.rows[0]?.c ?? 0 };
  },

  /** Every rule whose department is not disabled, oldest first (the order ties are broken in). */
  activeRules(ex: Executor): Promise<ActiveRule[]> {
    return ex
      .selectFrom('responsibility_rule')
      .innerJoin('department', 'department.id', 'responsibility_rule.department_id')
      .select([
        'responsibility_rule.id',
        'responsibility_rule.category_code',
        'responsibility_rule.region_code',
        'responsibility_rule.department_id',
        'responsibility_rule.priority',
        'responsibility_rule.created_at',
      ])
      .where('department.disabled', '=', false)
      .orderBy('responsibility_rule.created_at')
      .orderBy('responsibility_rule.id')
      .execute();
  },

  /**
   * Files cases of one day, in order: the day's next codes (taken once for all), each case row, its `create`
   * timeline event, its ledger entry and, with an idempotency key, the key naming the case — all or nothing, in one
   * autocommitted statement, so that the day's counter row stays locked only while this statement commits. Returns
   * what only the database knows, by case id; or undefined, with nothing written, when the intake version moved
   * on. A key already used fails the whole statement with a unique violation on `idempotency_key`.
   */
  async fileCases(
    ex: Executor,
    version: number,
    day: string,
    items: readonly FileCaseItem[],
  ): Promise<Map<string, FiledCase> | undefined> {
    const columns = [...new Set(items.flatMap((it) => Object.keys(it.row)))].sort();
    const rest = items.map((it, n) => ({
      id: it.row.id,
      ord: n + 1,
      at: it.event.at,
      actor_id: it.event.actorId,
      actor_name: it.event.actorName,
      role: it.event.role,
      to_state: it.event.toState,
      payload: it.event.payload,
      ledger: it.ledger,
      key: it.idempotency?.key ?? null,
      scope: it.idempotency?.scope ?? null,
      request_hash: it.idempotency?.requestHash ?? null,
    }));
    const r = await ex.executeQuery<{
      id: string;
      code: string;
      community_name: string | null;
      street_name: string | null;
      department_id: string | null;
      department_name: string | null;
    }>(
      CompiledQuery.raw(fileCasesText(columns), [
        day,
        version,
        items.length,
        JSON.stringify(items.map((it) => it.row)),
        JSON.stringify(rest),
      ]),
    );
    if (r.rows.length === 0) return undefined;
    if (r.rows.length !== items.length) throw new Error(`filed ${r.rows.length} of ${items.length} cases`);
    return new Map(
      r.rows.map((row) => [
        row.id,
        {
          code: row.code,
          communityName: row.community_name,
          streetName: row.street_name,
          suggestedDepartment:
            row.department_id !== null ? { id: row.department_id, name: row.department_name ?? '' } : null,
        },
      ]),
    );
  },
};

/** Whether `err` is the unique violation of an idempotency key already used (the statement wrote nothing). */
export function isUsedIdempotencyKey(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; table?: string } | null;
  return (
    e?.code === '23505' && (e.table === 'idempotency_key' || !!e.constraint?.startsWith('idempotency_key'))
  );
}
