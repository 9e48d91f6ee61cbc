import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

async function regionCount(): Promise<number> {
  const r = await t.database.db
    .selectFrom('region')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('regions', () => {
  it('creates a community under a street: 201, level community, parent’s childCount grows, audited', async () => {
    const street = (await admin.request('GET', '/api/v1/regions/990102003000')).json();
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102003050',
      name: '新建社区',
      nameEn: 'New Community',
      parentCode: '990102003000',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      code: '990102003050',
      name: '新建社区',
      nameEn: 'New Community',
      level: 'community',
      parentCode: '990102003000',
      childCount: 0,
    });
    const after = (await admin.request('GET', '/api/v1/regions/990102003000')).json();
    expect(after.childCount).toBe(street.childCount + 1);
    const children = (await admin.request('GET', '/api/v1/regions?parentCode=990102003000')).json();
    expect(children.map((r: { code: string }) => r.code)).toContain('990102003050');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'region.create')
      .where('target_id', '=', '990102003050')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('admin');
  });

  it('creates a street under the district, with level street', async () => {
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102005000',
      name: '新街道',
      parentCode: '990102000000',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ level: 'street', nameEn: null, childCount: 0 });
  });

  it('trims names and rejects blank ones', async () => {
    const blank = await admin.request('POST', '/api/v1/regions', {
      code: '990102003051',
      name: '   ',
      parentCode: '990102003000',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().issues[0].field).toBe('body.name');
    const trimmed = await admin.request('POST', '/api/v1/regions', {
      code: '990102003052',
      name: '  留白社区 ',
      parentCode: '990102003000',
    });
    expect(trimmed.statusCode).toBe(201);
    expect(trimmed.json().name).toBe('留白社区');
  });

  it('a duplicate code → 409 region.duplicate_code naming body.code, nothing written', async () => {
    const before = await regionCount();
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102001001',
      name: '重复社区',
      parentCode: '990102001000',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('region.duplicate_code');
    expect(res.json().issues[0]).toMatchObject({ field: 'body.code', reason: 'duplicate' });
    expect(await regionCount()).toBe(before);
    const original = (await admin.request('GET', '/api/v1/regions/990102001001')).json();
    expect(original.name).not.toBe('重复社区');
  });

  it('a parent mismatch → 400 region.parent_mismatch naming body.parentCode', async () => {
    const before = await regionCount();
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102004060',
      name: '错挂社区',
      parentCode: '990102001000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('region.parent_mismatch');
    expect(res.json().issues[0]).toMatchObject({ field: 'body.parentCode', reason: 'parent_mismatch' });
    expect(res.json().issues[0].message).toContain('990102004000');
    // Skipping a level is a mismatch too.
    const skip = await admin.request('POST', '/api/v1/regions', {
      code: '990102004060',
      name: '跳级社区',
      parentCode: '990102000000',
    });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().code).toBe('region.parent_mismatch');
    expect(await regionCount()).toBe(before);
  });

  it('an unknown region → 404', async () => {
    const res = await admin.request('GET', '/api/v1/regions/990102004099');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('resource.not_found');
  });

  it('roles without region.manage cannot create regions', async () => {
    const leader = await t.login('leader');
    const res = await leader.request('POST', '/api/v1/regions', {
      code: '990102004061',
      name: '无权社区',
      parentCode: '990102004000',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
    // They can still browse.
    expect((await leader.request('GET', '/api/v1/regions?parentCode=990102004000')).statusCode).toBe(200);
  });
});
