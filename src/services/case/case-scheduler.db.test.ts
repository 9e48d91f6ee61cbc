import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../db/connect.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createCaseScheduler, type CaseScheduler } from './case-scheduler.service.ts';

const HOUR = 3_600_000;
const T0 = '2026-11-23T02:00:00Z';
const clock = fixedClock(T0);
const at = (ms: number) => new Date(new Date(T0).getTime() + ms);

const DISTRICT = '990102000000';
const COMMUNITY = '990102001001';
const OTHER = '990103001001';

let a: Database;
/** A second pool on the same database (PostgreSQL), standing in for a second server process. */
let b: Database;
let schedulerA: CaseScheduler;
let schedulerB: CaseScheduler;
const staff: Record<string, string> = {};
let seq = 0;

async function addStaff(key: string, role: string, region: string | null, disabled = false) {
  const id = randomUUID();
  staff[key] = id;
  await a.db
    .insertInto('staff')
    .values({
      id,
      username: `u_${key}`,
      display_name: key,
      password_hash: 'x',
      role,
      scope_region_code: region,
      scope_department_id: null,
      disabled,
      created_at: at(0),
      updated_at: at(0),
    })
    .execute();
}

async function addCase(opts: {
  state?: string;
  stage?: string | null;
  deadline: Date | null;
  region?: string;
}): Promise<string> {
  const id = randomUUID();
  seq++;
  await caseRepository.insert(a.db, {
    id,
    code: `20261123${String(seq).padStart(5, '0')}`,
    state: opts.state ?? 'dispatched',
    version: 1,
    category_code: 'SJ0101',
    category_version: 1,
    urgency: 'normal',
    title: `case ${seq}`,
    description: 'd',
    channel: 'hotline',
    lng: 0,
    lat: 0,
    region_code: opts.region ?? COMMUNITY,
    stage: opts.stage === undefined ? 'dispatch' : opts.stage,
    stage_started_at: at(-48 * HOUR),
    stage_deadline: opts.deadline,
    created_at: at(-48 * HOUR),
    updated_at: at(-48 * HOUR),
  });
  return id;
}

async function escalations(caseId: string) {
  return a.db.selectFrom('case_escalation').selectAll().where('case_id', '=', caseId).execute();
}

async function escalateEvents(caseId: string) {
  return (await caseRepository.timeline(a.db, caseId)).filter((e) => e.event === 'escalate');
}

async function ledger(caseId: string) {
  return a.db
    .selectFrom('ledger_entry')
    .selectAll()
    .where('subject_id', '=', caseId)
    .where('kind', '=', 'case.escalate')
    .execute();
}

/** Many runs from both "processes" at once; returns the total escalated. */
async function race(runs = 8): Promise<number> {
  const all = await Promise.all(
    Array.from({ length: runs }, (_, i) => (i % 2 ? schedulerB : schedulerA).runOnce()),
  );
  return all.reduce((n, r) => n + r.escalated, 0);
}

beforeAll(async () => {
  a = await openTestDatabase();
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    expect(a.schema).toBeTruthy();
    b = await connect({ databaseUrl: url, schema: a.schema!, poolSize: 5 });
  } else {
    // One PGlite instance cannot be shared across processes: both schedulers run on it concurrently.
    b = a;
  }
  schedulerA = createCaseScheduler({ db: a.db, clock, intervalMs: 1000, batchSize: 3 });
  schedulerB = createCaseScheduler({ db: b.db, clock, intervalMs: 1000, batchSize: 3 });
  for (const code of [DISTRICT, '990103000000']) {
    await a.db
      .insertInto('region')
      .values({
        code,
        name: code,
        name_en: null,
        level: 'district',
        parent_code: null,
        created_at: at(0),
        updated_at: at(0),
      })
      .execute();
  }
  await addStaff('districtDispatcher', 'dispatcher', DISTRICT);
  await addStaff('globalLeader', 'leader', null);
  await addStaff('otherDispatcher', 'dispatcher', '990103000000');
  await addStaff('disabledLeader', 'leader', DISTRICT, true);
  await addStaff('handler', 'handler', DISTRICT);
}, 60_000);

afterAll(async () => {
  if (b !== a) await b.close();
  await a.close();
});

describe('case scheduler: overdue stages are escalated exactly once', () => {
  const overdue: string[] = [];
  const untouched: string[] = [];
  let otherRegion: string;

  it('two schedulers on two connections escalate each overdue case once', async () => {
    if (process.env.TEST_DATABASE_URL) expect(b).not.toBe(a);
    for (let i = 0; i < 10; i++) overdue.push(await addCase({ deadline: at(-HOUR - i * 60_000) }));
    otherRegion = await addCase({ deadline: at(-HOUR), region: OTHER });
    overdue.push(otherRegion);
    untouched.push(await addCase({ deadline: at(10 * 24 * HOUR) })); // not due yet
    untouched.push(await addCase({ deadline: null })); // no time limit
    untouched.push(await addCase({ state: 'closed', stage: null, deadline: at(-HOUR) }));
    untouched.push(await addCase({ state: 'voided', deadline: at(-HOUR) })); // final, stale clock
    untouched.push(await addCase({ state: 'suspended', stage: null, deadline: at(-HOUR) })); // clock stopped

    expect(await race(10)).toBe(overdue.length);

    for (const id of overdue) {
      expect(await escalations(id)).toHaveLength(1);
      const events = await escalateEvents(id);
      expect(events).toHaveLength(1);
      expect(events[0]!.actor_name).toBe('system');
      expect(events[0]!.comment).toContain('stage dispatch overdue');
      expect(events[0]!.from_state).toBe('dispatched');
      expect(events[0]!.to_state).toBe('dispatched');
      expect(await ledger(id)).toHaveLength(1);
    }
    for (const id of untouched) {
      expect(await escalations(id)).toHaveLength(0);
      expect(await escalateEvents(id)).toHaveLength(0);
      expect(await ledger(id)).toHaveLength(0);
    }
    // Not a workflow transition: the case's version and state are unchanged.
    const row = await caseRepository.findById(a.db, overdue[0]!);
    expect(row?.version).toBe(1);
    expect(row?.state).toBe('dispatched');
  });

  it('records the dispatchers and leaders whose scope covers the case', async () => {
    const [inDistrict] = await escalations(overdue[0]!);
    const notified = inDistrict!.notified as { id: string; role: string }[];
    expect(notified.map((n) => n.id).sort()).toEqual([staff.districtDispatcher!, staff.globalLeader!].sort());
    const [elsewhere] = await escalations(otherRegion);
    expect((elsewhere!.notified as { id: string }[]).map((n) => n.id).sort()).toEqual(
      [staff.otherDispatcher!, staff.globalLeader!].sort(),
    );
  });

  it('a second round escalates nothing new', async () => {
    expect(await race(6)).toBe(0);
    const { n } = await a.db
      .selectFrom('case_escalation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(overdue.length);
  });

  it('a case overdue again in a new stage run is escalated once more', async () => {
    const id = overdue[0]!;
    await a.db
      .updateTable('case')
      .set({ state: 'in_progress', stage: 'handle', stage_started_at: at(0), stage_deadline: at(2 * HOUR) })
      .where('id', '=', id)
      .execute();
    expect(await race(6)).toBe(0); // not yet due
    clock.advance(3 * HOUR);
    expect(await race(10)).toBe(1);
    expect(await race(4)).toBe(0);
    const rows = await escalations(id);
    expect(rows.map((r) => r.stage).sort()).toEqual(['dispatch', 'handle']);
    const events = await escalateEvents(id);
    expect(events).toHaveLength(2);
    expect(events[1]!.comment).toContain('stage handle overdue');
    expect(await ledger(id)).toHaveLength(2);
    for (const u of untouched) expect(await escalations(u)).toHaveLength(0);
  });

  it('start() runs on its interval and stop() waits for the run in progress', async () => {
    await addCase({ deadline: at(0) });
    const s = createCaseScheduler({ db: b.db, clock, intervalMs: 20 });
    s.start();
    const deadline = Date.now() + 10_000;
    let total = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      total = Number(
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM case_escalation`.execute(a.db)
        ).rows[0]!.n,
      );
      if (total === overdue.length + 2) break;
    }
    await s.stop();
    expect(total).toBe(overdue.length + 2);
    expect(await schedulerA.runOnce()).toEqual({ escalated: 0 });
  });
});
