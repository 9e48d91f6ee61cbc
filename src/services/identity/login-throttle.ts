import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { secondsUntil, type RateLimiter } from '../shared/rate-limiter.ts';

const FAILURES = 'auth.failures';
const DAY_MS = 86_400_000;

export interface LoginThrottleSettings {
  /** Wrong passwords for one username from one address that are answered at once. */
  maxFailures: number;
  /** The longest wait between further attempts (minutes); the wait doubles from one second up to it. */
  maxDelayMinutes: number;
}

/**
 * Slows password guessing without letting a stranger lock anyone out. Failures are counted per username and
 * client address (per day, in the database: every server process sees them). Past `maxFailures`, that address
 * must wait before its next attempt for that username is even evaluated: 1 s, 2 s, 4 s, … up to
 * `maxDelayMinutes`; earlier attempts get 429 with Retry-After. The account itself is never locked: its owner,
 * from any other address, signs in as usual, and a right password clears the address's failures.
 */
export function createLoginThrottle(deps: {
  limiter: RateLimiter;
  clock: Clock;
  settings: LoginThrottleSettings;
}) {
  const { limiter, clock, settings } = deps;
  const keyOf = (username: string, ip: string | null) => `${username.trim().toLowerCase()}|${ip ?? '-'}`;

  function delayMs(failures: number): number {
    if (failures < settings.maxFailures) return 0;
    const exponent = Math.min(failures - settings.maxFailures, 30);
    return Math.min(settings.maxDelayMinutes * 60_000, 1000 * 2 ** exponent);
  }

  return {
    /** Throws `rate_limited` while this address must still wait before trying this username again. */
    async check(username: string, ip: string | null): Promise<void> {
      const r = await limiter.peek(FAILURES, keyOf(username, ip), DAY_MS);
      if (!r) return;
      const until = new Date(r.lastAt.getTime() + delayMs(r.count));
      if (until > clock.now()) {
        throw new DomainError('rate_limited', 'too many failed sign-ins from this address', {
          retryAfterSeconds: secondsUntil(until, clock.now()),
        });
      }
    },

    /** Counts a failure; true when it is the one from which this address starts waiting (worth an audit row). */
    async failed(username: string, ip: string | null): Promise<boolean> {
      const r = await limiter.hit(FAILURES, keyOf(username, ip), DAY_MS);
      return r.count === settings.maxFailures;
    },

    async succeeded(username: string, ip: string | null): Promise<void> {
      await limiter.forget(FAILURES, keyOf(username, ip));
    },
  };
}
