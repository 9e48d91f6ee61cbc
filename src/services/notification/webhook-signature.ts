import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of every webhook delivery. */
export const webhookHeaders = {
  event: 'X-Zhizhi-Event',
  delivery: 'X-Zhizhi-Delivery',
  timestamp: 'X-Zhizhi-Timestamp',
  signature: 'X-Zhizhi-Signature',
} as const;

/**
 * The signature a receiver checks: `sha256=` + hex HMAC-SHA256 keyed with the endpoint's secret over
 * `<timestamp>.<raw body>` (the timestamp is the X-Zhizhi-Timestamp header, Unix seconds). See docs/webhooks.md.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The receiver's check (the same recipe docs/webhooks.md gives): constant-time comparison, and the timestamp
 * within `toleranceSeconds` of `nowSeconds` so that a captured request cannot be replayed later.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
