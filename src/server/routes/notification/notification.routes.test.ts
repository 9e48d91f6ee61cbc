import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../services/notification/webhook-signature.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { caseBody, departmentId, HOME, pointIn } from '../../../../test/support/case-helpers.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let t: TestApp;
let admin: TestClient;
let dispatcher: TestClient;
let handler: TestClient;
let leader: TestClient;
let intake: TestClient;
let server: Server;
let receiverUrl: string;
const received: Received[] = [];
let home: { lng: number; lat: number };
let cgw: string;
let zjw: string;
let handlerId: string;
let zjwHandlerId: string;
let webhookId: string;
let secret: string;

async function staffId(username: string): Promise<string> {
  const s = await t.database.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return s.id;
}

/** A new case put straight into 已立案 (filed), ready for the dispatcher. */
async function filedCase(): Promise<{ id: string; code: string; version: number }> {
  const res = await intake.request('POST', '/api/v1/cases', caseBody(home));
  expect(res.statusCode).toBe(201);
  const { id, code } = res.json();
  await t.database.db
    .updateTable('case')
    .set({ state: 'filed', stage: 'dispatch' })
    .where('id', '=', id)
    .execute();
  return { id, code, version: 1 };
}

const act = (c: TestClient, id: string, body: object) =>
  c.request('POST', `/api/v1/cases/${id}/events`, body);

async function notificationsOf(recipientId: string, caseId: string) {
  return t.database.db
    .selectFrom('notification')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

async function deliveriesFor(event: string, caseId: string) {
  const rows = await t.database.db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('event', '=', event)
    .execute();
  return rows.filter((r) => (r.payload as { case?: { id?: string } }).case?.id === caseId);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zhizhi`;
  // The receiver listens on 127.0.0.1, named exactly in the allow-list (never do this in production);
  // gateway.example.com stands for a public receiver (the endpoint is never sent to).
  t = await createTestApp(
    { OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32' },
    { resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
  );
  admin = await t.login('admin');
  dispatcher = await t.login('dispatcher');
  handler = await t.login('handler');
  leader = await t.login('leader');
  intake = await t.login('intake');
  home = await pointIn(t, HOME);
  cgw = await departmentId(t, 'CGW');
  zjw = await departmentId(t, 'ZJW');
  handlerId = await staffId('handler');
  zjwHandlerId = randomUUID();
  await t.database.db
    .insertInto('staff')
    .values({
      id: zjwHandlerId,
      username: 'zjwhandler',
      display_name: '住建处置员',
      password_hash: 'x',
      role: 'handler',
      scope_region_code: null,
      scope_department_id: zjw,
      phone: '13700000001',
      created_at: t.clock.now(),
      updated_at: t.clock.now(),
    })
    .execute();
}, 90_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  t.services.locate.close();
  await t.close();
});

describe('webhook endpoints (administrators)', () => {
  it('creates an endpoint and shows its secret only once', async () => {
    const res = await admin.request('POST', '/api/v1/webhooks', {
      name: '短信网关',
      url: receiverUrl,
      events: ['case.assigned', 'case.replied', 'case.overdue', 'case.supervised'],
      personalData: true,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(created.active).toBe(true);
    webhookId = created.id;
    secret = created.secret;
    const got = await admin.request('GET', `/api/v1/webhooks/${webhookId}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).not.toHaveProperty('secret');
    const list = await admin.request('GET', '/api/v1/webhooks?pageSize=10');
    expect(list.json()).toMatchObject({ total: 1, page: 1, pageSize: 10 });
    expect(JSON.stringify(list.json())).not.toContain(secret);
    const stored = await t.database.db
      .selectFrom('webhook_endpoint')
      .select('secret')
      .where('id', '=', webhookId)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^enc:v1:/);
    expect(stored.secret).not.toContain(secret.slice(6));
  });

  it('refuses bad input naming the field', async () => {
    const bad: [object, string][] = [
      [{ name: 'x', url: 'ftp://example.com/hook', events: ['case.assigned'] }, 'body.url'],
      [{ name: 'x', url: 'javascript:alert(1)', events: ['case.assigned'] }, 'body.url'],
      [{ name: 'x', url: 'not a url', events: ['case.assigned'] }, 'body.url'],
      [{ name: 'x', url: receiverUrl, events: [] }, 'body.events'],
      [{ name: 'x', url: receiverUrl, events: ['case.deleted'] }, 'body.events.0'],
      [{ name: 'x', url: receiverUrl, events: ['case.assigned', 'case.assigned'] }, 'body.events'],
      [{ name: '', url: receiverUrl, events: ['case.assigned'] }, 'body.name'],
      [{ name: 'x', url: receiverUrl, events: ['case.assigned'], secret: 'mine' }, 'body.secret'],
    ];
    for (const [body, field] of bad) {
      const res = await admin.request('POST', '/api/v1/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    const en = await admin.request(
      'POST',
      '/api/v1/webhooks',
      { name: 'x', url: 'ftp://a.example', events: ['case.assigned'] },
      { 'accept-language': 'en' },
    );
    expect(en.json().issues[0].message).toBe('must be a full http:// or https:// URL');
    const patch = await admin.request('PATCH', `/api/v1/webhooks/${webhookId}`, {
      url: 'file:///etc/passwd',
    });
    expect(patch.statusCode).toBe(400);
    expect(await t.database.db.selectFrom('webhook_endpoint').select('id').execute()).toHaveLength(1);
  });

  it('only administrators manage webhooks', async () => {
    for (const c of [dispatcher, leader, handler]) {
      expect((await c.request('GET', '/api/v1/webhooks')).statusCode).toBe(403);
    }
  });

  it('rotates the secret, queues a ping signed with the new one, and logs the delivery', async () => {
    const rotated = await admin.request('POST', `/api/v1/webhooks/${webhookId}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(secret);
    secret = rotated.json().secret;
    const ping = await admin.request('POST', `/api/v1/webhooks/${webhookId}/test`);
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({ event: 'ping', status: 'pending', attempts: 0 });
    received.length = 0;
    expect((await t.services.webhookWorker.runOnce()).delivered).toBe(1);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.headers['x-zhizhi-event']).toBe('ping');
    expect(r.headers['x-zhizhi-delivery']).toBe(ping.json().id);
    const ts = r.headers['x-zhizhi-timestamp'] as string;
    const sig = { timestamp: ts, signature: r.headers['x-zhizhi-signature'] as string };
    expect(verifyWebhook(secret, sig, r.body, Number(ts))).toBe(true);
    const log = await admin.request('GET', `/api/v1/webhooks/${webhookId}/deliveries?status=delivered`);
    expect(log.statusCode).toBe(200);
    expect(log.json().items).toMatchObject([{ id: ping.json().id, status: 'delivered', lastStatus: 204 }]);
    const failed = await admin.request('GET', `/api/v1/webhooks/${webhookId}/deliveries?status=failed`);
    expect(failed.json().total).toBe(0);
    const badFilter = await admin.request('GET', `/api/v1/webhooks/${webhookId}/deliveries?status=lost`);
    expect(badFilter.statusCode).toBe(400);
  });

  it('updates, deletes, and audits every change', async () => {
    const extra = await admin.request('POST', '/api/v1/webhooks', {
      name: '临时',
      url: 'https://gateway.example.com/hook?key=abc',
      events: ['case.overdue'],
      active: false,
    });
    const id = extra.json().id;
    const patched = await admin.request('PATCH', `/api/v1/webhooks/${id}`, { name: '改名', active: true });
    expect(patched.json()).toMatchObject({ name: '改名', active: true, events: ['case.overdue'] });
    expect((await admin.request('DELETE', `/api/v1/webhooks/${id}`)).statusCode).toBe(204);
    expect((await admin.request('GET', `/api/v1/webhooks/${id}`)).statusCode).toBe(404);
    expect((await admin.request('DELETE', `/api/v1/webhooks/${id}`)).statusCode).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', 'like', 'webhook.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'webhook.create',
      'webhook.rotate_secret',
      'webhook.test',
      'webhook.create',
      'webhook.update',
      'webhook.delete',
    ]);
    // The URL's query (a key, perhaps) never reaches the audit log, nor does any secret.
    expect(JSON.stringify(audit)).not.toContain('key=abc');
    expect(JSON.stringify(audit)).not.toContain(secret);
  });
});

describe('notifications', () => {
  let dispatched: { id: string; code: string };

  it('a dispatch notifies the target department’s handlers and queues case.assigned', async () => {
    const c = await filedCase();
    const res = await act(dispatcher, c.id, { event: 'dispatch', expectedVersion: 1, departmentIds: [cgw] });
    expect(res.statusCode).toBe(200);
    dispatched = c;
    const mine = await handler.request('GET', '/api/v1/notifications');
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as {
      kind: string;
      caseId: string;
      title: string;
      data: { code: string };
    }[];
    const n = items.find((i) => i.caseId === c.id);
    expect(n).toMatchObject({ kind: 'assignment', title: `新派遣案件 ${c.code}`, data: { code: c.code } });
    expect((await notificationsOf(zjwHandlerId, c.id)).length).toBe(0); // another department's handler
    expect((await dispatcher.request('GET', '/api/v1/notifications')).json().total).toBe(0);

    const [d] = await deliveriesFor('case.assigned', c.id);
    expect(d).toBeDefined();
    expect(d!.personal).toMatch(/^enc:v1:/);
    received.length = 0;
    await t.services.webhookWorker.runOnce();
    const sent = received.find((r) => r.headers['x-zhizhi-delivery'] === d!.id);
    const body = JSON.parse(sent!.body);
    expect(body.data.case).toMatchObject({ id: c.id, code: c.code });
    expect(body.data.departments).toEqual([{ id: cgw, code: 'CGW', name: '区城市管理委员会', lead: true }]);
    expect(body.data.recipients.map((r: { id: string }) => r.id)).toEqual([handlerId]);
  });

  it('unread count, filters, read one, read all — each staff member only their own', async () => {
    const count = await handler.request('GET', '/api/v1/notifications/unread-count');
    expect(count.json()).toEqual({ unread: 1 });
    const unread = await handler.request('GET', '/api/v1/notifications?unread=true&kind=assignment');
    expect(unread.json().total).toBe(1);
    const id = unread.json().items[0].id;
    expect((await handler.request('GET', '/api/v1/notifications?kind=overdue')).json().total).toBe(0);

    const foreign = await dispatcher.request('POST', `/api/v1/notifications/${id}/read`);
    expect(foreign.statusCode).toBe(404);
    const read = await handler.request('POST', `/api/v1/notifications/${id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBe(t.clock.now().toISOString());
    expect((await handler.request('GET', '/api/v1/notifications/unread-count')).json()).toEqual({
      unread: 0,
    });
    expect((await handler.request('GET', '/api/v1/notifications?unread=false')).json().total).toBe(1);
    expect((await handler.request('GET', '/api/v1/notifications?unread=true')).json().total).toBe(0);

    const bad = await handler.request('GET', '/api/v1/notifications?kind=spam&pageSize=500');
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['querystring.kind', 'querystring.pageSize']));
    expect((await handler.request('POST', '/api/v1/notifications/not-a-uuid/read')).statusCode).toBe(400);

    const c = await filedCase();
    await act(dispatcher, c.id, { event: 'dispatch', expectedVersion: 1, departmentIds: [cgw] });
    expect((await handler.request('GET', '/api/v1/notifications/unread-count')).json()).toEqual({
      unread: 1,
    });
    expect((await handler.request('POST', '/api/v1/notifications/read-all')).json()).toEqual({ updated: 1 });
    expect((await handler.request('GET', '/api/v1/notifications/unread-count')).json()).toEqual({
      unread: 0,
    });
  });

  it('co-dispatch notifies every department’s handlers; adding a department later notifies only it', async () => {
    const c = await filedCase();
    const res = await act(dispatcher, c.id, {
      event: 'co_dispatch',
      expectedVersion: 1,
      departmentIds: [zjw, cgw],
    });
    expect(res.statusCode).toBe(200);
    expect(await notificationsOf(handlerId, c.id)).toHaveLength(1);
    const zjwNotes = await notificationsOf(zjwHandlerId, c.id);
    expect(zjwNotes).toHaveLength(1);
    expect(zjwNotes[0]!.title).toContain('（协同）');
    const [d] = await deliveriesFor('case.assigned', c.id);
    expect((d!.payload as { departments: { code: string; lead: boolean }[] }).departments).toEqual([
      expect.objectContaining({ code: 'ZJW', lead: true }),
      expect.objectContaining({ code: 'CGW', lead: false }),
    ]);

    // The department handler accepts; the dispatcher then co-dispatches to both again: nobody is new, nobody told.
    await t.database.db.updateTable('case').set({ state: 'in_progress' }).where('id', '=', c.id).execute();
    const again = await act(dispatcher, c.id, {
      event: 'co_dispatch',
      expectedVersion: 2,
      departmentIds: [cgw, zjw],
    });
    expect(again.statusCode).toBe(200);
    expect(await notificationsOf(handlerId, c.id)).toHaveLength(1);
    expect(await notificationsOf(zjwHandlerId, c.id)).toHaveLength(1);
  });

  it('a rejected return sends the case back to the department, which is told again', async () => {
    const c = await filedCase();
    await act(dispatcher, c.id, { event: 'dispatch', expectedVersion: 1, departmentIds: [cgw] });
    const ret = await act(handler, c.id, { event: 'return', expectedVersion: 2, reason: '不属于本部门' });
    expect(ret.statusCode).toBe(200);
    const rej = await act(dispatcher, c.id, {
      event: 'reject_return',
      expectedVersion: 3,
      reason: '属于城管',
    });
    expect(rej.statusCode).toBe(200);
    const notes = await notificationsOf(handlerId, c.id);
    expect(notes.map((n) => n.kind)).toEqual(['assignment', 'assignment']);
  });

  it('督办 notifies the lead department’s handlers', async () => {
    const res = await act(leader, dispatched.id, {
      event: 'supervise',
      expectedVersion: 2,
      instruction: '请于今日内处置完毕',
    });
    expect(res.statusCode).toBe(200);
    const notes = await notificationsOf(handlerId, dispatched.id);
    expect(notes.map((n) => n.kind)).toEqual(['assignment', 'supervise']);
    expect(notes[1]!.body).toBe('请于今日内处置完毕');
    expect(await deliveriesFor('case.supervised', dispatched.id)).toHaveLength(1);
  });

  it('an overdue stage notifies the recorded recipients once and queues case.overdue', async () => {
    const c = await filedCase();
    const past = new Date(t.clock.now().getTime() - 3_600_000);
    await t.database.db
      .updateTable('case')
      .set({ stage_started_at: new Date(past.getTime() - 86_400_000), stage_deadline: past })
      .where('id', '=', c.id)
      .execute();
    await t.services.caseScheduler.runOnce();
    const [esc] = await t.database.db
      .selectFrom('case_escalation')
      .selectAll()
      .where('case_id', '=', c.id)
      .execute();
    const notified = (esc!.notified as { id: string }[]).map((n) => n.id).sort();
    expect(notified).toEqual(expect.arrayContaining([await staffId('dispatcher'), await staffId('leader')]));
    const notes = await t.database.db
      .selectFrom('notification')
      .select(['recipient_id', 'kind', 'data'])
      .where('case_id', '=', c.id)
      .where('kind', '=', 'overdue')
      .execute();
    expect(notes.map((n) => n.recipient_id).sort()).toEqual(notified);
    expect(notes[0]!.data).toMatchObject({ code: c.code, stage: 'dispatch' });
    expect(await deliveriesFor('case.overdue', c.id)).toHaveLength(1);
    await t.services.caseScheduler.runOnce();
    expect(await deliveriesFor('case.overdue', c.id)).toHaveLength(1);
    // Other overdue cases in a shared database notify the leader too: look through every page.
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const res = await leader.request('GET', `/api/v1/notifications?kind=overdue&pageSize=200&page=${page}`);
      const items = res.json().items as { caseId: string }[];
      seen.push(...items.map((n) => n.caseId));
      if (items.length < 200) break;
    }
    expect(seen).toContain(c.id);
  });
});
