import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { attachmentRepository } from '../../db/repositories/attachment.repository.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { createServices, type Services } from '../compose.ts';
import { testFieldKey } from '../crypto/field-cipher.ts';
import { cryptoIds } from '../ids.ts';
import { tinyPng } from '../../../test/support/test-images.ts';
import { createUploadSweeper } from './upload-sweeper.ts';

const HOUR = 3_600_000;
const clock = fixedClock('2026-11-22T02:00:00Z');
let database: Database;
let services: Services;
beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock,
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
  await services.demo.load();
}, 60_000);
afterAll(() => database.close());

async function exists(id: string): Promise<boolean> {
  const row = await database.db.selectFrom('attachment').select('id').where('id', '=', id).executeTakeFirst();
  return !!row;
}

describe('upload sweeper', () => {
  it('deletes unlinked uploads older than the retention period, in batches; keeps linked and recent ones', async () => {
    const sweeper = createUploadSweeper({
      db: database.db,
      clock: clock,
      retentionHours: 24,
      intervalMs: HOUR,
      batchSize: 2,
    });
    const start = clock.now();
    const old = [];
    for (let i = 0; i < 5; i++) old.push((await services.attachments.uploadPublic(tinyPng(2 + i, 3))).id);
    const linked = (await services.attachments.uploadPublic(tinyPng(9, 9))).id;
    const someCase = await database.db.selectFrom('case').select('id').limit(1).executeTakeFirstOrThrow();
    await attachmentRepository.link(database.db, [linked], {
      caseId: someCase.id,
      purpose: 'report',
      eventId: null,
    });
    clock.advance(23 * HOUR);
    const recent = (await services.attachments.uploadPublic(tinyPng(4, 4))).id;

    // 23 h after the first uploads: nothing is old enough yet.
    expect(await sweeper.runOnce()).toEqual({ deleted: 0 });
    // Just past 24 h: the five unlinked ones go (three batches of at most 2), the linked and the recent one stay.
    clock.set(new Date(start.getTime() + 24 * HOUR + 1000));
    expect(await sweeper.runOnce()).toEqual({ deleted: 5 });
    for (const id of old) expect(await exists(id)).toBe(false);
    expect(await exists(linked)).toBe(true);
    expect(await exists(recent)).toBe(true);
    // A day later the recent one goes too; the linked one never does.
    clock.advance(24 * HOUR);
    expect(await sweeper.runOnce()).toEqual({ deleted: 1 });
    expect(await exists(recent)).toBe(false);
    expect(await exists(linked)).toBe(true);
  });
});
