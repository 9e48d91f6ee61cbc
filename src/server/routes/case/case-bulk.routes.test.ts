import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { caseBody, departmentId, HOME, pointIn } from '../../../../test/support/case-helpers.ts';

let t: TestApp;
let intake: TestClient;
let dispatcher: TestClient;
let auditor: TestClient;
let home: { lng: number; lat: number };
let zjw: string;
let cgw: string;

beforeAll(async () => {
  t = await createTestApp();
  intake = await t.login('intake');
  dispatcher = await t.login('dispatcher');
  auditor = await t.login('auditor');
  home = await pointIn(t, HOME);
  zjw = await departmentId(t, 'ZJW');
  cgw = await departmentId(t, 'CGW');
}, 120_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

/** A new case put straight into 已立案 · 待派遣 (test set-up). */
async function filedCase(): Promise<{ id: string; version: number }> {
  const res = await intake.request('POST', '/api/v1/cases', caseBody(home));
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  await t.database.db
    .updateTable('case')
    .set({ state: 'filed', stage: 'dispatch' })
    .where('id', '=', id)
    .execute();
  return { id, version: 1 };
}
const bulk = (c: TestClient, body: object, headers?: Record<string, string>) =>
  c.request('POST', '/api/v1/cases/bulk-events', body, headers);
const item = (c: { id: string; version: number }) => ({ caseId: c.id, expectedVersion: c.version });

describe('POST /api/v1/cases/bulk-events', () => {
  it('dispatches each case in its own transaction and reports every item', async () => {
    const [a, b, stale] = [await filedCase(), await filedCase(), await filedCase()];
    const reported = await intake.request('POST', '/api/v1/cases', caseBody(home));
    const unknown = randomUUID();
    const res = await bulk(dispatcher, {
      event: 'dispatch',
      departmentIds: [zjw],
      items: [
        item(a),
        item({ ...stale, version: 7 }),
        item(reported.json()),
        { caseId: unknown, expectedVersion: 1 },
        item(b),
        item(a),
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ succeeded: 2, failed: 4 });
    expect(body.items.map((i: { ok: boolean; code?: string }) => i.code ?? 'ok')).toEqual([
      'ok',
      'case.conflict',
      'case.invalid_transition',
      'resource.not_found',
      'ok',
      'validation.failed',
    ]);
    expect(body.items[0]).toMatchObject({ caseId: a.id, ok: true, version: 2, departmentId: zjw });
    expect(body.items[1].error).toBe('案件已被他人更新，请刷新后重试');

    const rows = await t.database.db
      .selectFrom('case')
      .select(['id', 'state', 'version'])
      .where('id', 'in', [a.id, b.id, stale.id])
      .execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, `${r.state}/${r.version}`]));
    expect(byId).toEqual({ [a.id]: 'dispatched/2', [b.id]: 'dispatched/2', [stale.id]: 'filed/1' });
    const tasks = await t.database.db
      .selectFrom('case_task')
      .select(['case_id', 'department_id'])
      .where('case_id', 'in', [a.id, b.id])
      .execute();
    expect(tasks.map((x) => x.department_id)).toEqual([zjw, zjw]);
  });

  it('sends each case to its own suggested department, and says when a case has none', async () => {
    const [a, none] = [await filedCase(), await filedCase()];
    await t.database.db
      .updateTable('case')
      .set({ suggested_department_id: null })
      .where('id', '=', none.id)
      .execute();
    const res = await bulk(
      dispatcher,
      { event: 'dispatch', useSuggested: true, items: [item(a), item(none)] },
      {
        'accept-language': 'en',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { caseId: a.id, ok: true, version: 2, departmentId: cgw },
      {
        caseId: none.id,
        ok: false,
        code: 'validation.failed',
        error: 'Invalid request: the case has no suggested department',
      },
    ]);
  });

  it('checks the request as a whole: one way to choose the department, at most 200 cases, the right role', async () => {
    const a = await filedCase();
    const fields = async (body: object) => {
      const res = await bulk(dispatcher, body);
      expect(res.statusCode).toBe(400);
      return res.json().issues.map((i: { field: string }) => i.field);
    };
    expect(await fields({ event: 'dispatch', items: [item(a)] })).toEqual(['body.departmentIds']);
    expect(
      await fields({ event: 'dispatch', items: [item(a)], departmentIds: [zjw], useSuggested: true }),
    ).toEqual(['body.departmentIds']);
    expect(await fields({ event: 'dispatch', items: [item(a)], departmentIds: [zjw, cgw] })).toEqual([
      'body.departmentIds',
    ]);
    expect(await fields({ event: 'close', items: [item(a)], departmentIds: [zjw] })).toEqual(['body.event']);
    const many = Array.from({ length: 201 }, () => ({ caseId: randomUUID(), expectedVersion: 1 }));
    expect(await fields({ event: 'dispatch', items: many, departmentIds: [zjw] })).toEqual(['body.items']);

    expect(
      (await bulk(auditor, { event: 'dispatch', items: [item(a)], departmentIds: [zjw] })).statusCode,
    ).toBe(403);
    // An intake operator may act on cases, but not dispatch them.
    const byIntake = await bulk(intake, { event: 'dispatch', items: [item(a)], departmentIds: [zjw] });
    expect(byIntake.json().items[0]).toMatchObject({ ok: false, code: 'case.invalid_transition' });
  });
});
