import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { rateCounterRepository, type RateCount } from '../../db/repositories/rate-counter.repository.ts';
import type { DB } from '../../db/schema.ts';
import { periodic } from './periodic.ts';

/** A limit: at most `max` requests per key in each window of `windowMs` (windows are aligned to the epoch). */
export interface RateRule {
  /** What is limited, e.g. `auth.login` or `public.track_lookup`; counters of different buckets never mix. */
  bucket: string;
  max: number;
  windowMs: number;
}

/**
 * The one rate-limit mechanism (sign-in, public endpoints, tracking-code guesses, sensors). Counts live in the
 * database, so a limit holds across every server process and survives a restart: 10 guesses per hour means 10,
 * whichever process answers. Windows are fixed (aligned to multiples of their length): within one window a key
 * gets at most `max`; a burst straddling a window boundary may see up to twice that in less than one window.
 * Ended windows are deleted by `pruner`, run with the background jobs.
 */
export function createRateLimiter(deps: { db: Kysely<DB>; clock: Clock; pruneIntervalMs?: number }) {
  const { db, clock } = deps;

  function windowOf(windowMs: number, now: Date) {
    const start = Math.floor(now.getTime() / windowMs) * windowMs;
    return { windowStart: new Date(start), windowEnd: new Date(start + windowMs) };
  }

  /** Counts a request for `key` (whether or not it will be admitted) and returns the window's count. */
  async function hit(
    bucket: string,
    key: string,
    windowMs: number,
  ): Promise<RateCount & { windowEnd: Date }> {
    const now = clock.now();
    const w = windowOf(windowMs, now);
    const counted = await rateCounterRepository.increment(db, { bucket, key, ...w, at: now });
    return { ...counted, windowEnd: w.windowEnd };
  }

  /** The current window's count for `key`, without counting. */
  function peek(bucket: string, key: string, windowMs: number): Promise<RateCount | null> {
    return rateCounterRepository.find(db, {
      bucket,
      key,
      windowStart: windowOf(windowMs, clock.now()).windowStart,
    });
  }

  /**
   * Counts a request; throws `rate_limited` (429, `retryAfterSeconds` until the window ends) when it is over the
   * rule's limit.
   */
  async function take(rule: RateRule, key: string): Promise<void> {
    const r = await hit(rule.bucket, key, rule.windowMs);
    if (r.count > rule.max) {
      throw new DomainError('rate_limited', `over ${rule.max} per ${rule.windowMs} ms (${rule.bucket})`, {
        retryAfterSeconds: secondsUntil(r.windowEnd, clock.now()),
      });
    }
  }

  async function forget(bucket: string, key: string): Promise<void> {
    await rateCounterRepository.deleteKey(db, bucket, key);
  }

  /** Deletes every ended window, in batches; how many. */
  async function prune(): Promise<{ deleted: number }> {
    let deleted = 0;
    for (;;) {
      const n = await rateCounterRepository.deleteEnded(db, clock.now(), 1000);
      deleted += n;
      if (n < 1000) return { deleted };
    }
  }

  const pruner = periodic(prune, deps.pruneIntervalMs ?? 600_000, (err) =>
    process.stderr.write(`rate counter pruning: ${err instanceof Error ? err.stack : String(err)}\n`),
  );

  return { hit, peek, take, forget, prune, pruner: { start: pruner.start, stop: pruner.stop } };
}

/** Whole seconds from `now` until `at`, at least 1 (a Retry-After of 0 invites an immediate retry). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
