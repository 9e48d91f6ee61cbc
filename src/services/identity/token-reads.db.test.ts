import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createServices, type Services } from '../compose.ts';
import { testFieldKey } from '../crypto/field-cipher.ts';
import { cryptoIds } from '../ids.ts';
import { principalOf, sha256 } from './auth.service.ts';
import { createTokenReader } from './token-reads.ts';

let database: Database;
let services: Services;
const clock = fixedClock('2026-11-22T02:00:00Z');
const tokens: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: 'production',
    auth: { sessionTtlHours: 1, maxFailures: 3, maxDelayMinutes: 5 },
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
  for (const username of ['reader1', 'reader2']) {
    await services.users.createUnchecked(database.db, {
      username,
      displayName: username,
      role: 'admin',
      password: 'Service12345',
      scope: { regionCode: '990102000000' },
    });
  }
  for (const username of ['reader1', 'reader2']) {
    const owner = await database.db
      .selectFrom('staff')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    const created = await services.tokens.create(
      { principal: principalOf(owner), ip: null },
      { name: `t-${username}`, permissions: ['region.view'], expiresInDays: 30 },
    );
    tokens.push(created.token);
  }
});
afterAll(() => database.close());

describe('token reads of one event-loop turn share one query', () => {
  it('concurrent reads of several tokens: one query, each its own answer', async () => {
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        queries++;
        return a.result;
      },
    };
    const read = createTokenReader(database.db.withPlugin(counting));
    const hashes = [tokens[0]!, tokens[1]!, tokens[0]!, 'zz_unknown'].map(sha256);
    const found = await Promise.all(hashes.map((h) => read(h)));
    expect(queries).toBe(1);
    expect(found.map((f) => f?.staff.username ?? null)).toEqual(['reader1', 'reader2', 'reader1', null]);
    // A later turn reads again (nothing is kept between turns).
    await read(hashes[0]!);
    expect(queries).toBe(2);
  });

  it('a revocation or a disabled owner committed before the request counts, batched or not', async () => {
    const [a, b] = await Promise.all([
      services.auth.resolveToken(tokens[0]!),
      services.auth.resolveToken(tokens[1]!),
    ]);
    expect(a?.username).toBe('reader1');
    expect(b?.username).toBe('reader2');
    await database.db
      .updateTable('api_token')
      .set({ revoked_at: clock.now() })
      .where('name', '=', 't-reader1')
      .execute();
    await database.db
      .updateTable('staff')
      .set({ disabled: true })
      .where('username', '=', 'reader2')
      .execute();
    const after = await Promise.all([
      services.auth.resolveToken(tokens[0]!),
      services.auth.resolveToken(tokens[1]!),
    ]);
    expect(after).toEqual([null, null]);
  });
});
