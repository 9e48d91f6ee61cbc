import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

interface Dept {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  regionCode: string;
  regionName: string;
  disabled: boolean;
}

async function departmentCount(): Promise<number> {
  const r = await t.database.db
    .selectFrom('department')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('departments', () => {
  it('creates a department (201), audited with the actor', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'WJW',
      name: '区卫生健康委员会',
      nameEn: 'District Health Commission',
      regionCode: '990102000000',
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json() as Dept;
    expect(d).toMatchObject({
      code: 'WJW',
      name: '区卫生健康委员会',
      nameEn: 'District Health Commission',
      regionCode: '990102000000',
      regionName: '示范区',
      disabled: false,
    });
    expect((await admin.request('GET', `/api/v1/departments/${d.id}`)).json()).toEqual(d);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'department.create')
      .where('target_id', '=', d.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('admin');
  });

  it('a duplicate code → 409 department.duplicate_code naming body.code, nothing written', async () => {
    const before = await departmentCount();
    const res = await admin.request(
      'POST',
      '/api/v1/departments',
      { code: 'CGW', name: '另一个城管委', regionCode: '990102000000' },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('department.duplicate_code');
    expect(res.json().title).toBe('Department code already exists');
    expect(res.json().issues[0]).toMatchObject({ field: 'body.code', reason: 'duplicate' });
    expect(await departmentCount()).toBe(before);
  });

  it('an unknown region → 400 naming body.regionCode', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'NOWHERE',
      name: '无处部门',
      regionCode: '990102009000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0]).toMatchObject({ field: 'body.regionCode', reason: 'not_found' });
  });

  it('lists with a q filter on name or code', async () => {
    const byCode = (await admin.request('GET', '/api/v1/departments?q=cgw')).json();
    expect(byCode.items.map((d: Dept) => d.code)).toEqual(['CGW']);
    const byName = (await admin.request('GET', `/api/v1/departments?q=${encodeURIComponent('水务')}`)).json();
    expect(byName.items.map((d: Dept) => d.code)).toEqual(['SWJ']);
    expect(byName.total).toBe(1);
    const none = (await admin.request('GET', '/api/v1/departments?q=zzzz')).json();
    expect(none).toMatchObject({ items: [], total: 0 });
  });

  it('pages in code order without overlap', async () => {
    const all = (await admin.request('GET', '/api/v1/departments?pageSize=200')).json();
    const total = all.total as number;
    expect(total).toBe(11); // ten demo departments and WJW
    const codes = all.items.map((d: Dept) => d.code);
    expect(codes).toEqual([...codes].sort());
    const p1 = (await admin.request('GET', '/api/v1/departments?page=1&pageSize=4')).json();
    const p3 = (await admin.request('GET', '/api/v1/departments?page=3&pageSize=4')).json();
    expect(p1).toMatchObject({ page: 1, pageSize: 4, total });
    expect(p1.items.map((d: Dept) => d.code)).toEqual(codes.slice(0, 4));
    expect(p3.items.map((d: Dept) => d.code)).toEqual(codes.slice(8, 12));
    const beyond = (await admin.request('GET', '/api/v1/departments?page=9&pageSize=4')).json();
    expect(beyond).toMatchObject({ items: [], total });
  });

  it('patches name, English name and disabled; audited', async () => {
    const id = ((await admin.request('GET', '/api/v1/departments?q=WJW')).json().items[0] as Dept).id;
    const res = await admin.request('PATCH', `/api/v1/departments/${id}`, {
      name: '区卫健委',
      nameEn: null,
      disabled: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, code: 'WJW', name: '区卫健委', nameEn: null, disabled: true });
    expect((await admin.request('GET', `/api/v1/departments/${id}`)).json().name).toBe('区卫健委');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'department.update')
      .where('target_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('the code cannot be patched; an unknown id → 404', async () => {
    const id = ((await admin.request('GET', '/api/v1/departments?q=WJW')).json().items[0] as Dept).id;
    const res = await admin.request('PATCH', `/api/v1/departments/${id}`, { code: 'NEWCODE' });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0]).toMatchObject({ field: 'body.code', reason: 'unknown_field' });
    const missing = await admin.request('PATCH', '/api/v1/departments/00000000-0000-4000-8000-000000000000', {
      name: 'x',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('roles without org.manage cannot create or patch', async () => {
    const dispatcher = await t.login('dispatcher');
    const create = await dispatcher.request('POST', '/api/v1/departments', {
      code: 'NOPE',
      name: '无权',
      regionCode: '990102000000',
    });
    expect(create.statusCode).toBe(403);
    const id = ((await admin.request('GET', '/api/v1/departments?q=CGW')).json().items[0] as Dept).id;
    const patch = await dispatcher.request('PATCH', `/api/v1/departments/${id}`, { name: '改' });
    expect(patch.statusCode).toBe(403);
    expect((await dispatcher.request('GET', '/api/v1/departments')).statusCode).toBe(200);
  });
});
