import type { Kysely } from 'kysely';
import { attachmentRepository } from '../../db/repositories/attachment.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { periodic } from '../shared/periodic.ts';

const HOUR_MS = 3_600_000;

/**
 * Deletes uploads that were never linked to a case or a workflow event once they are older than the retention
 * period: a photo someone uploaded and then did not report (an abandoned citizen form, a closed browser tab) is
 * personal data with no purpose left. Linked photos are never touched. Runs in the background process (the single
 * server, or a cluster's worker 0) every `intervalMs`, in batches so that a long backlog holds no long transaction.
 */
export function createUploadSweeper(deps: {
  db: Kysely<DB>;
  clock: Clock;
  retentionHours: number;
  intervalMs: number;
  batchSize?: number;
  onError?: (err: unknown) => void;
}) {
  const { db, clock, retentionHours, intervalMs } = deps;
  const batchSize = deps.batchSize ?? 200;
  const onError =
    deps.onError ??
    ((err: unknown) =>
      process.stderr.write(`upload sweeper: ${err instanceof Error ? err.stack : String(err)}\n`));

  /** Deletes every unlinked upload older than the retention period; returns how many. */
  async function runOnce(): Promise<{ deleted: number }> {
    const before = new Date(clock.now().getTime() - retentionHours * HOUR_MS);
    let deleted = 0;
    for (;;) {
      const n = await attachmentRepository.deleteUnlinkedBefore(db, before, batchSize);
      deleted += n;
      if (n < batchSize) return { deleted };
    }
  }

  const loop = periodic(runOnce, intervalMs, onError);
  return { runOnce, start: loop.start, stop: loop.stop };
}

export type UploadSweeper = ReturnType<typeof createUploadSweeper>;
