import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTACHMENT_MAX_BYTES } from '../../../contracts/attachment.schema.ts';
import { fileRequired, tooLarge, type StoredFile } from '../../../services/attachment/attachment.service.ts';

/**
 * Reads the one photo of an upload request: a multipart part named `file`, refused while streaming once it passes
 * ATTACHMENT_MAX_BYTES (413 naming `file`, reason `too_large`). What the bytes are is decided later, by content.
 */
export async function readUpload(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw fileRequired();
  try {
    for await (const part of req.parts({ limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1 } })) {
      if (part.type === 'file' && part.fieldname === 'file') return await part.toBuffer();
      if (part.type === 'file') part.file.resume(); // another field name: drain it and keep looking
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  throw fileRequired();
}

const extension: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Sends stored image bytes: the type recorded at upload (sniffed, so it is an image), no sniffing by the browser,
 * never as a page (a sandboxing CSP), cacheable by the caller only (`private`; `immutable`, since an id's bytes
 * never change), with the SHA-256 as ETag.
 */
export function sendImage(
  req: FastifyRequest,
  reply: FastifyReply,
  file: StoredFile,
  maxAgeSeconds: number,
): FastifyReply {
  const etag = `"${file.sha256}"`;
  reply
    .header('content-type', file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', `private, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}, immutable`)
    .header('etag', etag)
    .header('content-disposition', `inline; filename="${file.id}.${extension[file.contentType] ?? 'bin'}"`);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.header('content-length', file.byteSize).send(file.data);
}
