import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ATTACHMENT_MAX_BYTES, type AttachmentUpload } from '../../contracts/attachment.schema.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { attachmentRepository, type AttachmentMeta } from '../../db/repositories/attachment.repository.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { DB } from '../../db/schema.ts';
import { canSeeCase } from '../case/case-scope.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission } from '../scope/scope-guard.ts';
import { sniffImage } from './image-sniff.ts';

/** The bytes of a stored photo with what a response needs to serve them. */
export interface StoredFile {
  id: string;
  contentType: string;
  byteSize: number;
  sha256: string;
  data: Buffer;
}

/** How long a signed public photo link stays valid (links are reused within the hour, so caches work). */
const SIGNED_URL_SECONDS = 3600;

function fileProblem(
  code: 'validation.failed' | 'upload.too_large' | 'upload.unsupported_type',
  reason: string,
) {
  const message = `attachment.${reason}`;
  return new DomainError(code, `file: ${reason}`, { maxBytes: ATTACHMENT_MAX_BYTES }, [
    { field: 'file', reason, message },
  ]);
}

export function tooLarge(): DomainError {
  return fileProblem('upload.too_large', 'too_large');
}

export function fileRequired(): DomainError {
  return fileProblem('validation.failed', 'required');
}

const notFound = (id: string) => new DomainError('resource.not_found', 'attachment not found', { id });

function view(row: AttachmentMeta): AttachmentUpload {
  return {
    id: row.id,
    contentType: row.content_type as AttachmentUpload['contentType'],
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Photos (attachments): staff and citizens upload JPEG, PNG or WebP images (sniffed from the bytes, at most
 * ATTACHMENT_MAX_BYTES); an upload stays private to its uploader until a case or a workflow event links it, and
 * then whoever can see the case can see it. Citizens see photos through short-lived signed links that the
 * tracking view hands out (see `signedPath`).
 */
export function createAttachmentService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  /** Secret material for signing public photo links (the field key; a separate key is derived from it). */
  fieldKey: Buffer;
}) {
  const { db, clock, ids } = deps;
  const urlKey = Buffer.from(hkdfSync('sha256', deps.fieldKey, 'zhizhi', 'attachment-url-v1', 32));
  const sign = (id: string, exp: number) =>
    createHmac('sha256', urlKey).update(`${id}.${exp}`).digest('base64url');

  async function store(bytes: Buffer, uploadedBy: string | null): Promise<AttachmentUpload> {
    if (bytes.length === 0) throw fileProblem('validation.failed', 'empty');
    if (bytes.length > ATTACHMENT_MAX_BYTES) throw tooLarge();
    const image = sniffImage(bytes);
    if (!image) throw fileProblem('upload.unsupported_type', 'not_an_image');
    const row = {
      id: ids.uuid(),
      case_id: null,
      case_event_id: null,
      purpose: null,
      content_type: image.contentType,
      byte_size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      width: image.width,
      height: image.height,
      data: bytes,
      uploaded_by: uploadedBy,
      public_upload: uploadedBy === null,
      created_at: clock.now(),
    };
    await attachmentRepository.insert(db, row);
    return view(row);
  }

  const file = (r: {
    id: string;
    content_type: string;
    byte_size: number;
    sha256: string;
    data: Buffer;
  }) => ({
    id: r.id,
    contentType: r.content_type,
    byteSize: r.byte_size,
    sha256: r.sha256,
    data: r.data,
  });

  return {
    /** A staff upload (handling/check evidence, or photos for a case filed on someone's behalf). */
    upload(actor: Actor, bytes: Buffer): Promise<AttachmentUpload> {
      requirePermission(actor.principal, 'case.act');
      return store(bytes, actor.principal.staffId);
    },

    /** A citizen's upload for the public report form. */
    uploadPublic(bytes: Buffer): Promise<AttachmentUpload> {
      return store(bytes, null);
    },

    /** The bytes, for the uploader or anyone who can see the linked case; 404 otherwise. */
    async read(actor: Actor, id: string): Promise<StoredFile> {
      const p = actor.principal;
      requirePermission(p, 'case.view');
      const row = await attachmentRepository.findWithData(db, id);
      if (!row) throw notFound(id);
      if (row.uploaded_by !== p.staffId) {
        const c = row.case_id ? await caseRepository.findById(db, row.case_id) : undefined;
        if (!c || !(await canSeeCase(db, p, c))) throw notFound(id);
      }
      return file(row);
    },

    /** A link to one photo that works without signing in until the end of the next full hour. */
    signedPath(id: string): string {
      const now = Math.floor(clock.now().getTime() / 1000);
      const exp = (Math.floor(now / SIGNED_URL_SECONDS) + 2) * SIGNED_URL_SECONDS;
      return `/api/v1/public/photos/${id}?exp=${exp}&sig=${sign(id, exp)}`;
    },

    /** The bytes behind a signed link; an expired or forged link answers 404. */
    async readSigned(id: string, exp: number, sig: string): Promise<StoredFile & { maxAgeSeconds: number }> {
      const expected = Buffer.from(sign(id, exp));
      const given = Buffer.from(sig);
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      const left = exp - clock.now().getTime() / 1000;
      if (!valid || left <= 0) throw notFound(id);
      const row = await attachmentRepository.findWithData(db, id);
      if (!row) throw notFound(id);
      return { ...file(row), maxAgeSeconds: left };
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
