import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { createRateLimiter } from './rate-limiter.ts';

let database: Database;
const clock = fixedClock('2026-11-22T02:00:30Z');
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const rule = { bucket: 'test.minute', max: 3, windowMs: 60_000 };

async function codeOf(p: Promise<void>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
}

describe('rate limiter on a real database', () => {
  it('admits max per window and key, counts concurrent requests exactly, and says when to retry', async () => {
    const limiter = createRateLimiter({ db: database.db, clock });
    const results = await Promise.all(Array.from({ length: 8 }, () => codeOf(limiter.take(rule, 'a'))));
    expect(results.filter((r) => r === null)).toHaveLength(3);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(5);
    const err = await limiter.take(rule, 'a').catch((e: DomainError) => e);
    expect((err as DomainError).details.retryAfterSeconds).toBe(30);
    // Another key, another bucket: counted apart.
    expect(await codeOf(limiter.take(rule, 'b'))).toBeNull();
    expect(await codeOf(limiter.take({ ...rule, bucket: 'test.other' }, 'a'))).toBeNull();
    // The next window starts afresh.
    clock.advance(30_000);
    expect(await codeOf(limiter.take(rule, 'a'))).toBeNull();
  });

  it('prunes ended windows only', async () => {
    const limiter = createRateLimiter({ db: database.db, clock });
    await limiter.take({ bucket: 'test.hour', max: 10, windowMs: 3_600_000 }, 'kept');
    const before = await database.db.selectFrom('rate_counter').select('bucket').execute();
    const { deleted } = await limiter.prune();
    const after = await database.db.selectFrom('rate_counter').select(['bucket', 'key']).execute();
    // The first test's minute window ended when the clock moved on; the current minute and the hour remain.
    expect(deleted).toBe(before.length - after.length);
    expect(deleted).toBeGreaterThan(0);
    expect(after.map((r) => `${r.bucket}|${r.key}`).sort()).toEqual(['test.hour|kept', 'test.minute|a']);
  });
});
