import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseBody, departmentId, HOME, pointIn } from '../../../../test/support/case-helpers.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
let dispatcher: TestClient;
let gridworker: TestClient;
let intake: TestClient;
let home: { lng: number; lat: number };
let dep: Record<'CGW' | 'ZJW' | 'JTW' | 'MZJ' | 'SWJ', string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  dispatcher = await t.login('dispatcher');
  gridworker = await t.login('gridworker');
  intake = await t.login('intake');
  home = await pointIn(t, HOME);
  dep = {
    CGW: await departmentId(t, 'CGW'),
    ZJW: await departmentId(t, 'ZJW'),
    JTW: await departmentId(t, 'JTW'),
    MZJ: await departmentId(t, 'MZJ'),
    SWJ: await departmentId(t, 'SWJ'),
  };
}, 120_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const STREET = '990102001000';
const list = async (c: TestClient, query = '') => {
  const res = await c.request('GET', `/api/v1/responsibility-rules${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as {
    total: number;
    items: { id: string; categoryCode: string; regionCode: string; departmentId: string; basis: string }[];
  };
};
const preview = async (categoryCode: string) => {
  const res = await dispatcher.request('POST', '/api/v1/responsibility-rules/preview', {
    categoryCode,
    location: home,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('responsibility rules', () => {
  it('lists the demo rules with filters and how each is read', async () => {
    const all = await list(dispatcher);
    expect(all.total).toBe(4);
    const fallback = all.items.find((r) => r.categoryCode === '')!;
    expect(fallback).toMatchObject({
      regionCode: '990102000000',
      departmentId: dep.CGW,
      basis: 'district_fallback',
    });
    expect(all.items.find((r) => r.categoryCode === 'BJ02')).toMatchObject({
      basis: 'owner',
      regionCode: '',
    });

    expect((await list(dispatcher, '?categoryCode=BJ0201')).items.map((r) => r.categoryCode)).toEqual([
      'BJ02',
    ]);
    expect((await list(dispatcher, `?regionCode=${HOME}`)).items.map((r) => r.departmentId)).toEqual([
      dep.CGW,
    ]);
    expect((await list(dispatcher, `?departmentId=${dep.JTW}`)).total).toBe(1);
    const bad = await dispatcher.request('GET', '/api/v1/responsibility-rules?regionCode=12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('querystring.regionCode');
  });

  it('previews the suggestion with its basis', async () => {
    const event = await preview('SJ0102'); // 事件: territory first
    expect(event).toMatchObject({
      department: { id: dep.CGW, name: '区城市管理委员会' },
      basis: 'district_fallback',
      dispatchRule: 'territory_first',
      location: { inside: true, community: { code: HOME } },
    });
    const component = await preview('BJ0201'); // 部件 in 道路交通: owner first
    expect(component).toMatchObject({ department: { id: dep.JTW }, basis: 'owner' });
    expect(component.candidates.owner.departmentId).toBe(dep.JTW);
    expect(component.candidates.district.departmentId).toBe(dep.CGW);

    const outside = await dispatcher.request('POST', '/api/v1/responsibility-rules/preview', {
      categoryCode: 'SJ0102',
      location: { lng: 0, lat: 0 },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().issues[0].field).toBe('body.location');
  });

  it('validates every field, refuses duplicates and non-administrators', async () => {
    const res = await admin.request('POST', '/api/v1/responsibility-rules', {
      categoryCode: 'BJ9999',
      regionCode: '990102099000',
      departmentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string; reason: string }) => `${i.field}:${i.reason}`)).toEqual(
      ['body.categoryCode:not_found', 'body.regionCode:not_found', 'body.departmentId:not_found'],
    );
    const format = await admin.request('POST', '/api/v1/responsibility-rules', {
      categoryCode: 'bj',
      regionCode: '9901',
      departmentId: dep.ZJW,
    });
    expect(format.json().issues.map((i: { field: string }) => i.field)).toEqual([
      'body.categoryCode',
      'body.regionCode',
    ]);

    await admin.request('PATCH', `/api/v1/departments/${dep.MZJ}`, { disabled: true });
    const disabled = await admin.request('POST', '/api/v1/responsibility-rules', {
      departmentId: dep.MZJ,
      regionCode: STREET,
    });
    expect(disabled.json().issues[0]).toMatchObject({ field: 'body.departmentId', reason: 'disabled' });

    const dup = await admin.request('POST', '/api/v1/responsibility-rules', {
      categoryCode: 'BJ02',
      departmentId: dep.JTW,
    });
    expect(dup.statusCode).toBe(409);
    expect(
      (await dispatcher.request('POST', '/api/v1/responsibility-rules', { departmentId: dep.ZJW }))
        .statusCode,
    ).toBe(403);
  });

  it('a territory rule changes the suggestion for new 事件 at once; edits and deletes are audited', async () => {
    const created = await admin.request('POST', '/api/v1/responsibility-rules', {
      regionCode: STREET,
      departmentId: dep.ZJW,
      priority: 5,
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({
      categoryCode: '',
      regionCode: STREET,
      departmentId: dep.ZJW,
      departmentName: '区住房和城乡建设委员会',
      basis: 'territory',
      priority: 5,
    });
    expect(rule.regionName).toBeTruthy();

    expect(await preview('SJ0102')).toMatchObject({ department: { id: dep.ZJW }, basis: 'territory' });
    expect(await preview('BJ0201')).toMatchObject({ department: { id: dep.JTW }, basis: 'owner' });
    const c = await intake.request('POST', '/api/v1/cases', caseBody(home, { categoryCode: 'SJ0102' }));
    expect(c.statusCode).toBe(201);
    expect(c.json().suggestedDepartment.id).toBe(dep.ZJW);

    const patched = await admin.request('PATCH', `/api/v1/responsibility-rules/${rule.id}`, {
      departmentId: dep.SWJ,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ departmentId: dep.SWJ, regionCode: STREET, priority: 5 });
    expect(await preview('SJ0102')).toMatchObject({ department: { id: dep.SWJ }, basis: 'territory' });

    // A grid worker sees the rules that can apply in their community, not another street's.
    const elsewhere = await admin.request('POST', '/api/v1/responsibility-rules', {
      regionCode: '990102002000',
      departmentId: dep.ZJW,
    });
    expect(elsewhere.statusCode).toBe(201);
    const seen = (await list(gridworker, '?pageSize=100')).items.map((r) => r.id);
    expect(seen).toContain(rule.id);
    expect(seen).not.toContain(elsewhere.json().id);
    expect((await list(admin)).total).toBe(6);

    expect((await admin.request('DELETE', `/api/v1/responsibility-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `/api/v1/responsibility-rules/${rule.id}`)).statusCode).toBe(404);
    expect(await preview('SJ0102')).toMatchObject({
      department: { id: dep.CGW },
      basis: 'district_fallback',
    });

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', 'like', 'responsibility_rule.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'responsibility_rule.create',
      'responsibility_rule.update',
      'responsibility_rule.create',
      'responsibility_rule.delete',
    ]);
  });

  it('a street administrator writes rules only inside the street', async () => {
    const made = await admin.request('POST', '/api/v1/users', {
      username: 'streetadmin',
      displayName: '街道管理员',
      role: 'admin',
      password: 'Street@2026x',
      scope: { regionCode: STREET },
    });
    expect(made.statusCode).toBe(201);
    const street = await t.login('streetadmin', 'Street@2026x');
    const post = (body: object) => street.request('POST', '/api/v1/responsibility-rules', body);
    expect((await post({ departmentId: dep.ZJW })).json().code).toBe('auth.out_of_scope');
    expect((await post({ regionCode: '990102002000', departmentId: dep.ZJW })).json().code).toBe(
      'auth.out_of_scope',
    );
    const own = await post({ regionCode: HOME, departmentId: dep.ZJW });
    expect(own.statusCode).toBe(201);
    const districtRule = (await list(street)).items.find(
      (r) => r.categoryCode === '' && r.regionCode === '990102000000',
    )!;
    const edit = await street.request('PATCH', `/api/v1/responsibility-rules/${districtRule.id}`, {
      priority: 9,
    });
    expect(edit.statusCode).toBe(403);
    expect((await street.request('DELETE', `/api/v1/responsibility-rules/${own.json().id}`)).statusCode).toBe(
      204,
    );
  });
});
