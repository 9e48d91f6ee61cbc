import type { Kysely } from 'kysely';
import {
  caseIntakeRepository,
  type FileCaseItem,
  type FiledCase,
} from '../../db/repositories/case-intake.repository.ts';
import type { DB } from '../../db/schema.ts';

/** What filing one case came to: written, or not written because the intake version moved on. */
export type FileOutcome = { filed: FiledCase } | { stale: true };

interface Pending {
  version: number;
  day: string;
  item: FileCaseItem;
  resolve: (o: FileOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Files concurrent reports together. A report goes to the database at once when fewer than `maxInFlight`
 * statements are running; otherwise it waits, and when a statement finishes, the reports that arrived meanwhile go
 * in the next one as a batch (of one day and intake version, at most `maxBatch`). A batch is one statement, one
 * round trip and one commit, and takes the day's counter once — so under load the cost per report falls instead
 * of the queue growing, while a lone report waits for nothing. A batch that fails (an idempotency key already
 * used, say) is filed again report by report, so that each gets its own answer.
 */
export function createIntakeBatcher(deps: { db: Kysely<DB>; maxInFlight?: number; maxBatch?: number }) {
  const { db } = deps;
  const maxInFlight = deps.maxInFlight ?? 2;
  const maxBatch = deps.maxBatch ?? 64;
  const queue: Pending[] = [];
  let inFlight = 0;

  async function run(batch: Pending[]): Promise<void> {
    const { version, day } = batch[0]!;
    try {
      const filed = await caseIntakeRepository.fileCases(
        db,
        version,
        day,
        batch.map((p) => p.item),
      );
      for (const p of batch) {
        const f = filed?.get(p.item.row.id);
        p.resolve(f ? { filed: f } : { stale: true });
      }
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(batch.map((p) => run([p])));
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const first = queue[0]!;
      const batch: Pending[] = [];
      for (let i = 0; i < queue.length && batch.length < maxBatch;) {
        const p = queue[i]!;
        if (p.version === first.version && p.day === first.day) {
          batch.push(p);
          queue.splice(i, 1);
        } else i++;
      }
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    /** Files one case of `day` under intake `version`, alone or with others. */
    file(version: number, day: string, item: FileCaseItem): Promise<FileOutcome> {
      return new Promise((resolve, reject) => {
        queue.push({ version, day, item, resolve, reject });
        pump();
      });
    },
  };
}

export type IntakeBatcher = ReturnType<typeof createIntakeBatcher>;
