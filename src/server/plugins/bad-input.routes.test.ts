import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp, type TestClient } from '../../../test/support/test-app.ts';

/**
 * Every input boundary of the HTTP API answers bad input with a 4xx problem+json naming the field and the reason,
 * and writes nothing.
 */
let t: TestApp;
let admin: TestClient;
let before: Record<string, number>;

const TABLES = ['region', 'department', 'staff', 'audit_log', 'api_token'] as const;

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  issues?: { field: string; reason: string; message: string }[];
}

function problem(res: LightMyRequestResponse, status: number, code: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json() as Problem;
  expect(p.code).toBe(code);
  expect(p.status).toBe(status);
  expect(p.type).toBe(`https://zhizhi.dev/problems/${code}`);
  expect(p.requestId).toBe(res.headers['x-request-id']);
  return p;
}

function issueFor(p: Problem, field: string) {
  const issue = p.issues?.find((i) => i.field === field);
  expect(issue, `no issue for ${field} in ${JSON.stringify(p.issues)}`).toBeDefined();
  return issue!;
}

const raw = (method: string, url: string, payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: method as 'POST',
    url,
    payload,
    cookies: { zhizhi_session: admin.cookie },
    headers: { 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json', ...headers },
  });

beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
  admin = await t.login('admin');
});
afterAll(() => t.close());
beforeEach(async () => {
  before = await counts();
});

async function expectNothingWritten() {
  expect(await counts()).toEqual(before);
}

describe('malformed and oversized bodies', () => {
  it('malformed JSON → 400 request.malformed_json naming the body', async () => {
    const res = await raw('POST', '/api/v1/departments', '{"code": "ABC", "name": ');
    const p = problem(res, 400, 'request.malformed_json');
    expect(issueFor(p, 'body').reason).toBe('malformed_json');
    expect(p.title).toBe('请求体不是合法的 JSON');
    await expectNothingWritten();
  });

  it('malformed JSON in English when asked', async () => {
    const res = await raw('POST', '/api/v1/regions', '{oops', { 'accept-language': 'en-US,en;q=0.9' });
    const p = problem(res, 400, 'request.malformed_json');
    expect(p.title).toBe('The request body is not valid JSON');
    expect(p.detail).toMatch(/not valid JSON/);
    await expectNothingWritten();
  });

  it('a body over BODY_LIMIT_BYTES → 413', async () => {
    const body = JSON.stringify({ code: 'BIGBODY', name: 'x'.repeat(4096), regionCode: '990102000000' });
    const res = await raw('POST', '/api/v1/departments', body, { 'accept-language': 'en' });
    const p = problem(res, 413, 'request.body_too_large');
    expect(p.title).toBe('Request body too large');
    await expectNothingWritten();
  });

  it('a body that is not JSON at all → 415', async () => {
    const res = await raw('POST', '/api/v1/departments', 'code=ABC', { 'content-type': 'text/xml' });
    problem(res, 415, 'request.unsupported_media_type');
    await expectNothingWritten();
  });
});

describe('schema validation of bodies', () => {
  it('an unknown field → 400 naming body.<field>, reason unknown_field', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'NEWDEP',
      name: '新部门',
      regionCode: '990102000000',
      colour: 'red',
    });
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'body.colour');
    expect(issue.reason).toBe('unknown_field');
    expect(issue.message).toBe('未知字段');
    await expectNothingWritten();
  });

  it('an unknown nested field names its full path, in English when asked', async () => {
    const res = await admin.request(
      'POST',
      '/api/v1/users',
      {
        username: 'nested1',
        displayName: 'N',
        role: 'leader',
        password: 'Abcdef12345',
        scope: { regionCode: '990102000000', street: 'x' },
      },
      { 'accept-language': 'en' },
    );
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'body.scope.street');
    expect(issue.reason).toBe('unknown_field');
    expect(issue.message).toBe('unknown field');
    expect(p.title).toBe('Invalid request');
    await expectNothingWritten();
  });

  it('a number where a string is expected → 400 naming the field', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'NEWDEP',
      name: 5,
      regionCode: '990102000000',
    });
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'body.name');
    expect(issue.reason).toBe('invalid_type');
    expect(p.detail).toContain('body.name');
    await expectNothingWritten();
  });

  it('a missing required field → 400 reason required', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'NEWDEP',
      regionCode: '990102000000',
    });
    const p = problem(res, 400, 'validation.failed');
    expect(issueFor(p, 'body.name').reason).toBe('required');
    await expectNothingWritten();
  });

  it('several bad fields are all named at once', async () => {
    const res = await admin.request('POST', '/api/v1/departments', {
      code: 'lower case',
      name: '',
      regionCode: '1',
    });
    const p = problem(res, 400, 'validation.failed');
    for (const f of ['body.code', 'body.name', 'body.regionCode']) issueFor(p, f);
    expect(issueFor(p, 'body.code').message).toMatch(/部门编码/);
    await expectNothingWritten();
  });

  it('an over-long text → 400 too_big', async () => {
    const res = await admin.request(
      'PATCH',
      `/api/v1/departments/${await anyDepartmentId()}`,
      { name: '长'.repeat(65) },
      { 'accept-language': 'en' },
    );
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'body.name');
    expect(issue.reason).toBe('too_big');
    expect(issue.message).toMatch(/maximum 64/);
    await expectNothingWritten();
  });
});

async function anyDepartmentId(): Promise<string> {
  const r = await t.database.db
    .selectFrom('department')
    .select('id')
    .where('code', '=', 'CGW')
    .executeTakeFirstOrThrow();
  return r.id;
}

describe('region codes', () => {
  it('a code that is not 12 digits → 400 naming body.code with the code-format message', async () => {
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '12345',
      name: '坏社区',
      parentCode: '990102001000',
    });
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'body.code');
    expect(issue.message).toMatch(/12 位数字/);
    await expectNothingWritten();
  });

  it('the code-format message in English', async () => {
    const res = await admin.request(
      'POST',
      '/api/v1/regions',
      { code: '99010200100X', name: '坏社区', parentCode: '990102001000' },
      { 'accept-language': 'en' },
    );
    const p = problem(res, 400, 'validation.failed');
    expect(issueFor(p, 'body.code').message).toBe(
      'a region code is 12 digits (county 6 + street 3 + community 3)',
    );
    await expectNothingWritten();
  });

  it('a well-formed code under the wrong parent → 400 region.parent_mismatch naming body.parentCode', async () => {
    const res = await admin.request(
      'POST',
      '/api/v1/regions',
      { code: '990102002099', name: '错位社区', parentCode: '990102001000' },
      { 'accept-language': 'en' },
    );
    const p = problem(res, 400, 'region.parent_mismatch');
    const issue = issueFor(p, 'body.parentCode');
    expect(issue.reason).toBe('parent_mismatch');
    expect(issue.message).toBe('this code belongs under 990102002000');
    await expectNothingWritten();
  });

  it('a community code whose street segment is 000 → 400 region.invalid_code naming body.code', async () => {
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102000099',
      name: '无街道社区',
      parentCode: '990102000000',
    });
    const p = problem(res, 400, 'region.invalid_code');
    expect(issueFor(p, 'body.code').reason).toBe('invalid_format');
    await expectNothingWritten();
  });

  it('a parent that does not exist → 400 naming body.parentCode', async () => {
    const res = await admin.request('POST', '/api/v1/regions', {
      code: '990102009001',
      name: '虚空社区',
      parentCode: '990102009000',
    });
    const p = problem(res, 400, 'validation.failed');
    expect(issueFor(p, 'body.parentCode').reason).toBe('not_found');
    await expectNothingWritten();
  });
});

describe('query strings and path parameters', () => {
  it('pageSize beyond the limit → 400 naming querystring.pageSize', async () => {
    const res = await admin.request('GET', '/api/v1/departments?pageSize=100000');
    const p = problem(res, 400, 'validation.failed');
    const issue = issueFor(p, 'querystring.pageSize');
    expect(issue.reason).toBe('too_big');
    await expectNothingWritten();
  });

  it('page=0 → 400 naming querystring.page', async () => {
    const res = await admin.request('GET', '/api/v1/users?page=0');
    const p = problem(res, 400, 'validation.failed');
    expect(issueFor(p, 'querystring.page').reason).toBe('too_small');
  });

  it('a non-number pageSize and an unknown query parameter are named', async () => {
    const res = await admin.request('GET', '/api/v1/audit-log?pageSize=lots&sort=desc');
    const p = problem(res, 400, 'validation.failed');
    issueFor(p, 'querystring.pageSize');
    expect(issueFor(p, 'querystring.sort').reason).toBe('unknown_field');
  });

  it('a bad enum in the query → 400 naming it', async () => {
    const res = await admin.request('GET', '/api/v1/users?role=superuser&disabled=maybe');
    const p = problem(res, 400, 'validation.failed');
    issueFor(p, 'querystring.role');
    issueFor(p, 'querystring.disabled');
  });

  it('a bad region code in the query → 400 naming querystring.parentCode', async () => {
    const res = await admin.request('GET', '/api/v1/regions?parentCode=99');
    const p = problem(res, 400, 'validation.failed');
    issueFor(p, 'querystring.parentCode');
  });

  it('a non-uuid id in the path → 400 naming params.id, and nothing is written', async () => {
    const res = await admin.request('PATCH', '/api/v1/departments/not-a-uuid', { name: '改名' });
    const p = problem(res, 400, 'validation.failed');
    issueFor(p, 'params.id');
    const del = await admin.request('DELETE', '/api/v1/tokens/123');
    issueFor(problem(del, 400, 'validation.failed'), 'params.id');
    const reset = await admin.request('POST', "/api/v1/users/1'%20OR%201=1/reset-password");
    issueFor(problem(reset, 400, 'validation.failed'), 'params.id');
    await expectNothingWritten();
  });

  it('a bad region code in the path → 400 naming params.code', async () => {
    const res = await admin.request('GET', '/api/v1/regions/99010200100');
    issueFor(problem(res, 400, 'validation.failed'), 'params.code');
  });

  it('an unknown endpoint → 404 problem+json', async () => {
    const res = await admin.request('GET', '/api/v1/nope', undefined, { 'accept-language': 'en' });
    expect(problem(res, 404, 'request.not_found').title).toBe('No such endpoint');
  });
});
