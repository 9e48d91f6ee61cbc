import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CreateCaseInput } from '../../contracts/case.schema.ts';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import type { Polygon } from '../../domain/geo/geometry.ts';
import { createServices, type Services } from '../compose.ts';
import { testFieldKey } from '../crypto/field-cipher.ts';
import { principalOf } from '../identity/auth.service.ts';
import type { Actor } from '../identity/principal.ts';
import { cryptoIds } from '../ids.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import { caseIntakeRepository } from '../../db/repositories/case-intake.repository.ts';
import { matchRules } from './intake-cache.ts';

let database: Database;
let services: Services;
const clock = fixedClock('2026-11-22T02:00:00Z'); // a Sunday, 10:00 in China
const actors: Record<string, Actor> = {};
let home: { lng: number; lat: number };

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
  await services.demo.load();
  for (const username of ['intake', 'gridworker', 'shiftlead']) {
    const staff = await database.db
      .selectFrom('staff')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    actors[username] = { principal: principalOf(staff), ip: null };
  }
  // The middle of the first grid of the grid worker's community.
  const g = await database.db
    .selectFrom('grid')
    .select('geometry')
    .where('community_code', '=', '990102001001')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const ring = (
    (typeof g.geometry === 'string' ? JSON.parse(g.geometry) : g.geometry) as Polygon
  ).coordinates[0]!.slice(0, -1);
  home = {
    lng: ring.reduce((s, p) => s + p[0], 0) / ring.length,
    lat: ring.reduce((s, p) => s + p[1], 0) / ring.length,
  };
}, 120_000);
afterAll(async () => {
  services.locate.close();
  await database.close();
});

function body(over: Partial<CreateCaseInput> = {}): CreateCaseInput {
  return {
    categoryCode: 'SJ0102',
    urgency: 'normal',
    title: '占道经营',
    description: '路口有流动摊贩占道',
    channel: 'hotline',
    location: home,
    address: '示范路 2 号',
    reporter: { name: '李四', phone: '13900001111' },
    ...over,
  };
}

const row = (id: string) =>
  database.db.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('staff intake in one statement', () => {
  it('answers with exactly the detail a read returns, whoever reports and whatever the category', async () => {
    const variants: [string, Partial<CreateCaseInput>][] = [
      ['intake', {}],
      ['intake', { categoryCode: 'RX010101', reporter: undefined, address: undefined }],
      ['intake', { categoryCode: 'BJ0401', urgency: 'emergency', reporter: { phone: '010-12345678' } }],
      ['gridworker', { channel: 'patrol' }],
      ['shiftlead', { urgency: 'complex', description: '' }],
    ];
    for (const [who, over] of variants) {
      const created = await services.cases.create(actors[who]!, body(over));
      const read = await services.cases.get(actors[who]!, created.id);
      expect(created, `${who} ${JSON.stringify(over)}`).toEqual(read);
      expect(created.timeline).toHaveLength(1);
    }
    const counts = await sql<{ e: number; l: number }>`
      SELECT (SELECT count(*)::int FROM case_event WHERE event = 'create' AND at = ${clock.now()}) AS e,
             (SELECT count(*)::int FROM ledger_entry WHERE kind = 'case.create' AND at = ${clock.now()}) AS l
    `.execute(database.db);
    expect(counts.rows[0]).toEqual({ e: variants.length, l: variants.length });
  });

  it('a catalogue version published elsewhere applies to the very next case, and no code is skipped', async () => {
    const before = await services.cases.create(actors.intake!, body());
    expect((await row(before.id)).category_version).toBe(1);
    // Another process publishes version 2, renaming the category: this process is not told.
    await sql`INSERT INTO category_version (version, effective_at, note, defaults)
              SELECT 2, effective_at, 'v2', defaults FROM category_version WHERE version = 1`.execute(
      database.db,
    );
    await sql`INSERT INTO category (version, code, kind, parent_code, level, segment, name, name_en, dispatch_rule,
                requires_verification, time_limits, department_hint, active, detail)
              SELECT 2, code, kind, parent_code, level, segment,
                CASE WHEN code = 'SJ0102' THEN name || '（新）' ELSE name END,
                name_en, dispatch_rule, requires_verification, time_limits, department_hint, active, detail
              FROM category WHERE version = 1`.execute(database.db);
    const after = await services.cases.create(actors.intake!, body());
    expect((await row(after.id)).category_version).toBe(2);
    expect(after.categoryName).toBe(`${before.categoryName}（新）`);
    expect(after).toEqual(await services.cases.get(actors.intake!, after.id));
    expect(Number(after.code) - Number(before.code)).toBe(1);
  });

  it('a calendar year changed elsewhere applies to the very next deadline', async () => {
    const before = await services.cases.create(actors.intake!, body());
    expect((await row(before.id)).stage_time_kind).toBe('working');
    // Monday to Friday after "now" become holidays: one working hour from Sunday now ends a week later.
    await sql`UPDATE calendar_year
              SET holidays = holidays || ARRAY['2026-11-23','2026-11-24','2026-11-25','2026-11-26','2026-11-27']::date[]
              WHERE year = 2026`.execute(database.db);
    const after = await services.cases.create(actors.intake!, body());
    const days = (Date.parse(after.stageDeadline!) - Date.parse(before.stageDeadline!)) / 86_400_000;
    expect(days).toBe(7);
  });

  it('one Idempotency-Key: the same answer again, one case; another body under it → idempotency.mismatch', async () => {
    const b = body({ title: '幂等 一条语句' });
    const first = await services.cases.create(actors.intake!, b, 'one-statement-key-1');
    const again: CaseDetail = await services.cases.create(actors.intake!, b, 'one-statement-key-1');
    expect(again).toEqual(first);
    const same = await database.db
      .selectFrom('case')
      .select('id')
      .where('title', '=', '幂等 一条语句')
      .execute();
    expect(same).toHaveLength(1);
    await expect(
      services.cases.create(actors.intake!, { ...b, title: '别的' }, 'one-statement-key-1'),
    ).rejects.toMatchObject({ code: 'idempotency.mismatch' });
    // The same key is another caller's own.
    const other = await services.cases.create(actors.shiftlead!, b, 'one-statement-key-1');
    expect(other.id).not.toBe(first.id);
    // The key names the case: a retry after the case moved on answers it as it is now.
    const stored = await database.db
      .selectFrom('idempotency_key')
      .select('response')
      .where('key', '=', 'one-statement-key-1')
      .where('scope', '=', actors.intake!.principal.staffId)
      .executeTakeFirstOrThrow();
    expect(stored.response).toEqual({ caseId: first.id });
    expect(first.allowedEvents).toContain('send_to_verify');
    const moved = await services.cases.act(actors.intake!, first.id, {
      event: 'send_to_verify',
      expectedVersion: 1,
    });
    const later = await services.cases.create(actors.intake!, b, 'one-statement-key-1');
    expect(later).toEqual(moved);
    expect(later).toMatchObject({ id: first.id, code: first.code, version: 2 });
    expect(later.state).not.toBe(first.state);
    // A key stored with a whole answer (as earlier versions did) is answered with that answer.
    await database.db
      .updateTable('idempotency_key')
      .set({ response: JSON.stringify(first) })
      .where('key', '=', 'one-statement-key-1')
      .where('scope', '=', actors.intake!.principal.staffId)
      .execute();
    expect(await services.cases.create(actors.intake!, b, 'one-statement-key-1')).toEqual(first);
  });

  it('bad input writes nothing and consumes no code', async () => {
    const before = await services.cases.create(actors.intake!, body());
    await expect(
      services.cases.create(actors.intake!, body({ categoryCode: 'XX9999' })),
    ).rejects.toMatchObject({ code: 'validation.failed' });
    await expect(
      services.cases.create(actors.intake!, body({ location: { lng: 0, lat: 0 } })),
    ).rejects.toMatchObject({ code: 'validation.failed' });
    const after = await services.cases.create(actors.intake!, body());
    expect(Number(after.code) - Number(before.code)).toBe(1);
  });

  it('a responsibility rule or department changed elsewhere applies to the very next suggestion', async () => {
    const dep = async (code: string) =>
      await database.db
        .selectFrom('department')
        .select(['id', 'name'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const fallback = await services.cases.create(actors.intake!, body());
    expect(fallback.suggestedDepartment).toEqual(await dep('CGW')); // the demo's district fallback
    const owner = await dep('ZJW');
    await database.db
      .insertInto('responsibility_rule')
      .values({
        id: cryptoIds.uuid(),
        category_code: 'SJ01',
        region_code: '',
        department_id: owner.id,
        created_at: clock.now(),
      })
      .execute();
    // 事件 are territory first, but no territory rule exists: the owner wins over the district fallback.
    const owned = await services.cases.create(actors.intake!, body());
    expect(owned.suggestedDepartment).toEqual(owner);
    await database.db.updateTable('department').set({ disabled: true }).where('id', '=', owner.id).execute();
    const disabled = await services.cases.create(actors.intake!, body());
    expect(disabled.suggestedDepartment).toEqual(await dep('CGW'));
    await database.db.updateTable('department').set({ disabled: false }).where('id', '=', owner.id).execute();
    await database.db.deleteFrom('responsibility_rule').where('department_id', '=', owner.id).execute();
  });
});

describe('matchRules (in memory) selects what matchingRules selects in SQL', () => {
  it('the same rules in the same order, over a varied list and many places', async () => {
    const deps = await database.db.selectFrom('department').select('id').orderBy('code').execute();
    const categories = ['SJ0102', 'SJ01', 'BJ0401', 'BJ04', 'RX010101', 'RX01'];
    const regions = ['', '990102', '990102001', '990102001001', '990102002', '990102002001', '990103'];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    await database.db.deleteFrom('responsibility_rule').execute();
    for (let i = 0; i < 60; i++) {
      await database.db
        .insertInto('responsibility_rule')
        .values({
          id: cryptoIds.uuid(),
          category_code: ['', 'SJ', 'SJ01', 'SJ0102', 'BJ04', 'RX01', 'RX0101'][rand(7)]!,
          region_code: regions[rand(regions.length)]!,
          department_id: deps[rand(deps.length)]!.id,
          priority: rand(3),
          created_at: new Date(clock.now().getTime() + rand(5) * 1000),
        })
        .execute();
    }
    const all = await caseIntakeRepository.activeRules(database.db);
    const places = [
      ['990102001001001', '990102001001', '990102001000', '990102000000'],
      ['990102002001003', '990102002001', '990102002000', '990102000000'],
      ['990102000000'],
      [],
    ];
    for (const code of categories) {
      for (const place of places) {
        const sqlIds = (await categoryRepository.matchingRules(database.db, code, place)).map((r) => r.id);
        const jsIds = matchRules(all, code, place).map((r) => r.id);
        // Rules tied on every sort key may come in either order from SQL: compare the order of the keys.
        const key = (id: string) => {
          const r = all.find((x) => x.id === id)!;
          return `${r.category_code.length}/${r.region_code.length}/${r.priority}/${r.created_at.getTime()}`;
        };
        expect(jsIds.map(key), `${code} ${place.join(',')}`).toEqual(sqlIds.map(key));
        expect(new Set(jsIds)).toEqual(new Set(sqlIds));
      }
    }
  });
});
