import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../db/connect.ts';
import { webhookRepository } from '../../db/repositories/webhook.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createFieldCipher, testFieldKey } from '../crypto/field-cipher.ts';
import { cryptoIds } from '../ids.ts';
import { createOutboundGuard } from '../net/outbound-guard.ts';
import { createWebhookOutbox } from './webhook-outbox.ts';
import { verifyWebhook } from './webhook-signature.ts';
import { backoffMs, createWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

const T0 = '2026-11-23T02:00:00Z';
const clock = fixedClock(T0);
const cipher = createFieldCipher(testFieldKey());
const outbox = createWebhookOutbox({ ids: cryptoIds, cipher });
const SECRET = 'whsec_test_secret';
/** The case every test event is about (the endpoints here are global: scope matching is tested elsewhere). */
const CASE = { regionCode: '990102001001', departmentIds: [] };

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver: each path answers with the next status of its script (the last one repeats); 'hang' never answers. */
let server: Server;
let base: string;
const received: Received[] = [];
const scripts = new Map<string, (number | 'hang')[]>();
const served = new Map<string, number>();
let slowMs = 0;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const path = req.url ?? '/';
  received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
  const script = scripts.get(path) ?? [200];
  const n = served.get(path) ?? 0;
  served.set(path, n + 1);
  const answer = script[Math.min(n, script.length - 1)]!;
  if (answer === 'hang') return; // the worker's timeout must give up
  if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
  res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? 'receiver says no' : 'ok');
}

let a: Database;
/** A second pool on the same database (PostgreSQL), standing in for a second server process. */
let b: Database;
let seq = 0;

/** A new endpoint; every earlier one is paused, so each test sees only its own deliveries. */
async function endpoint(path: string, active = true): Promise<string> {
  const id = cryptoIds.uuid();
  scripts.delete(path);
  await a.db.updateTable('webhook_endpoint').set({ active: false }).execute();
  await webhookRepository.insertEndpoint(a.db, {
    id,
    name: `receiver ${++seq}`,
    url: `${base}${path}`,
    secret: cipher.encrypt(SECRET)!,
    events: ['case.replied', 'case.assigned'],
    active,
    scopeRegionCode: null,
    scopeDepartmentId: null,
    personalData: true,
    at: clock.now(),
  });
  return id;
}

async function delivery(id: string) {
  return a.db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function deliveriesOf(endpointId: string) {
  return a.db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The test receiver listens on 127.0.0.1, which the outbound policy opens only when named exactly. */
const localGuard = createOutboundGuard({ allowCidrs: '127.0.0.1/32' });

function worker(db: Database, over: Partial<Parameters<typeof createWebhookWorker>[0]> = {}): WebhookWorker {
  return createWebhookWorker({
    db: db.db,
    clock,
    cipher,
    guard: localGuard,
    intervalMs: 20,
    timeoutMs: 2000,
    ...over,
  });
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  a = await openTestDatabase();
  const url = process.env.TEST_DATABASE_URL;
  b = url ? await connect({ databaseUrl: url, schema: a.schema!, poolSize: 5 }) : a;
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  if (b !== a) await b.close();
  await a.close();
});

beforeEach(() => {
  received.length = 0;
  served.clear();
  slowMs = 0;
});

describe('webhook delivery worker', () => {
  it('POSTs signed JSON with the personal data decrypted, marks it delivered and forgets the personal data', async () => {
    const ep = await endpoint('/ok');
    const payload = { case: { code: '2026112300001' }, reply: { satisfaction: 'satisfied' } };
    expect(
      await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, payload, {
        reporter: { name: '张三', phone: '13812345678' },
      }),
    ).toBe(1);
    const [queued] = await deliveriesOf(ep);
    expect(queued!.personal).toMatch(/^enc:v1:/); // encrypted at rest, like the case's own columns
    expect(JSON.stringify(queued!.payload)).not.toContain('13812345678');

    expect(await worker(a).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.path).toBe('/ok');
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.headers['x-zhizhi-event']).toBe('case.replied');
    expect(r.headers['x-zhizhi-delivery']).toBe(queued!.id);
    const ts = r.headers['x-zhizhi-timestamp'] as string;
    expect(Number(ts)).toBe(Math.floor(clock.now().getTime() / 1000));
    const now = Number(ts);
    const sig = { timestamp: ts, signature: r.headers['x-zhizhi-signature'] as string };
    expect(sig.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, sig, r.body, now)).toBe(true);
    expect(verifyWebhook('whsec_wrong', sig, r.body, now)).toBe(false);
    expect(verifyWebhook(SECRET, sig, r.body.replace('张三', '李四'), now)).toBe(false);
    expect(verifyWebhook(SECRET, sig, r.body, now + 3600)).toBe(false); // a replay an hour later
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      id: queued!.id,
      event: 'case.replied',
      attempt: 1,
      data: { ...payload, reporter: { name: '张三', phone: '13812345678' } },
    });

    const done = await delivery(queued!.id);
    expect(done.delivered_at).toEqual(clock.now());
    expect(done.attempts).toBe(1);
    expect(done.last_status).toBe(200);
    expect(done.personal).toBeNull();
    expect(await worker(a).runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it('retries after a 500 with exponential backoff, then delivers', async () => {
    const ep = await endpoint('/flaky');
    scripts.set('/flaky', [500, 503, 200]);
    await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { n: 1 });
    const w = worker(a);
    expect(await w.runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    let [d] = await deliveriesOf(ep);
    expect(d!.attempts).toBe(1);
    expect(d!.last_status).toBe(500);
    expect(d!.last_error).toBe('http_status'); // a fixed reason: never the receiver's answer
    expect(JSON.stringify(d)).not.toContain('receiver says no');
    expect(d!.next_attempt_at!.getTime() - clock.now().getTime()).toBe(30_000);

    expect(await w.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 }); // not due yet
    clock.advance(30_000);
    expect(await w.runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    [d] = await deliveriesOf(ep);
    expect(d!.next_attempt_at!.getTime() - clock.now().getTime()).toBe(60_000); // doubled
    clock.advance(59_000);
    expect(await w.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock.advance(1_000);
    expect(await w.runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [d] = await deliveriesOf(ep);
    expect(d!.attempts).toBe(3);
    expect(d!.delivered_at).not.toBeNull();
    expect(received.map((r) => JSON.parse(r.body).attempt)).toEqual([1, 2, 3]);
    // Every attempt is the same delivery: one id for the receiver to dedupe on.
    expect(new Set(received.map((r) => r.headers['x-zhizhi-delivery'])).size).toBe(1);
  });

  it('gives up after the last attempt and sends nothing more', async () => {
    const ep = await endpoint('/down');
    scripts.set('/down', [500]);
    await outbox.enqueue(
      a.db,
      'case.replied',
      clock.now(),
      CASE,
      { n: 2 },
      { reporter: { name: null, phone: '13900000000' } },
    );
    const w = worker(a, { maxAttempts: 3, backoffBaseMs: 1000 });
    const runs = [];
    for (let i = 0; i < 6; i++) {
      runs.push(await w.runOnce());
      clock.advance(10_000);
    }
    expect(runs.slice(0, 3)).toEqual([
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 0, retrying: 0, failed: 1 },
    ]);
    expect(runs.slice(3).every((r) => r.delivered + r.retrying + r.failed === 0)).toBe(true);
    expect(received).toHaveLength(3);
    const [d] = await deliveriesOf(ep);
    expect(d!.attempts).toBe(3);
    expect(d!.failed_at).not.toBeNull();
    expect(d!.next_attempt_at).toBeNull();
    expect(d!.personal).toBeNull();
  });

  it('a receiver that does not answer in time, or refuses the connection, is a failed attempt', async () => {
    const hang = await endpoint('/hang');
    scripts.set('/hang', ['hang']);
    await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 3 });
    const started = Date.now();
    expect(await worker(a, { timeoutMs: 300 }).runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [d] = await deliveriesOf(hang);
    expect(d!.last_error).toBe('timeout');
    expect(d!.last_status).toBeNull();
    await a.db.updateTable('webhook_endpoint').set({ active: false }).where('id', '=', hang).execute();
    const closed = cryptoIds.uuid();
    await webhookRepository.insertEndpoint(a.db, {
      id: closed,
      name: 'nobody listens',
      url: 'http://127.0.0.1:9/x',
      secret: cipher.encrypt(SECRET)!,
      events: ['case.overdue'],
      active: true,
      scopeRegionCode: null,
      scopeDepartmentId: null,
      personalData: true,
      at: clock.now(),
    });
    await outbox.enqueue(a.db, 'case.overdue', clock.now(), CASE, { n: 4 });
    expect(await worker(a).runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const [e] = await deliveriesOf(closed);
    expect(e!.last_error).toBe('connection_refused');
  });

  it('a paused endpoint keeps its deliveries until it is active again; a ping goes anyway', async () => {
    const ep = await endpoint('/paused', false);
    expect(await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 5 })).toBe(0); // not subscribed while paused
    await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 6 }); // still none
    await outbox.enqueueTo(a.db, ep, 'ping', clock.now(), { hello: true });
    await a.db.updateTable('webhook_endpoint').set({ active: true }).where('id', '=', ep).execute();
    await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 7 });
    await a.db.updateTable('webhook_endpoint').set({ active: false }).where('id', '=', ep).execute();
    expect(await worker(a).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(received.map((r) => r.headers['x-zhizhi-event'])).toEqual(['ping']);
    await a.db.updateTable('webhook_endpoint').set({ active: true }).where('id', '=', ep).execute();
    expect(await worker(a).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(JSON.parse(received[1]!.body).data).toEqual({ n: 7 });
  });

  it('two workers on two connections racing never send one delivery twice', async () => {
    if (process.env.TEST_DATABASE_URL) expect(b).not.toBe(a);
    const ep = await endpoint('/race');
    slowMs = 15; // long enough for the workers' claims to overlap
    for (let i = 0; i < 40; i++) await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { i });
    const workers = [worker(a, { batchSize: 3 }), worker(b, { batchSize: 3 })];
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => workers[i % 2]!.runOnce()));
    expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(40);
    const ids = received.filter((r) => r.path === '/race').map((r) => r.headers['x-zhizhi-delivery']);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const rows = await deliveriesOf(ep);
    expect(rows.every((d) => d.delivered_at !== null && d.attempts === 1)).toBe(true);
  });

  it('start() sends on its interval and stop() waits for the run in progress', async () => {
    await endpoint('/timer');
    await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { timer: true });
    const w = worker(b);
    w.start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !received.some((r) => r.path === '/timer')) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await w.stop();
    expect(received.filter((r) => r.path === '/timer')).toHaveLength(1);
  });

  it('backs off 30 s × 2^(n−1), capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000, 3_600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(backoffMs(20, 30_000, 3_600_000)).toBe(3_600_000);
  });
});
