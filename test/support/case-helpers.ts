import type { Position, Polygon } from '../../src/domain/geo/geometry.ts';
import type { CaseState } from '../../src/domain/case/case-workflow.ts';
import type { TestApp, TestClient } from './test-app.ts';

/** The demo grid worker's community. */
export const HOME = '990102001001';

function centre(g: Polygon): Position {
  const ring = g.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

/** A point well inside some grid of the community. */
export async function pointIn(t: TestApp, communityCode: string): Promise<{ lng: number; lat: number }> {
  const g = await t.database.db
    .selectFrom('grid')
    .select(['geometry'])
    .where('community_code', '=', communityCode)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const geometry = (typeof g.geometry === 'string' ? JSON.parse(g.geometry) : g.geometry) as Polygon;
  const [lng, lat] = centre(geometry);
  return { lng: lng!, lat: lat! };
}

export function caseBody(location: { lng: number; lat: number }, over: Record<string, unknown> = {}) {
  return {
    categoryCode: 'RX010101',
    urgency: 'normal',
    title: '路灯不亮',
    description: '小区门口路灯连续三晚不亮',
    channel: 'hotline',
    location,
    address: '示范路 1 号',
    reporter: { name: '张三', phone: '13812345678' },
    ...over,
  };
}

export async function departmentId(t: TestApp, code: string): Promise<string> {
  const d = await t.database.db
    .selectFrom('department')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return d.id;
}

/**
 * Puts a case straight into `state` (test set-up only): with an active task for `departmentId` so department
 * staff see it, and for `replied` an unsatisfied reply just now so that reopening is within its window.
 */
export async function putInState(
  t: TestApp,
  id: string,
  state: CaseState,
  departmentId: string,
): Promise<void> {
  const now = t.clock.now();
  await t.database.db
    .updateTable('case')
    .set({
      state,
      replied_at: state === 'replied' ? now : null,
      reply_satisfaction: state === 'replied' ? 'unsatisfied' : null,
      reply_resolved: state === 'replied' ? false : null,
    })
    .where('id', '=', id)
    .execute();
  await t.database.db
    .insertInto('case_task')
    .values({
      case_id: id,
      department_id: departmentId,
      state: 'accepted',
      lead: true,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['case_id', 'department_id']).doUpdateSet({ state: 'accepted' }))
    .execute();
}

export async function writes(
  t: TestApp,
  id: string,
): Promise<{ version: number; events: number; ledger: number }> {
  const db = t.database.db;
  const c = await db.selectFrom('case').select('version').where('id', '=', id).executeTakeFirstOrThrow();
  const e = await db
    .selectFrom('case_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', id)
    .executeTakeFirstOrThrow();
  const l = await db
    .selectFrom('ledger_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow();
  return { version: c.version, events: Number(e.n), ledger: Number(l.n) };
}

export type { TestClient };
