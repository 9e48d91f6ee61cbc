import { describe, expect, it } from 'vitest';
import {
  createReportQueue,
  isNetworkFailure,
  memoryQueue,
  outcomeKind,
  webStorageQueue,
  type QueuedReport,
  type QueueStorage,
  type SendOutcome,
} from './offline-queue.ts';

const body = (title: string) => ({
  categoryCode: 'SJ0102',
  urgency: 'normal',
  title,
  description: '巡查发现',
  channel: 'patrol',
  location: { lng: 116.1, lat: 39.9, crs: 'wgs84' },
});

/**
 * A stand-in for POST /api/v1/cases with the server's idempotency rule: a key seen before with the same body
 * answers the first case; with another body, 422. `down` simulates no network.
 */
function fakeServer() {
  const byKey = new Map<string, { hash: string; caseId: string }>();
  const requests: { key: string; body: string }[] = [];
  const server = {
    down: false,
    status: null as number | null,
    cases: 0,
    requests,
    async send(item: QueuedReport): Promise<SendOutcome> {
      await new Promise((r) => setTimeout(r, 1));
      if (server.down) return { status: 0, reason: 'Failed to fetch' };
      const json = JSON.stringify(item.body);
      requests.push({ key: item.idempotencyKey, body: json });
      if (server.status !== null) return { status: server.status, reason: `refused ${server.status}` };
      const prior = byKey.get(item.idempotencyKey);
      if (prior) return prior.hash === json ? { status: 201 } : { status: 422, reason: 'mismatch' };
      server.cases++;
      byKey.set(item.idempotencyKey, { hash: json, caseId: `case-${server.cases}` });
      return { status: 201 };
    },
  };
  return server;
}

function fakeLocalStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

let ids = 0;
const newId = () => `id-${++ids}`;

describe('outcomeKind and isNetworkFailure', () => {
  it('keeps what may pass later and gives up on real refusals', () => {
    expect([200, 201].map(outcomeKind)).toEqual(['done', 'done']);
    expect([0, 401, 408, 429, 500, 502, 503].map(outcomeKind)).toEqual(Array(7).fill('retry'));
    expect([400, 403, 404, 409, 413, 422].map(outcomeKind)).toEqual(Array(6).fill('fail'));
  });

  it('tells a network failure from a refusal', () => {
    expect(isNetworkFailure(new TypeError('Failed to fetch'), true)).toBe(true);
    expect(isNetworkFailure({ status: 0, problem: { code: 'network' } }, true)).toBe(true);
    expect(isNetworkFailure({ status: 400 }, false)).toBe(true);
    expect(isNetworkFailure({ status: 400 }, true)).toBe(false);
    expect(isNetworkFailure(new Error('boom'), true)).toBe(false);
  });
});

describe('report queue', () => {
  it('keeps the first key and the exact body across failed attempts, then removes the entry on 2xx', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    const item = q.enqueue('u1', body('井盖缺失'), '井盖缺失', 'first-attempt-key');
    expect(item.idempotencyKey).toBe('first-attempt-key');
    server.down = true;
    expect(await q.sync('u1')).toEqual({ sent: 0, failed: 0, remaining: 1 });
    expect(q.items('u1')[0]).toMatchObject({ attempts: 1, state: 'pending', error: 'Failed to fetch' });
    server.down = false;
    server.status = 503;
    expect(await q.sync('u1')).toEqual({ sent: 0, failed: 0, remaining: 1 });
    server.status = null;
    expect(await q.sync('u1')).toEqual({ sent: 1, failed: 0, remaining: 0 });
    expect(q.items('u1')).toEqual([]);
    expect(server.cases).toBe(1);
    // Every attempt that reached the server carried the same key and byte-identical body.
    expect(new Set(server.requests.map((r) => r.key))).toEqual(new Set(['first-attempt-key']));
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
  });

  it('a report the server already has (the answer was lost) is not created twice', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    const item = q.enqueue('u1', body('路灯不亮'), '路灯不亮');
    await server.send(item); // reached the server, but the client saw a network error
    expect(await q.sync('u1')).toMatchObject({ sent: 1, remaining: 0 });
    expect(server.cases).toBe(1);
  });

  it('stops at the first network failure and keeps the order', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    q.enqueue('u1', body('一'), '一');
    q.enqueue('u1', body('二'), '二');
    server.down = true;
    await q.sync('u1');
    expect(q.items('u1').map((i) => i.attempts)).toEqual([1, 0]);
    server.down = false;
    await q.sync('u1');
    expect(server.requests.map((r) => JSON.parse(r.body).title)).toEqual(['一', '二']);
  });

  it('a refused report is kept as failed with the reason, skipped by later syncs, retried or discarded on demand', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    const bad = q.enqueue('u1', body('越界'), '越界');
    server.status = 403;
    expect(await q.sync('u1')).toEqual({ sent: 0, failed: 1, remaining: 0 });
    expect(q.items('u1')).toMatchObject([{ id: bad.id, state: 'failed', error: 'refused 403', attempts: 1 }]);
    server.status = null;
    expect(await q.sync('u1')).toEqual({ sent: 0, failed: 0, remaining: 0 });
    expect(server.requests).toHaveLength(1);
    q.retry(bad.id);
    expect(q.items('u1')[0]).toMatchObject({ state: 'pending', error: null });
    expect(await q.sync('u1')).toMatchObject({ sent: 1 });
    const other = q.enqueue('u1', body('作废'), '作废');
    q.discard(other.id);
    expect(q.items('u1')).toEqual([]);
  });

  it('sends only the owner’s reports', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    q.enqueue('u1', body('甲'), '甲');
    q.enqueue('u2', body('乙'), '乙');
    await q.sync('u1');
    expect(server.requests.map((r) => JSON.parse(r.body).title)).toEqual(['甲']);
    expect(q.items('u2')).toHaveLength(1);
  });

  it('concurrent syncs in one tab share one run: each report is sent once', async () => {
    const server = fakeServer();
    const q = createReportQueue({ storage: memoryQueue(), send: server.send, newId });
    for (const title of ['一', '二', '三']) q.enqueue('u1', body(title), title);
    const results = await Promise.all([q.sync('u1'), q.sync('u1'), q.sync('u1')]);
    expect(results.every((r) => r === results[0])).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(server.cases).toBe(3);
  });

  it('two tabs on one storage syncing at once never make a duplicate case', async () => {
    const server = fakeServer();
    const shared = fakeLocalStorage();
    const tab1 = createReportQueue({ storage: webStorageQueue(shared), send: server.send, newId });
    const tab2 = createReportQueue({ storage: webStorageQueue(shared), send: server.send, newId });
    tab1.enqueue('u1', body('一'), '一');
    tab2.enqueue('u1', body('二'), '二');
    await Promise.all([tab1.sync('u1'), tab2.sync('u1'), tab1.sync('u1')]);
    expect(server.cases).toBe(2);
    expect(tab1.items('u1')).toEqual([]);
    expect(tab2.items('u1')).toEqual([]);
  });

  it('survives a reload: a new queue on the same storage sees and sends the entries', async () => {
    const server = fakeServer();
    const shared = fakeLocalStorage();
    const before = createReportQueue({ storage: webStorageQueue(shared), send: server.send, newId });
    const item = before.enqueue('u1', body('重启前'), '重启前');
    const after = createReportQueue({ storage: webStorageQueue(shared), send: server.send, newId });
    expect(after.items('u1')).toEqual([item]);
    await after.sync('u1');
    expect(server.requests[0]!.key).toBe(item.idempotencyKey);
    expect(JSON.parse(shared.data.get('zhizhi.offline-reports')!)).toEqual([]);
  });

  it('reads garbage in storage as an empty queue and keeps snapshots stable while nothing changes', () => {
    const shared = fakeLocalStorage();
    shared.setItem('zhizhi.offline-reports', '{not json');
    const storage: QueueStorage = webStorageQueue(shared);
    const q = createReportQueue({ storage, send: fakeServer().send, newId });
    expect(q.snapshot()).toEqual([]);
    expect(q.snapshot()).toBe(q.snapshot());
    let notified = 0;
    q.subscribe(() => notified++);
    q.enqueue('u1', body('新'), '新');
    expect(notified).toBe(1);
    expect(q.snapshot()).toHaveLength(1);
    expect(q.snapshot()).toBe(q.snapshot());
  });
});
