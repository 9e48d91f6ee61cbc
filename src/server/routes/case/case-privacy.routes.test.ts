import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { caseBody, HOME, pointIn } from '../../../../test/support/case-helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

describe("reporters' personal data at rest", () => {
  it('stores the name and phone encrypted; the API shows them masked', async () => {
    const intake = await t.login('intake');
    const res = await intake.request('POST', '/api/v1/cases', caseBody(await pointIn(t, HOME)));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.reporterPhone).toBe('138****5678');
    expect(c.reporterName).toBe('张*');
    const raw = await t.database.db
      .selectFrom('case')
      .select(['reporter_name', 'reporter_phone'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(raw.reporter_phone).toMatch(/^enc:v1:/);
    expect(raw.reporter_phone).not.toContain('5678');
    expect(raw.reporter_name).toMatch(/^enc:v1:/);
    expect(t.services.cipher.decrypt(raw.reporter_phone)).toBe('13812345678');
    expect(t.services.cipher.decrypt(raw.reporter_name)).toBe('张三');
  });

  it('encrypts the demo cases too: no phone number is stored in plain text', async () => {
    const rows = await t.database.db
      .selectFrom('case')
      .select(['reporter_phone'])
      .where('reporter_phone', 'is not', null)
      .execute();
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.reporter_phone!.startsWith('enc:v1:'))).toBe(true);
    const shown = await (await t.login('admin')).request('GET', '/api/v1/cases?pageSize=50');
    expect(shown.statusCode).toBe(200);
  });
});
