import type { FieldCipher } from '../crypto/field-cipher.ts';
import { sql, type Insertable, type Kysely } from 'kysely';
import { chinaDateOf } from '../../domain/calendar/work-calendar.ts';
import { generateDemoCases, type DemoCase, type DemoCaseEvent } from '../../domain/case/demo-cases.ts';
import { stageOfState } from '../../domain/case/case-workflow.ts';
import { DEMO_DISTRICT_CODE, type DemoDistrict } from '../../domain/region/demo-district.ts';
import type { LedgerEntry } from '../../domain/ledger/ledger-facts.ts';
import type { IdSource } from '../../domain/shared/clock.ts';
import { deadlineOf, type TimeLimit } from '../../domain/sla/time-limit.ts';
import type { CatalogueContent } from '../../domain/taxonomy/catalogue.ts';
import type { WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import { appSettingRepository } from '../../db/repositories/app-setting.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { staffRepository } from '../../db/repositories/staff.repository.ts';
import { ledgerRepository } from '../../db/repositories/ledger.repository.ts';
import type { CaseEventTable, CaseTable, CaseTaskTable, DB } from '../../db/schema.ts';
import { startStage, type StageClock } from '../case/case-clock.ts';
import { createCalendarService } from '../taxonomy/calendar.service.ts';
import { createCategoryService } from '../taxonomy/category.service.ts';

/** Rows per multi-row INSERT (kept well below the bind-parameter limit). */
const BATCH = 500;
const LOADED_KEY = 'demo.cases';

async function insertBatches<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    // `never`: kysely cannot relate Insertable<DB[T]> to its own insert type for a generic table.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + BATCH) as never)
      .execute();
  }
}

/** The running stage's clock after the timeline, as the case service would have left it (approximately). */
function clockAfter(
  c: DemoCase,
  catalogue: CatalogueContent,
  calendar: WorkCalendar,
): StageClock & { suspended_at: Date | null } {
  let start = c.createdAt;
  let suspendedAt: Date | null = null;
  let extensions: TimeLimit[] = [];
  let requested: TimeLimit | null = null;
  for (const e of c.events) {
    if (!e.from) continue;
    if (e.event === 'request_extension' && e.payload.extension) {
      const x = e.payload.extension;
      requested = { stage: 'handle', urgency: 'normal', amount: x.amount, unit: x.unit as TimeLimit['unit'] };
    }
    if (e.to === 'suspended') suspendedAt = e.at;
    else if (e.from === 'suspended') {
      suspendedAt = null;
      start = e.at;
      extensions = [];
    } else if (e.event === 'approve_extension') {
      if (requested) extensions.push(requested);
    } else if (stageOfState[e.to] !== stageOfState[e.from] || (e.to === 'rework' && e.from !== 'rework')) {
      start = e.at;
      extensions = [];
    }
  }
  const clk = startStage(c.state, start, catalogue, c.categoryCode, c.urgency, calendar);
  for (const x of extensions) {
    if (clk.stage_deadline) clk.stage_deadline = deadlineOf(clk.stage_deadline, x, calendar);
    if (clk.stage_warn_at) clk.stage_warn_at = deadlineOf(clk.stage_warn_at, x, calendar);
  }
  return { ...clk, suspended_at: c.state === 'suspended' ? suspendedAt : null };
}

/**
 * Loads about 2,000 synthetic cases into the demo district (see domain/case/demo-cases.ts), with their
 * timelines, departments' tasks, ledger entries and codes that keep the daily code counter consistent.
 * Runs inside the demo loader's transaction; idempotent through the `demo.cases` setting. Returns how many
 * cases it added.
 */
export async function loadDemoCases(
  trx: Kysely<DB>,
  deps: { demo: DemoDistrict; now: Date; ids: IdSource; cipher: FieldCipher; count?: number },
): Promise<number> {
  const { demo, now, ids, cipher } = deps;
  if ((await appSettingRepository.get<number>(trx, LOADED_KEY)) != null) return 0;
  const catalogue = await createCategoryService({ db: trx, clock: { now: () => now } }).current();
  const calendar = await createCalendarService({ db: trx }).calendar();

  const departments = new Map<string, { id: string; name: string }>();
  for (const d of demo.departments) {
    const row = await departmentRepository.findByCode(trx, d.code);
    if (row) departments.set(d.code, { id: row.id, name: row.name });
  }
  const staff = new Map<
    string,
    { id: string; name: string; region: string | null; department: string | null }
  >();
  for (const a of demo.accounts) {
    const row = await staffRepository.findByUsername(trx, a.username);
    if (row && !staff.has(a.role)) {
      staff.set(a.role, {
        id: row.id,
        name: row.display_name,
        region: row.scope_region_code,
        department: row.scope_department_id,
      });
    }
  }

  const cases = generateDemoCases({
    now,
    grids: demo.grids,
    categories: catalogue.categories,
    departmentCodes: [...departments.keys()],
    ...(deps.count !== undefined ? { count: deps.count } : {}),
  });
  if (!cases.length) {
    await appSettingRepository.set(trx, LOADED_KEY, 0, now);
    return 0;
  }

  // Codes: YYYYMMDD (China date of creation) + the day's 5-digit sequence, continuing any existing counter.
  const days = [...new Set(cases.map((c) => chinaDateOf(c.createdAt).replace(/-/g, '')))];
  const counters = new Map<string, number>();
  for (const r of await trx
    .selectFrom('case_code_counter')
    .select(['day', 'last'])
    .where('day', 'in', days)
    .execute()) {
    counters.set(r.day, r.last);
  }
  const codes = cases.map((c) => {
    const day = chinaDateOf(c.createdAt).replace(/-/g, '');
    const seq = (counters.get(day) ?? 0) + 1;
    counters.set(day, seq);
    return day + String(seq).padStart(5, '0');
  });
  const caseIds = cases.map(() => ids.uuid());
  const depId = (code: string) => departments.get(code)?.id ?? null;

  const actorOf = (c: DemoCase, e: DemoCaseEvent, lead: string | null) => {
    const s = staff.get(e.role);
    if (e.role === 'grid_worker' && s?.region !== c.communityCode) return { id: null, name: '网格员' };
    if (e.role === 'handler') {
      const dep = lead ? departments.get(lead) : undefined;
      if (!s || !dep || s.department !== dep.id) return { id: null, name: `${dep?.name ?? ''}经办人` };
    }
    return s ? { id: s.id, name: s.name } : { id: null, name: null };
  };

  const caseRows: Insertable<CaseTable>[] = [];
  const eventRows: Insertable<CaseEventTable>[] = [];
  const taskRows: Insertable<CaseTaskTable>[] = [];
  const ledgerRows: LedgerEntry[] = [];
  cases.forEach((c, i) => {
    const id = caseIds[i]!;
    const code = codes[i]!;
    const last = c.events[c.events.length - 1]!;
    const closeAt = [...c.events].reverse().find((e) => e.event === 'close' || e.event === 'reopen');
    const reply = [...c.events].reverse().find((e) => e.event === 'reply');
    const clk = clockAfter(c, catalogue, calendar);
    const creator = staff.get(c.reporterRole);
    const createdBy =
      c.reporterRole === 'grid_worker' && creator?.region !== c.communityCode ? null : (creator?.id ?? null);
    caseRows.push({
      id,
      code,
      state: c.state,
      version: c.events.length,
      category_code: c.categoryCode,
      category_version: catalogue.number,
      urgency: c.urgency,
      title: c.title,
      description: c.description,
      channel: c.channel,
      lng: c.point[0]!,
      lat: c.point[1]!,
      address: c.address,
      grid_code: c.gridCode,
      community_code: c.communityCode,
      street_code: c.communityCode.slice(0, 9) + '000',
      district_code: DEMO_DISTRICT_CODE,
      region_code: c.communityCode,
      reporter_name: cipher.encrypt(c.reporterName),
      reporter_phone: cipher.encrypt(c.reporterPhone),
      reporter_role: c.reporterRole,
      suggested_department_id: depId(c.suggestedDepartmentCode),
      ...clk,
      replied_at: reply?.at ?? null,
      reply_satisfaction: reply?.payload.satisfaction ?? null,
      reply_resolved: reply?.payload.resolved ?? null,
      duplicate_of: c.duplicateOf !== null ? caseIds[c.duplicateOf]! : null,
      created_by: createdBy,
      created_at: c.createdAt,
      updated_at: last.at,
      closed_at: closeAt?.event === 'close' ? closeAt.at : null,
    });
    let lead: string | null = null;
    let version = 1;
    for (const e of c.events) {
      const deps = e.payload.departments ?? (e.payload.department ? [e.payload.department] : []);
      if ((e.event === 'dispatch' || e.event === 'co_dispatch') && e.from !== 'in_progress')
        lead = deps[0] ?? lead;
      const actor = actorOf(c, e, lead);
      if (e.event === 'create') {
        eventRows.push({
          case_id: id,
          at: e.at,
          actor_id: createdBy,
          actor_name: createdBy ? (creator?.name ?? null) : e.role === 'grid_worker' ? '网格员' : null,
          role: e.role,
          event: 'create',
          from_state: null,
          to_state: e.to,
          comment: null,
          payload: JSON.stringify({ channel: c.channel, categoryCode: c.categoryCode, urgency: c.urgency }),
        });
        ledgerRows.push({
          at: e.at,
          kind: 'case.create',
          subjectType: 'case',
          subjectId: id,
          payload: {
            code,
            state: e.to,
            version: 1,
            actorId: createdBy,
            categoryCode: c.categoryCode,
            regionCode: c.communityCode,
          },
        });
        continue;
      }
      version++;
      const recorded: Record<string, unknown> = { ...e.payload };
      delete recorded.department;
      if (deps.length) recorded.departments = deps.map(depId);
      if (e.payload.duplicateOf !== undefined && c.duplicateOf !== null) {
        recorded.duplicateOf = caseIds[c.duplicateOf];
      }
      eventRows.push({
        case_id: id,
        at: e.at,
        actor_id: actor.id,
        actor_name: actor.name,
        role: e.role,
        event: e.event,
        from_state: e.from,
        to_state: e.to,
        comment: e.comment,
        payload: JSON.stringify(recorded),
      });
      ledgerRows.push({
        at: e.at,
        kind: 'case.event',
        subjectType: 'case',
        subjectId: id,
        payload: { code, event: e.event, from: e.from!, to: e.to, version, actorId: actor.id },
      });
    }
    for (const t of c.tasks) {
      const d = depId(t.departmentCode);
      if (!d) continue;
      taskRows.push({
        case_id: id,
        department_id: d,
        state: t.state,
        lead: t.lead,
        created_at: t.createdAt,
        updated_at: t.updatedAt,
      });
    }
  });

  await insertBatches(trx, 'case', caseRows);
  await insertBatches(trx, 'case_event', eventRows);
  await insertBatches(trx, 'case_task', taskRows);
  await ledgerRepository.append(trx, ledgerRows);
  const counterRows = [...counters.entries()].filter(([day]) => days.includes(day));
  for (let i = 0; i < counterRows.length; i += BATCH) {
    await trx
      .insertInto('case_code_counter')
      .values(counterRows.slice(i, i + BATCH).map(([day, last]) => ({ day, last })))
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({ last: sql`GREATEST(case_code_counter.last, excluded.last)` }),
      )
      .execute();
  }
  await appSettingRepository.set(trx, LOADED_KEY, cases.length, now);
  return cases.length;
}
