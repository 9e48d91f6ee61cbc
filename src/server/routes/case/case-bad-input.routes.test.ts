import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES } from '../../../contracts/attachment.schema.ts';
import { notAnImage, tinyJpeg } from '../../../../test/support/test-images.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { photoOf, uploadAs, uploadPublic } from '../../../../test/support/upload-helpers.ts';
import { caseBody, departmentId, HOME, pointIn, putInState } from '../../../../test/support/case-helpers.ts';

/**
 * Bad input on the case closed loop: every refusal is a 4xx problem naming the field and the reason, on the staff
 * API and on the public one alike, and nothing at all is written (no case, event, ledger row or attachment).
 */
let t: TestApp;
let intake: TestClient;
let handler: TestClient;
let gridworker: TestClient;
let home: { lng: number; lat: number };
let cgw: string;
let ip = 0;

beforeAll(async () => {
  t = await createTestApp();
  intake = await t.login('intake');
  handler = await t.login('handler');
  gridworker = await t.login('gridworker');
  home = await pointIn(t, HOME);
  cgw = await departmentId(t, 'CGW');
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

/** Row counts of everything a case write touches. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['case', 'case_event', 'ledger_entry', 'attachment', 'idempotency_key'] as const) {
    const r = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

/** Runs `attempt`, expects `status` with exactly one issue `field reason`, and no row written anywhere. */
async function refused(
  attempt: () => Promise<LightMyRequestResponse>,
  status: number,
  field: string,
  reason: string,
): Promise<void> {
  const before = await counts();
  const res = await attempt();
  expect(`${field}: ${res.statusCode}`).toBe(`${field}: ${status}`);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const issues =
    (res.json() as { issues?: { field: string; reason: string; message: string }[] }).issues ?? [];
  expect(issues.map((i) => `${i.field} ${i.reason}`)).toEqual([`${field} ${reason}`]);
  expect(issues[0]!.message.length).toBeGreaterThan(0);
  expect(await counts()).toEqual(before);
}

const publicReport = (over: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/public/cases',
    payload: {
      categoryCode: 'RX010101',
      title: '井盖缺失',
      location: home,
      reporter: { phone: '13800001234' },
      ...over,
    },
    headers: { 'idempotency-key': `bad-input-${++ip}` },
    remoteAddress: `198.18.0.${ip}`,
  });

describe('intake', () => {
  it('unknown category → 400 body.categoryCode not_found', async () => {
    await refused(
      () => intake.request('POST', '/api/v1/cases', caseBody(home, { categoryCode: 'XX9999' })),
      400,
      'body.categoryCode',
      'not_found',
    );
    await refused(() => publicReport({ categoryCode: 'XX9999' }), 400, 'body.categoryCode', 'not_found');
  });

  it('a location outside the jurisdiction → 400 body.location outside_jurisdiction', async () => {
    const outside = { lng: 100.5, lat: 30.2 };
    await refused(
      () => intake.request('POST', '/api/v1/cases', caseBody(outside)),
      400,
      'body.location',
      'outside_jurisdiction',
    );
    await refused(() => publicReport({ location: outside }), 400, 'body.location', 'outside_jurisdiction');
  });

  it('an invalid urgency → 400 body.urgency invalid_value', async () => {
    await refused(
      () => intake.request('POST', '/api/v1/cases', caseBody(home, { urgency: 'asap' })),
      400,
      'body.urgency',
      'invalid_value',
    );
    await refused(() => publicReport({ urgency: 'asap' }), 400, 'body.urgency', 'invalid_value');
  });

  it('an unknown photo id → 400 body.photos not_found', async () => {
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    await refused(
      () => intake.request('POST', '/api/v1/cases', caseBody(home, { photos: [unknown] })),
      400,
      'body.photos',
      'not_found',
    );
    await refused(() => publicReport({ photos: [unknown] }), 400, 'body.photos', 'not_found');
  });
});

describe('workflow evidence', () => {
  async function inProgress(): Promise<{ id: string; version: number }> {
    const c = (await intake.request('POST', '/api/v1/cases', caseBody(home))).json();
    await putInState(t, c.id, 'in_progress', cgw);
    return { id: c.id, version: c.version };
  }

  it('missing required evidence → 400 body.evidence required (handle and check_pass)', async () => {
    const c = await inProgress();
    const handle = (evidence?: string[]) =>
      handler.request('POST', `/api/v1/cases/${c.id}/events`, {
        event: 'handle',
        expectedVersion: c.version,
        ...(evidence ? { evidence } : {}),
      });
    await refused(() => handle(), 400, 'body.evidence', 'required');
    await refused(() => handle([]), 400, 'body.evidence', 'required');
    await putInState(t, c.id, 'pending_check', cgw);
    await refused(
      () =>
        gridworker.request('POST', `/api/v1/cases/${c.id}/events`, {
          event: 'check_pass',
          expectedVersion: c.version,
        }),
      400,
      'body.evidence',
      'required',
    );
  });

  it('an unknown evidence id, or someone else’s photo → 400 body.evidence not_found', async () => {
    const c = await inProgress();
    const send = (evidence: string[]) =>
      handler.request('POST', `/api/v1/cases/${c.id}/events`, {
        event: 'handle',
        expectedVersion: c.version,
        evidence,
      });
    await refused(() => send(['00000000-0000-4000-8000-0000000000bb']), 400, 'body.evidence', 'not_found');
    const theirs = await photoOf(gridworker);
    await refused(() => send([theirs]), 400, 'body.evidence', 'not_found');
  });
});

describe('uploads', () => {
  it('an oversized upload → 413 file too_large (staff and public)', async () => {
    const big = Buffer.concat([tinyJpeg(), Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
    await refused(() => uploadAs(handler, big), 413, 'file', 'too_large');
    await refused(() => uploadPublic(t, big, '198.18.1.1'), 413, 'file', 'too_large');
  });

  it('a non-image named .jpg → 415 file not_an_image (staff and public)', async () => {
    await refused(
      () => uploadAs(handler, notAnImage, { filename: 'photo.jpg', contentType: 'image/jpeg' }),
      415,
      'file',
      'not_an_image',
    );
    await refused(
      () => uploadPublic(t, notAnImage, '198.18.1.2', { filename: 'photo.jpg' }),
      415,
      'file',
      'not_an_image',
    );
  });
});
