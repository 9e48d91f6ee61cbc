import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type {
  PublicCaseCreated,
  PublicCaseInput,
  PublicCaseView,
  RatingInput,
  TrackLookup,
} from '../../contracts/public.schema.ts';
import type { CaseState } from '../../domain/case/case-workflow.ts';
import { REPORTER_ACTOR_NAME } from '../../domain/case/reporter-workflow.ts';
import type { IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import { attachmentRepository } from '../../db/repositories/attachment.repository.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { CaseRow, DB } from '../../db/schema.ts';
import type { AttachmentService } from '../attachment/attachment.service.ts';
import type { CaseService } from '../case/case.service.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { publicPhotos, toPublicView } from './public-view.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One answer for an unknown token, an unknown code and a wrong phone tail, so none can be told apart. */
const notFound = () => new DomainError('resource.not_found', 'no case matches');

/** The last four digits of a phone number (after removing spaces, dashes and a +86 prefix). */
export function phoneTailOf(phone: string | null): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/**
 * The citizen side of cases: report without an account (channel `web`, state `reported`), track by the token
 * handed out at intake or by case code + the last four digits of the phone given, and rate a closed case.
 * Tokens are 32 random bytes (base64url); only their SHA-256 is stored on the case.
 */
export function createPublicCaseService(deps: {
  db: Kysely<DB>;
  ids: IdSource;
  cases: CaseService;
  attachments: AttachmentService;
  cipher: FieldCipher;
}) {
  const { db, ids, cases, attachments, cipher } = deps;

  async function viewOf(ex: Executor, row: CaseRow): Promise<PublicCaseView> {
    const { rows } = await caseRepository.list(
      ex,
      { scope: sql<SqlBool>`true`, where: [sql<SqlBool>`"case".id = ${row.id}`] },
      { page: 1, pageSize: 1 },
    );
    const fresh = rows[0] ?? row;
    const photos = publicPhotos(fresh.state as CaseState, await attachmentRepository.listByCase(ex, row.id));
    return toPublicView(fresh, {
      categoryName: rows[0]?.category_name ?? null,
      timeline: await caseRepository.timeline(ex, row.id),
      photos: photos.map((a) => ({
        id: a.id,
        purpose: a.purpose ?? 'report',
        url: attachments.signedPath(a.id),
      })),
    });
  }

  async function byToken(ex: Executor, token: string): Promise<CaseRow> {
    const row = await caseRepository.findByTrackingHash(ex, sha256(token));
    if (!row) throw notFound();
    return row;
  }

  /** Code + phone tail, compared in constant time; a case without a phone never matches. */
  async function byCode(ex: Executor, q: TrackLookup): Promise<CaseRow> {
    const row = await caseRepository.findByCode(ex, q.code);
    const tail = row ? phoneTailOf(cipher.decrypt(row.reporter_phone)) : null;
    const expected = Buffer.from(tail ?? '####');
    const given = Buffer.from(q.phoneTail.padStart(4, '#').slice(-4));
    const same = expected.length === given.length && timingSafeEqual(expected, given);
    if (!row || tail === null || !same) throw notFound();
    return row;
  }

  return {
    async report(input: PublicCaseInput, idempotencyKey?: string): Promise<PublicCaseCreated> {
      const stored = await cases.intake(
        {
          staffId: null,
          actorName: REPORTER_ACTOR_NAME,
          role: null,
          reporterRole: null,
          idempotencyScope: 'public',
        },
        { ...input, channel: 'web' },
        idempotencyKey,
        async (trx, id) => {
          const token = Buffer.from(ids.secret(32), 'hex').toString('base64url');
          await caseRepository.setTrackingHash(trx, id, sha256(token));
          const row = await caseRepository.findById(trx, id);
          // The idempotency record (the answer to a retry) keeps the token encrypted, never in clear.
          return { code: row!.code, token: cipher.encrypt(token)! };
        },
      );
      const token = cipher.decrypt(stored.token)!;
      return { code: stored.code, trackingToken: token, trackingUrl: `/track/${token}` };
    },

    async track(token: string): Promise<PublicCaseView> {
      return viewOf(db, await byToken(db, token));
    },

    async lookup(q: TrackLookup): Promise<PublicCaseView> {
      return viewOf(db, await byCode(db, q));
    },

    async rateByToken(token: string, rating: RatingInput): Promise<PublicCaseView> {
      const row = await byToken(db, token);
      return cases.replyAsReporter(row.id, rating, async (trx) => viewOf(trx, row));
    },

    async rateByCode(q: TrackLookup & RatingInput): Promise<PublicCaseView> {
      const row = await byCode(db, q);
      const { code: _code, phoneTail: _tail, ...rating } = q;
      return cases.replyAsReporter(row.id, rating, async (trx) => viewOf(trx, row));
    },
  };
}

export type PublicCaseService = ReturnType<typeof createPublicCaseService>;
