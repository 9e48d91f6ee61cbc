import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/support/test-app.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

interface Problem {
  code: string;
  issues: { field: string; reason: string; message: string }[];
}

describe('NUL bytes and lone surrogates', () => {
  it('a NUL in a query parameter is refused with 400 naming it', async () => {
    const res = await admin.request('GET', '/api/v1/cases?q=a%00b');
    expect(res.statusCode).toBe(400);
    const body = res.json() as Problem;
    expect(body.code).toBe('validation.failed');
    expect(body.issues).toEqual([
      expect.objectContaining({ field: 'query.q', reason: 'invalid_characters' }),
    ]);
  });

  it('a NUL in a path parameter is refused', async () => {
    const res = await admin.request('GET', '/api/v1/regions/9901%0002000000');
    expect(res.statusCode).toBe(400);
    expect((res.json() as Problem).issues[0]?.field).toBe('params.code');
  });

  it('a lone surrogate anywhere in a JSON body is refused, in the request language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      cookies: { zhizhi_session: admin.cookie },
      headers: {
        'x-csrf-token': admin.csrfToken,
        'content-type': 'application/json',
        'accept-language': 'en',
      },
      payload: '{"title":"ok","reporter":{"name":"x\\ud800"},"tags":["\\udfff"]}',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as Problem;
    expect(body.issues.map((i) => i.field)).toEqual(['body.reporter.name', 'body.tags.0']);
    expect(body.issues[0]?.message).toMatch(/NUL or a lone surrogate/);
  });

  it('a bad key is named too, and a well-formed pair (emoji) passes the guard', async () => {
    const bad = await admin.request('POST', '/api/v1/cases', { ['a\u0000b']: 1 });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).issues[0]?.field).toBe('body.a%00b');
    const emoji = await admin.request('GET', `/api/v1/cases?q=${encodeURIComponent('井盖😀')}`);
    expect(emoji.statusCode).toBe(200);
  });
});
