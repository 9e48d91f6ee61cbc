import { periodic } from '../shared/periodic.ts';
import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { webhookRepository, type ClaimedDelivery } from '../../db/repositories/webhook.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { refusalText, type OutboundGuard } from '../net/outbound-guard.ts';
import { signWebhook, webhookHeaders } from './webhook-signature.ts';
import { maskPersonal, type WebhookPersonal } from './webhook-personal.ts';
import { failureOf, postPinned } from './webhook-transport.ts';

export interface WebhookWorkerOptions {
  db: Kysely<DB>;
  clock: Clock;
  cipher: FieldCipher;
  /** The outbound address check: every attempt resolves and checks the host again, then connects to that address. */
  guard: OutboundGuard;
  /** How often due deliveries are looked for (the worker runs only once started). */
  intervalMs: number;
  /** Deliveries claimed per transaction (and sent concurrently). */
  batchSize?: number;
  /** Attempts before a delivery is given up (failed). */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles each time (30 s, 60 s, 120 s, …). */
  backoffBaseMs?: number;
  /** Longest wait between attempts. */
  backoffMaxMs?: number;
  /** A request that takes longer is abandoned and counts as a failed attempt. */
  timeoutMs?: number;
  onError?: (err: unknown) => void;
}

export interface WorkerRun {
  delivered: number;
  retrying: number;
  failed: number;
}

/** The wait after failed attempt `n` (1-based): base × 2^(n−1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The webhook delivery worker: sends the outbox (`webhook_delivery`) as signed JSON POSTs. Safe with several
 * server processes on one database — due rows are claimed with `FOR UPDATE SKIP LOCKED` in a short transaction
 * that also leases them (next attempt pushed past the request timeout) and counts the attempt, so no two workers
 * send one delivery at the same time; the HTTP request itself runs outside any transaction. A 2xx answer marks the
 * delivery delivered; anything else (status, timeout, refused connection, redirect, a host whose address the
 * outbound policy refuses — checked again at every attempt) schedules a retry with
 * exponential backoff, and after `maxAttempts` marks it failed. A process that dies mid-request leaves the lease
 * to run out, and the delivery is tried again: delivery is at least once, and receivers dedupe on
 * `X-Zhizhi-Delivery`. Scheduling decisions use the injected clock.
 */
export function createWebhookWorker(opts: WebhookWorkerOptions) {
  const { db, clock, cipher, guard, intervalMs } = opts;
  const batchSize = opts.batchSize ?? 10;
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseMs = opts.backoffBaseMs ?? 30_000;
  const maxMs = opts.backoffMaxMs ?? 3_600_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = timeoutMs + 60_000;
  const onError =
    opts.onError ??
    ((err: unknown) =>
      process.stderr.write(`webhook worker: ${err instanceof Error ? err.stack : String(err)}\n`));

  /**
   * The request body: the envelope, with the personal data decrypted into `data` at the last moment — masked unless
   * the endpoint may receive it in clear.
   */
  function bodyOf(d: ClaimedDelivery): string {
    const payload = (typeof d.payload === 'string' ? JSON.parse(d.payload) : d.payload) as Record<
      string,
      unknown
    >;
    const sealed = d.personal ? (JSON.parse(cipher.decrypt(d.personal)!) as WebhookPersonal) : {};
    // The endpoint's flag as it is now: turned off since the delivery was queued, the data goes masked.
    const personal = d.personal_data ? sealed : maskPersonal(sealed);
    return JSON.stringify({
      id: d.id,
      event: d.event,
      createdAt: d.created_at.toISOString(),
      attempt: d.attempts,
      data: { ...payload, ...personal },
    });
  }

  /**
   * One attempt. The delivery log keeps the status and a short fixed reason only (`http_status`, `timeout`,
   * `address_refused:loopback`, …), never the receiver's answer: a receiver's body is not ours to store or show.
   */
  async function send(
    d: ClaimedDelivery,
  ): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    try {
      const url = new URL(d.url);
      const target = await guard.check(url);
      if (!target.ok) return { ok: false, status: null, error: refusalText(target) };
      const body = bodyOf(d);
      const timestamp = String(Math.floor(clock.now().getTime() / 1000));
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Zhizhi-Webhook/1',
        [webhookHeaders.event]: d.event,
        [webhookHeaders.delivery]: d.id,
        [webhookHeaders.timestamp]: timestamp,
        [webhookHeaders.signature]: signWebhook(cipher.decrypt(d.secret)!, timestamp, body),
      };
      const status = await postPinned(url, target, headers, body, timeoutMs);
      const ok = status >= 200 && status < 300;
      return { ok, status, error: ok ? null : status >= 300 && status < 400 ? 'redirect' : 'http_status' };
    } catch (err) {
      return { ok: false, status: null, error: failureOf(err) };
    }
  }

  async function finish(d: ClaimedDelivery, r: Awaited<ReturnType<typeof send>>): Promise<keyof WorkerRun> {
    const now = clock.now();
    const common = { last_status: r.status, last_error: r.error };
    if (r.ok) {
      await webhookRepository.recordAttempt(db, d.id, d.attempts, {
        ...common,
        delivered_at: now,
        next_attempt_at: null,
        personal: null,
      });
      return 'delivered';
    }
    if (d.attempts >= maxAttempts) {
      await webhookRepository.recordAttempt(db, d.id, d.attempts, {
        ...common,
        failed_at: now,
        next_attempt_at: null,
        personal: null,
      });
      return 'failed';
    }
    const next = new Date(now.getTime() + backoffMs(d.attempts, baseMs, maxMs));
    await webhookRepository.recordAttempt(db, d.id, d.attempts, { ...common, next_attempt_at: next });
    return 'retrying';
  }

  /** Claims one batch, sends it, records the outcomes; returns how many were claimed. */
  async function runBatch(out: WorkerRun): Promise<number> {
    const claimed = await db.transaction().execute((trx) => {
      const now = clock.now();
      return webhookRepository.claimDue(trx, now, new Date(now.getTime() + leaseMs), batchSize);
    });
    const results = await Promise.all(claimed.map(async (d) => finish(d, await send(d))));
    for (const r of results) out[r]++;
    return claimed.length;
  }

  /** Sends every delivery due now, batch by batch. */
  async function runOnce(): Promise<WorkerRun> {
    const out: WorkerRun = { delivered: 0, retrying: 0, failed: 0 };
    while ((await runBatch(out)) === batchSize) {
      // A full batch: there may be more due.
    }
    return out;
  }

  const loop = periodic(runOnce, intervalMs, onError);

  return {
    runOnce,

    /** Runs every `intervalMs` (the first run one interval after start); runs never overlap. */
    start: loop.start,

    /** Stops the timer and waits for a run in progress, so the database can be closed afterwards. */
    stop: loop.stop,
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
