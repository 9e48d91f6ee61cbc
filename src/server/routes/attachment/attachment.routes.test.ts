import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES } from '../../../contracts/attachment.schema.ts';
import {
  notAnImage,
  tinyJpeg,
  tinyPng,
  tinyWebpLossless,
  tinyWebpLossy,
} from '../../../../test/support/test-images.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import {
  caseBody,
  departmentId,
  HOME,
  pointIn,
  putInState,
  writes,
} from '../../../../test/support/case-helpers.ts';
import { photoOf, uploadAs, uploadPublic } from '../../../../test/support/upload-helpers.ts';

let t: TestApp;
let intake: TestClient;
let handler: TestClient;
let gridworker: TestClient;
let shiftlead: TestClient;
let dispatcher: TestClient;
let home: { lng: number; lat: number };
let cgw: string;
let zjw: string;

beforeAll(async () => {
  t = await createTestApp();
  intake = await t.login('intake');
  handler = await t.login('handler');
  gridworker = await t.login('gridworker');
  shiftlead = await t.login('shiftlead');
  dispatcher = await t.login('dispatcher');
  home = await pointIn(t, HOME);
  cgw = await departmentId(t, 'CGW');
  zjw = await departmentId(t, 'ZJW');
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const attachmentCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('attachment')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const fileIssue = (res: { json(): unknown }) =>
  (res.json() as { issues: { field: string; reason: string }[] }).issues.map((i) => `${i.field} ${i.reason}`);

/** A new case of the demo district put straight into `state` with an accepted task for CGW. */
async function caseIn(state: Parameters<typeof putInState>[2]): Promise<{ id: string; version: number }> {
  const c = (await intake.request('POST', '/api/v1/cases', caseBody(home))).json();
  await putInState(t, c.id, state, cgw);
  return { id: c.id, version: c.version };
}

describe('POST /api/v1/attachments', () => {
  it('stores JPEG, PNG and WebP photos with the sniffed type and size, whatever the name and header say', async () => {
    const samples: [Buffer, string, number, number][] = [
      [tinyJpeg(), 'image/jpeg', 8, 8],
      [tinyPng(4, 3), 'image/png', 4, 3],
      [tinyWebpLossy, 'image/webp', 1, 1],
      [tinyWebpLossless, 'image/webp', 1, 1],
    ];
    for (const [bytes, type, width, height] of samples) {
      // Misleading name and part Content-Type: only the content counts.
      const res = await uploadAs(handler, bytes, { filename: 'x.gif', contentType: 'text/html' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        contentType: type,
        byteSize: bytes.length,
        width,
        height,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const row = await t.database.db
        .selectFrom('attachment')
        .selectAll()
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.data).equals(bytes)).toBe(true);
      expect(row).toMatchObject({ case_id: null, purpose: null, public_upload: false });
    }
  });

  it('refuses a non-image (415 not_an_image), an oversized file (413 too_large), an empty file and no file, writing nothing', async () => {
    const before = await attachmentCount();
    const pdf = await uploadAs(handler, notAnImage, { filename: 'scan.jpg', contentType: 'image/jpeg' });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.headers['content-type']).toContain('application/problem+json');
    expect(pdf.json().code).toBe('upload.unsupported_type');
    expect(fileIssue(pdf)).toEqual(['file not_an_image']);
    const text = await uploadAs(handler, Buffer.from('hello, I am a text file'), { filename: 'a.png' });
    expect(text.statusCode).toBe(415);
    // A real JPEG header followed by padding: too large is decided while streaming, before any sniffing.
    const big = Buffer.concat([tinyJpeg(), Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
    const large = await uploadAs(handler, big);
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('upload.too_large');
    expect(fileIssue(large)).toEqual(['file too_large']);
    const empty = await uploadAs(handler, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(fileIssue(empty)).toEqual(['file empty']);
    const wrongField = await uploadAs(handler, tinyJpeg(), { field: 'photo' });
    expect(wrongField.statusCode).toBe(400);
    expect(fileIssue(wrongField)).toEqual(['file required']);
    const json = await handler.request('POST', '/api/v1/attachments', {});
    expect(json.statusCode).toBe(400);
    expect(fileIssue(json)).toEqual(['file required']);
    expect(await attachmentCount()).toBe(before);
  });

  it('needs case.act: an auditor gets 403, a stranger 401', async () => {
    const auditor = await t.login('auditor');
    expect((await uploadAs(auditor, tinyJpeg())).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: {} });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/v1/attachments/:id', () => {
  it('serves the bytes to the uploader with the stored type, nosniff, private caching and an ETag', async () => {
    const png = tinyPng(3, 2);
    const id = await photoOf(handler, png);
    const res = await handler.request('GET', `/api/v1/attachments/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+, immutable$/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.rawPayload.equals(png)).toBe(true);
    const again = await handler.request('GET', `/api/v1/attachments/${id}`, undefined, {
      'if-none-match': String(res.headers.etag),
    });
    expect(again.statusCode).toBe(304);
  });

  it('an unlinked upload is private to its uploader; once linked, whoever sees the case sees it', async () => {
    const c = await caseIn('in_progress');
    const id = await photoOf(handler);
    expect((await gridworker.request('GET', `/api/v1/attachments/${id}`)).statusCode).toBe(404);
    expect((await shiftlead.request('GET', `/api/v1/attachments/${id}`)).statusCode).toBe(404);
    const done = await handler.request('POST', `/api/v1/cases/${c.id}/events`, {
      event: 'handle',
      expectedVersion: c.version,
      evidence: [id],
    });
    expect(done.statusCode).toBe(200);
    expect((await gridworker.request('GET', `/api/v1/attachments/${id}`)).statusCode).toBe(200);
    expect((await shiftlead.request('GET', `/api/v1/attachments/${id}`)).statusCode).toBe(200);
    // A handler of another department (ZJW) cannot see the case, so not its photo either.
    const admin = await t.login('admin');
    const created = await admin.request('POST', '/api/v1/users', {
      username: 'handler-zjw',
      displayName: '住建委处置员',
      role: 'handler',
      password: 'Zhizhi@2026zjw',
      scope: { departmentId: zjw },
    });
    expect(created.statusCode).toBe(201);
    const zjwHandler = await t.login('handler-zjw', 'Zhizhi@2026zjw');
    expect((await zjwHandler.request('GET', `/api/v1/cases/${c.id}`)).statusCode).toBe(404);
    expect((await zjwHandler.request('GET', `/api/v1/attachments/${id}`)).statusCode).toBe(404);
    const unknown = await handler.request('GET', '/api/v1/attachments/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });
});

describe('evidence on workflow events', () => {
  it('handle links the handler’s own photo as evidence of that event; the detail lists it', async () => {
    const c = await caseIn('in_progress');
    const id = await photoOf(handler);
    const res = await handler.request('POST', `/api/v1/cases/${c.id}/events`, {
      event: 'handle',
      expectedVersion: c.version,
      evidence: [id, id],
    });
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail.attachments).toEqual([
      {
        id,
        purpose: 'evidence',
        contentType: 'image/jpeg',
        createdAt: expect.any(String),
        eventId: expect.any(String),
      },
    ]);
    const ev = await t.database.db
      .selectFrom('case_event')
      .select(['id', 'event'])
      .where('id', '=', detail.attachments[0].eventId)
      .executeTakeFirstOrThrow();
    expect(ev.event).toBe('handle');
  });

  it('unknown ids, someone else’s upload, a public upload and a photo of another case → 400 body.evidence not_found, nothing written', async () => {
    const c = await caseIn('in_progress');
    const otherCase = await caseIn('in_progress');
    const linkedElsewhere = await photoOf(handler);
    const ok = await handler.request('POST', `/api/v1/cases/${otherCase.id}/events`, {
      event: 'handle',
      expectedVersion: otherCase.version,
      evidence: [linkedElsewhere],
    });
    expect(ok.statusCode).toBe(200);
    const someoneElses = await photoOf(gridworker);
    const publicOne = (await uploadPublic(t, tinyJpeg(), '198.51.100.7')).json().id as string;
    const mine = await photoOf(handler);
    const before = await writes(t, c.id);
    for (const evidence of [
      ['00000000-0000-4000-8000-000000000000'],
      [mine, someoneElses],
      [publicOne],
      [linkedElsewhere],
    ]) {
      const res = await handler.request('POST', `/api/v1/cases/${c.id}/events`, {
        event: 'handle',
        expectedVersion: c.version,
        evidence,
      });
      expect(res.statusCode).toBe(400);
      expect(fileIssue(res)).toEqual(['body.evidence not_found']);
    }
    expect(await writes(t, c.id)).toEqual(before);
    const row = await t.database.db
      .selectFrom('attachment')
      .select('case_id')
      .where('id', '=', mine)
      .executeTakeFirstOrThrow();
    expect(row.case_id).toBeNull(); // the rejected request linked nothing
  });

  it('the inspector’s check_pass needs its own photo; the handler’s evidence of this case may be cited again', async () => {
    const c = await caseIn('in_progress');
    const handled = await handler.request('POST', `/api/v1/cases/${c.id}/events`, {
      event: 'handle',
      expectedVersion: c.version,
      evidence: [await photoOf(handler)],
    });
    expect(handled.statusCode).toBe(200);
    const h = handled.json();
    const missing = await gridworker.request('POST', `/api/v1/cases/${c.id}/events`, {
      event: 'check_pass',
      expectedVersion: h.version,
    });
    expect(missing.statusCode).toBe(400);
    expect(fileIssue(missing)).toEqual(['body.evidence required']);
    const after = await photoOf(gridworker, tinyPng(5, 5));
    const passed = await gridworker.request('POST', `/api/v1/cases/${c.id}/events`, {
      event: 'check_pass',
      expectedVersion: h.version,
      evidence: [after, h.attachments[0].id],
    });
    expect(passed.statusCode).toBe(200);
    const purposes = passed.json().attachments.map((a: { purpose: string }) => a.purpose);
    expect(purposes).toEqual(['evidence', 'evidence']);
    expect(new Set(passed.json().attachments.map((a: { eventId: string }) => a.eventId)).size).toBe(2);
  });
});

describe('photos at intake', () => {
  it('a staff report links the caller’s own uploads as report photos (max 9); others’ or public ones → 400 body.photos', async () => {
    const mine = [await photoOf(intake), await photoOf(intake, tinyPng())];
    const res = await intake.request('POST', '/api/v1/cases', caseBody(home, { photos: mine }));
    expect(res.statusCode).toBe(201);
    const detail = res.json();
    expect(detail.attachments.map((a: { id: string; purpose: string }) => [a.id, a.purpose]).sort()).toEqual(
      mine.map((id) => [id, 'report']).sort(),
    );
    expect(detail.attachments[0].eventId).toBeTruthy();
    const cases = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('case')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await cases();
    const publicOne = (await uploadPublic(t, tinyJpeg(), '198.51.100.8')).json().id as string;
    for (const photos of [[await photoOf(handler)], [publicOne], [mine[0]]]) {
      const bad = await intake.request('POST', '/api/v1/cases', caseBody(home, { photos }));
      expect(bad.statusCode).toBe(400);
      expect(fileIssue(bad)).toEqual(['body.photos not_found']);
    }
    const tooMany = await intake.request(
      'POST',
      '/api/v1/cases',
      caseBody(home, { photos: Array.from({ length: 10 }, () => mine[0]) }),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(fileIssue(tooMany)).toEqual(['body.photos too_big']);
    expect(await cases()).toBe(before);
    // The dispatcher (district-wide) sees the report photo of the case.
    expect((await dispatcher.request('GET', `/api/v1/attachments/${mine[0]}`)).statusCode).toBe(200);
  });
});
