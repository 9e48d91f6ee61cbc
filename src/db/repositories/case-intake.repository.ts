import { CompiledQuery, sql, type Insertable } from 'kysely';
import type { Executor } from '../executor.ts';
import { PREPARE } from '../prepared.ts';
import type { CaseTable } from '../schema.ts';

/**
 * What a case is filed under, as one process last read it: the newest catalogue version and a fingerprint of the
 * work calendar (its deadlines come from both). The intake statement re-checks them, so a version published or a
 * calendar year loaded by any process applies to the very next case, without a query per case to find out.
 */
export interface IntakeGuard {
  catalogueVersion: number;
  calendarStamp: string;
  /** Bumped by triggers on every write to the responsibility list or the departments (migration 0012). */
  responsibilityVersion: number;
}

/** A responsibility rule whose department is not disabled, as the suggestion reads it. */
export interface ActiveRule {
  id: string;
  category_code: string;
  region_code: string;
  department_id: string;
  priority: number;
  created_at: Date;
}

const LATEST_CATALOGUE = `(SELECT max(version) FROM category_version)`;
const RESPONSIBILITY_VERSION = `(
  SELECT (value #>> '{}')::bigint FROM app_setting WHERE key = 'responsibility.version'
)`;
const CALENDAR_STAMP = `(
  SELECT coalesce(md5(string_agg(year::text || ':' || holidays::text || ':' || makeup_workdays::text, ';'
    ORDER BY year)), '')
  FROM calendar_year
)`;

export interface FileCaseInput {
  guard: IntakeGuard;
  /** The case's day in China time (YYYYMMDD): its code is the day and the day's next 5-digit number. */
  day: string;
  row: Omit<Insertable<CaseTable>, 'code'>;
  event: {
    at: Date;
    actorId: string | null;
    actorName: string | null;
    role: string | null;
    toState: string;
    payload: Record<string, unknown>;
  };
  /** The ledger entry's payload; the code is added. */
  ledger: Record<string, unknown>;
  /**
   * With a key, the answer is stored under it in the same statement: `response` with `code`, `communityName`,
   * `streetName` and `suggestedDepartment` ({id, name} or null) set from the rows as written — the values
   * `fileCase` returns, from which the caller completes its own copy the same way.
   */
  idempotency: { key: string; scope: string; requestHash: string; response: Record<string, unknown> } | null;
}

/** What only the database knows once the case is written. */
export interface FiledCase {
  code: string;
  communityName: string | null;
  streetName: string | null;
  suggestedDepartment: { id: string; name: string } | null;
}

/** The statement's text for one set of case columns, with or without the idempotency key (a handful in all). */
const texts = new Map<string, string>();

function fileCaseText(columns: readonly string[], withKey: boolean): string {
  const cacheKey = `${withKey}:${columns.join(',')}`;
  let text = texts.get(cacheKey);
  if (text) return text;
  // $1 day, $2 catalogue version, $3 calendar stamp, $4 responsibility version, $5…$9 event, $10 event payload,
  // $11 ledger payload, then the case columns, then (with a key) key, scope, hash and the answer.
  const first = 12;
  const values = columns.map((_, i) => `$${first + i}`).join(', ');
  const k = first + columns.length;
  text = `${PREPARE}
    WITH seq AS (
      INSERT INTO case_code_counter AS k (day, last)
      SELECT $1, 1
      WHERE ${LATEST_CATALOGUE} = $2 AND ${CALENDAR_STAMP} = $3 AND ${RESPONSIBILITY_VERSION} = $4
      ON CONFLICT (day) DO UPDATE SET last = k.last + 1
      RETURNING k.day || lpad(k.last::text, 5, '0') AS code
    ), c AS (
      INSERT INTO "case" (${columns.map((c) => `"${c}"`).join(', ')}, code)
      SELECT ${values}, seq.code FROM seq
      RETURNING id, code, community_code, street_code, suggested_department_id
    ), ev AS (
      INSERT INTO case_event (case_id, at, actor_id, actor_name, role, event, from_state, to_state, comment, payload)
      SELECT c.id, $5, $6, $7, $8, 'create', NULL, $9, NULL, $10::jsonb FROM c
    ), led AS (
      INSERT INTO ledger_entry (at, kind, subject_type, subject_id, payload)
      SELECT $5, 'case.create', 'case', c.id::text, $11::jsonb || jsonb_build_object('code', c.code) FROM c
    ), out AS (
      SELECT c.code, community.name AS community_name, street.name AS street_name,
        d.id AS department_id, d.name AS department_name
      FROM c
      LEFT JOIN region community ON community.code = c.community_code
      LEFT JOIN region street ON street.code = c.street_code
      LEFT JOIN department d ON d.id = c.suggested_department_id
    )${
      withKey
        ? `, idem AS (
      INSERT INTO idempotency_key (key, scope, request_hash, response, created_at)
      SELECT $${k}, $${k + 1}, $${k + 2}, $${k + 3}::jsonb || jsonb_build_object(
        'code', out.code,
        'communityName', out.community_name,
        'streetName', out.street_name,
        'suggestedDepartment', CASE WHEN out.department_id IS NULL THEN NULL
          ELSE jsonb_build_object('id', out.department_id, 'name', out.department_name) END
      ), $5
      FROM out
    )`
        : ''
    }
    SELECT code, community_name, street_name, department_id, department_name FROM out`;
  if (texts.size > 64) texts.clear();
  texts.set(cacheKey, text);
  return text;
}

/** Case intake's write: one statement, so that the day's code counter is never held across round trips. */
export const caseIntakeRepository = {
  /** The guard as the database sees it now. */
  async guard(ex: Executor): Promise<IntakeGuard> {
    const r = await sql<{ v: number | null; s: string; rv: number | null }>`SELECT
      ${sql.raw(LATEST_CATALOGUE)} AS v, ${sql.raw(CALENDAR_STAMP)} AS s, ${sql.raw(RESPONSIBILITY_VERSION)} AS rv
    `.execute(ex);
    const row = r.rows[0];
    return {
      catalogueVersion: row?.v ?? 0,
      calendarStamp: row?.s ?? '',
      responsibilityVersion: Number(row?.rv ?? -1),
    };
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
   * Files a case: the day's next code, the case row, its `create` timeline event, its ledger entry and, with an
   * idempotency key, the key with the answer — all or nothing, in one autocommitted statement (or inside the
   * caller's transaction). Returns what only the database knows, or undefined (nothing written) when the guard no
   * longer holds. A key already used fails the statement with a unique violation on `idempotency_key`.
   */
  async fileCase(ex: Executor, f: FileCaseInput): Promise<FiledCase | undefined> {
    const entries = Object.entries(f.row).filter(([, v]) => v !== undefined);
    const e = f.event;
    const params: unknown[] = [
      f.day,
      f.guard.catalogueVersion,
      f.guard.calendarStamp,
      f.guard.responsibilityVersion,
      e.at,
      e.actorId,
      e.actorName,
      e.role,
      e.toState,
      JSON.stringify(e.payload),
      JSON.stringify(f.ledger),
      ...entries.map(([, v]) => v),
    ];
    if (f.idempotency) {
      const i = f.idempotency;
      params.push(i.key, i.scope, i.requestHash, JSON.stringify(i.response));
    }
    const text = fileCaseText(
      entries.map(([k]) => k),
      f.idempotency !== null,
    );
    const r = await ex.executeQuery<{
      code: string;
      community_name: string | null;
      street_name: string | null;
      department_id: string | null;
      department_name: string | null;
    }>(CompiledQuery.raw(text, params));
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      code: row.code,
      communityName: row.community_name,
      streetName: row.street_name,
      suggestedDepartment:
        row.department_id !== null ? { id: row.department_id, name: row.department_name ?? '' } : null,
    };
  },
};

/** Whether `err` is the unique violation of an idempotency key already used (the statement wrote nothing). */
export function isUsedIdempotencyKey(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; table?: string } | null;
  return (
    e?.code === '23505' && (e.table === 'idempotency_key' || !!e.constraint?.startsWith('idempotency_key'))
  );
}
