import { periodic } from '../shared/periodic.ts';
import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { webhookRepository, type ClaimedDelivery } from '../../db/repositories/webhook.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { signWebhook, webhookHeaders } from './webhook-signature.ts';

export interface WebhookWorkerOptions {
  db: Kysely<DB>;
  clock: Clock;
  cipher: FieldCipher;
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
 * delivery delivered; anything else (status, timeout, refused connection, redirect) schedules a retry with
 * exponential backoff, and after `maxAttempts` marks it failed. A process that dies mid-request leaves the lease
 * to run out, and the delivery is tried again: delivery is at least once, and receivers dedupe on
 * `X-Zhizhi-Delivery`. Scheduling decisions use the injected clock.
 */
export function createWebhookWorker(opts: WebhookWorkerOptions) {
  const { db, clock, cipher, intervalMs } = opts;
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

  /** The request body: the envelope, with the personal data decrypted into `data` at the last moment. */
  function bodyOf(d: ClaimedDelivery): string {
    const payload = (typeof d.payload === 'string' ? JSON.parse(d.payload) : d.payload) as Record<
      string,
      unknown
    >;
    const personal = d.personal ? (JSON.parse(cipher.decrypt(d.personal)!) as Record<string, unknown>) : {};
    return JSON.stringify({
      id: d.id,
      event: d.event,
      createdAt: d.created_at.toISOString(),
      attempt: d.attempts,
      data: { ...payload, ...personal },
    });
  }

  async function send(
    d: ClaimedDelivery,
  ): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    try {
      const body = bodyOf(d);
      const timestamp = String(Math.floor(clock.now().getTime() / 1000));
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zhizhi-Webhook/1',
          [webhookHeaders.event]: d.event,
          [webhookHeaders.delivery]: d.id,
          [webhookHeaders.timestamp]: timestamp,
          [webhookHeaders.signature]: signWebhook(cipher.decrypt(d.secret)!, timestamp, body),
        },
        body,
      });
      const ok = res.status >= 200 && res.status < 300;
      const text = ok ? '' : (await res.text().catch(() => '')).slice(0, 200);
      if (ok) await res.body?.cancel().catch(() => undefined);
      return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ''}` };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError'
          ? `timeout after ${timeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, status: null, error: String(reason).slice(0, 200) };
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
