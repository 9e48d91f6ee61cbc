import type { Clock } from '../../domain/shared/clock.ts';

/**
 * A sliding-window request limit per key (e.g. per device), in memory: at most `max` requests in any `windowMs`.
 * Each server process counts its own requests, so with N processes behind a balancer a key may get up to N × max.
 */
export function createRateWindow(deps: { clock: Clock; max: number; windowMs: number }) {
  const { clock, max, windowMs } = deps;
  const hits = new Map<string, number[]>();
  let sweptAt = 0;

  function sweep(now: number): void {
    if (now - sweptAt < windowMs) return;
    sweptAt = now;
    for (const [key, times] of hits) if (times[times.length - 1]! <= now - windowMs) hits.delete(key);
  }

  return {
    /** Counts a request; returns 0 when it is admitted, else the milliseconds until the next one would be. */
    take(key: string): number {
      const now = clock.now().getTime();
      sweep(now);
      const times = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (times.length >= max) {
        hits.set(key, times);
        return times[0]! + windowMs - now;
      }
      times.push(now);
      hits.set(key, times);
      return 0;
    },
  };
}

export type RateWindow = ReturnType<typeof createRateWindow>;
