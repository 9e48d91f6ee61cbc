import { testFieldKey } from '../crypto/field-cipher.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import type { Database } from '../../db/connect.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { createServices, type Services } from '../compose.ts';
import { cryptoIds } from '../ids.ts';
import { sha256 } from './auth.service.ts';

const MAX_FAILURES = 3;
const PASSWORD = 'Service12345';

let database: Database;
let services: Services;
const clock = fixedClock('2026-11-22T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: 'production',
    auth: { sessionTtlHours: 1, maxFailures: MAX_FAILURES, maxDelayMinutes: 5 },
  });
  const now = clock.now();
  await database.db
    .insertInto('region')
    .values({
      code: '990102000000',
      name: '示范区',
      name_en: null,
      level: 'district',
      parent_code: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [username, role] of [
    ['racer', 'admin'],
    ['sessions', 'admin'],
    ['owner', 'admin'],
  ] as const) {
    await services.users.createUnchecked(database.db, {
      username,
      displayName: username,
      role,
      password: PASSWORD,
      scope: { regionCode: '990102000000' },
    });
  }
});
afterAll(() => database.close());

const attempt = (username: string, password: string, ip = '10.1.1.1') =>
  services.auth.login({ username, password, ip, userAgent: 'vitest' }).then(
    () => 'ok',
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe('auth service on a real database', () => {
  it('concurrent failures are all counted, throttle the address once, and never lock the account', async () => {
    const results = await Promise.all(
      Array.from({ length: MAX_FAILURES * 2 }, () => attempt('racer', 'Nope1234567')),
    );
    expect(results.every((r) => r === 'auth.invalid_credentials' || r === 'rate_limited')).toBe(true);
    // Every evaluated failure was counted (the counter is one atomic upsert) and one of them, exactly, started
    // the throttling of this address: its audit row has no actor.
    const counted = results.filter((r) => r === 'auth.invalid_credentials').length;
    const counter = await database.db
      .selectFrom('rate_counter')
      .select('count')
      .where('bucket', '=', 'auth.failures')
      .where('key', '=', 'racer|10.1.1.1')
      .executeTakeFirstOrThrow();
    expect(counter.count).toBe(counted);
    const throttled = await database.db
      .selectFrom('audit_log')
      .select(['details', 'actor_id'])
      .where('action', '=', 'auth.throttled')
      .execute();
    expect(throttled).toHaveLength(counted >= MAX_FAILURES ? 1 : 0);
    expect(throttled[0]?.actor_id ?? null).toBeNull();
    // The address waits; the account does not: from elsewhere its owner signs in.
    expect(await attempt('racer', PASSWORD)).toBe('rate_limited');
    expect(await attempt('racer', PASSWORD, '10.2.2.2')).toBe('ok');
    clock.advance(5 * 60_000);
    expect(await attempt('racer', PASSWORD)).toBe('ok');
  });

  it('stores only a hash of the session id; resolves, expires and logs out', async () => {
    const r = await services.auth.login({
      username: 'sessions',
      password: PASSWORD,
      ip: null,
      userAgent: null,
    });
    const stored = await database.db
      .selectFrom('session')
      .selectAll()
      .where('id_hash', '=', sha256(r.sessionId))
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(r.sessionId);
    const ctx = await services.auth.resolveSession(r.sessionId);
    expect(ctx?.principal.username).toBe('sessions');
    expect(ctx?.csrfToken).toBe(r.csrfToken);

    clock.advance(3600_000);
    expect(await services.auth.resolveSession(r.sessionId)).toBeNull();

    const again = await services.auth.login({
      username: 'sessions',
      password: PASSWORD,
      ip: null,
      userAgent: null,
    });
    const ctx2 = await services.auth.resolveSession(again.sessionId);
    await services.auth.logout(ctx2!.sessionHash);
    expect(await services.auth.resolveSession(again.sessionId)).toBeNull();
  });

  it('a token’s permissions follow its owner: a demoted owner’s token loses what the owner lost', async () => {
    const owner = await database.db
      .selectFrom('staff')
      .selectAll()
      .where('username', '=', 'owner')
      .executeTakeFirstOrThrow();
    const { principalOf } = await import('./auth.service.ts');
    const actor = { principal: principalOf(owner), ip: null };
    const created = await services.tokens.create(actor, {
      name: 'follows-owner',
      permissions: ['user.manage', 'region.view'],
      expiresInDays: 30,
    });
    const before = await services.auth.resolveToken(created.token);
    expect(before?.kind).toBe('token');
    expect([...before!.permissions].sort()).toEqual(['region.view', 'user.manage']);

    await database.db.updateTable('staff').set({ role: 'leader' }).where('id', '=', owner.id).execute();
    const after = await services.auth.resolveToken(created.token);
    expect(after?.permissions).toEqual(['region.view']);
    expect(await services.auth.resolveToken(created.token + 'x')).toBeNull();
  });
});
