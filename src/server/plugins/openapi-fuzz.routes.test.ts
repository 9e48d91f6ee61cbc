import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRequests, operationsOf } from '../../../test/support/openapi-fuzz.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../test/support/test-app.ts';

/**
 * Every operation of the published API receives at least 200 hostile inputs (wrong types, huge and unicode
 * strings, NUL, lone surrogates, SQL and HTML payloads, malformed JSON) from a signed-in administrator, so that
 * they reach the handlers: none may answer 5xx. Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
const PER_OPERATION = 200;
/** Operations that would end the fuzzing session itself. */
const SKIP = new Set(['POST /api/v1/auth/logout']);

const doc = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'));
const operations = operationsOf(doc).filter((op) => !SKIP.has(`${op.method} ${op.path}`));

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('OpenAPI fuzz', () => {
  it(`sends ${PER_OPERATION} hostile inputs to each of ${operations.length} operations: no 5xx`, async () => {
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    let sent = 0;
    for (const [index, op] of operations.entries()) {
      for (const req of fuzzRequests(op, PER_OPERATION, 1000 + index)) {
        const res = await t.app.inject({
          method: req.method as 'GET',
          url: req.url,
          cookies: { zhizhi_session: admin.cookie },
          headers: {
            'x-csrf-token': admin.csrfToken,
            ...(req.raw !== undefined || req.body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
          },
          ...(req.raw !== undefined
            ? { payload: req.raw }
            : req.body !== undefined
              ? { payload: JSON.stringify(req.body) }
              : {}),
        });
        sent++;
        const key = `${Math.floor(res.statusCode / 100)}xx`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.statusCode >= 500) {
          failures.push(
            `${req.method} ${req.url.slice(0, 120)} [${req.target}] → ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
        }
      }
    }
    const engine = process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite';
    const counts = [...statuses.entries()]
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    console.log(
      `FUZZ engine=${engine} operations=${operations.length} requests=${sent} ${counts} failures=${failures.length}`,
    );
    expect(sent).toBeGreaterThanOrEqual(operations.length * PER_OPERATION);
    expect(failures).toEqual([]);
  }, 900_000);
});
