/** Time and randomness are injected so that services and tests are exact. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function fixedClock(
  start: Date | string,
): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface IdSource {
  /** A new random identifier (UUID v4 in production). */
  uuid(): string;
  /** `bytes` random bytes, hex encoded: secrets such as session ids and tokens. */
  secret(bytes?: number): string;
}
