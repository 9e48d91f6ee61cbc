import { afterAll, describe, expect, it } from 'vitest';
import { RUN_POSTGRES, requirePostgresUrl } from '../support/ci.ts';
import { formatDurability, runDurability, type DurabilityResult } from '../support/durability.ts';
import { disposeAll } from '../support/server.ts';

// An acknowledged write is durable: a kill -9 of the server after a 2xx loses nothing, on both engines.
// PostgreSQL runs when E2E_DATABASE_URL is set, and always under CI (where a missing server fails the test).

afterAll(() => disposeAll());

function expectNothingLost(r: DurabilityResult): void {
  console.log(formatDurability(r));
  expect(r.rejectedSamples, 'every write before the kill should have been accepted').toEqual([]);
  expect(r.acknowledged).toBeGreaterThan(50);
  expect(r.inFlightAtKill, 'the kill should land while writes are in flight').toBeGreaterThan(0);
  expect(r.lostCodes).toEqual([]);
  expect(r.lost).toBe(0);
  expect(r.found).toBe(r.acknowledged);
}

describe('durability under kill -9', () => {
  it('loses no acknowledged write on embedded PGlite', async () => {
    expectNothingLost(
      await runDurability({ engine: 'pglite', writeMs: 4000, concurrency: 8, minAcknowledged: 80 }),
    );
  });

  it.runIf(RUN_POSTGRES)('loses no acknowledged write on PostgreSQL', async () => {
    const databaseUrl = requirePostgresUrl();
    expectNothingLost(
      await runDurability({
        engine: 'postgres',
        databaseUrl,
        writeMs: 4000,
        concurrency: 8,
        minAcknowledged: 80,
      }),
    );
  });
});
