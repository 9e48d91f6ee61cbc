import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { webhookRepository } from '../../db/repositories/webhook.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createFieldCipher, testFieldKey } from '../crypto/field-cipher.ts';
import { cryptoIds } from '../ids.ts';
import { createOutboundGuard } from '../net/outbound-guard.ts';
import { createWebhookOutbox } from './webhook-outbox.ts';
import { createWebhookWorker, type WebhookWorker } from './webhook-worker.ts';

/**
 * What the delivery worker keeps and sends beyond the happy path: the outbound address policy at every attempt
 * (checked address, pinned connection), a log without the receiver's answer, personal data masked unless allowed.
 */
const clock = fixedClock('2026-11-23T02:00:00Z');
const cipher = createFieldCipher(testFieldKey());
const outbox = createWebhookOutbox({ ids: cryptoIds, cipher });
const CASE = { regionCode: '990102001001', departmentIds: [] };

let server: Server;
let base: string;
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
const scripts = new Map<string, number[]>();
const served = new Map<string, number>();

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const path = req.url ?? '/';
  received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
  const script = scripts.get(path) ?? [200];
  const n = served.get(path) ?? 0;
  served.set(path, n + 1);
  const answer = script[Math.min(n, script.length - 1)]!;
  res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? 'receiver says no' : 'ok');
}

let a: Database;

/** A new endpoint with personal data allowed; every earlier one is paused. */
async function endpoint(path: string): Promise<string> {
  const id = cryptoIds.uuid();
  await a.db.updateTable('webhook_endpoint').set({ active: false }).execute();
  await webhookRepository.insertEndpoint(a.db, {
    id,
    name: path,
    url: `${base}${path}`,
    secret: cipher.encrypt('whsec_test')!,
    events: ['case.replied', 'case.assigned'],
    active: true,
    scopeRegionCode: null,
    scopeDepartmentId: null,
    personalData: true,
    at: clock.now(),
  });
  return id;
}

const deliveriesOf = (endpointId: string) =>
  a.db.selectFrom('webhook_delivery').selectAll().where('endpoint_id', '=', endpointId).execute();

/** The test receiver listens on 127.0.0.1, which the policy opens only when named exactly. */
const localGuard = createOutboundGuard({ allowCidrs: '127.0.0.1/32' });

function worker(over: Partial<Parameters<typeof createWebhookWorker>[0]> = {}): WebhookWorker {
  return createWebhookWorker({
    db: a.db,
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
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await a.close();
});

beforeEach(() => {
  received.length = 0;
  served.clear();
});

describe('webhook delivery: address policy, log and personal data', () => {
  it('the delivery log keeps the status and a fixed reason, never the receiver’s answer', async () => {
    const ep = await endpoint('/answers');
    scripts.set('/answers', [404, 302]);
    await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { n: 8 });
    const w = worker({ backoffBaseMs: 1000 });
    await w.runOnce();
    let [d] = await deliveriesOf(ep);
    expect(d).toMatchObject({ last_status: 404, last_error: 'http_status' });
    clock.advance(1000);
    await w.runOnce();
    [d] = await deliveriesOf(ep);
    expect(d).toMatchObject({ last_status: 302, last_error: 'redirect' });
    expect(JSON.stringify(await deliveriesOf(ep))).not.toContain('receiver says no');
  });

  it('a host that resolves to a refused address at delivery time is not contacted; the reason is logged', async () => {
    const ep = await endpoint('/rebind');
    const port = new URL(base).port;
    await a.db
      .updateTable('webhook_endpoint')
      .set({ url: `http://hooks.example.test:${port}/rebind` })
      .where('id', '=', ep)
      .execute();
    await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { n: 9 });
    // The name passed the check when it was registered; now it answers with loopback (DNS rebinding), or with a
    // public address beside a loopback one. Both are refused before any connection.
    for (const answer of [
      [{ address: '127.0.0.1', family: 4 }],
      [
        { address: '93.184.216.34', family: 4 },
        { address: '::1', family: 6 },
      ],
    ]) {
      const guard = createOutboundGuard({ resolve: async () => answer });
      expect(await worker({ guard, backoffBaseMs: 1 }).runOnce()).toEqual({
        delivered: 0,
        retrying: 1,
        failed: 0,
      });
      clock.advance(10_000);
      const [d] = await deliveriesOf(ep);
      expect(d).toMatchObject({ last_status: null, last_error: 'address_refused:loopback' });
    }
    expect(received).toHaveLength(0);
  });

  it('connects to the address that was checked, without asking DNS again', async () => {
    const ep = await endpoint('/pinned');
    const port = new URL(base).port;
    await a.db
      .updateTable('webhook_endpoint')
      .set({ url: `http://receiver.example.test:${port}/pinned` })
      .where('id', '=', ep)
      .execute();
    await outbox.enqueue(a.db, 'case.assigned', clock.now(), CASE, { n: 10 });
    const lookups: string[] = [];
    const guard = createOutboundGuard({
      allowCidrs: '127.0.0.1/32',
      resolve: async (host) => {
        lookups.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    // receiver.example.test exists in no DNS: the request can only have reached the checked address.
    expect(await worker({ guard }).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(lookups).toEqual(['receiver.example.test']);
    expect(received[0]!.headers.host).toBe(`receiver.example.test:${port}`);
  });

  it('an endpoint without the personal-data flag receives names and phones masked', async () => {
    const ep = await endpoint('/masked');
    await a.db.updateTable('webhook_endpoint').set({ personal_data: false }).where('id', '=', ep).execute();
    const personal = {
      reporter: { name: '张三丰', phone: '13812345678' },
      recipients: [{ id: 'x', name: '李四', role: 'handler', phone: '13900001111' }],
    };
    await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 11 }, personal);
    // Queued while the flag was on, sent after it was turned off: masked at sending too.
    await a.db.updateTable('webhook_endpoint').set({ personal_data: true }).where('id', '=', ep).execute();
    await outbox.enqueue(a.db, 'case.replied', clock.now(), CASE, { n: 12 }, personal);
    await a.db.updateTable('webhook_endpoint').set({ personal_data: false }).where('id', '=', ep).execute();
    expect((await worker().runOnce()).delivered).toBe(2);
    for (const r of received) {
      expect(JSON.parse(r.body).data).toMatchObject({
        reporter: { name: '张**', phone: '138****5678' },
        recipients: [{ id: 'x', name: '李*', role: 'handler', phone: '139****1111' }],
      });
      expect(r.body).not.toContain('13812345678');
      expect(r.body).not.toContain('张三丰');
    }
  });
});
