import { z } from 'zod';

/** The one upload limit for photos (attachments): 10 MiB per file. The server and the web app both use it. */
export const ATTACHMENT_MAX_BYTES = 10_485_760; // 10 × 1024 × 1024, a literal type so copies can be checked

/** The only types accepted, decided from the file's first bytes (never from its name or the client's header). */
export const attachmentContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AttachmentContentType = (typeof attachmentContentTypes)[number];

/** What a photo is for once linked to a case: the report (处置前) or the handling/check evidence (处置后). */
export const attachmentPurposes = ['report', 'evidence'] as const;
export type AttachmentPurpose = (typeof attachmentPurposes)[number];

/** The answer to an upload: the id to send as `photos` (intake) or `evidence` (workflow events). */
export const attachmentUploadSchema = z.object({
  id: z.string(),
  contentType: z.enum(attachmentContentTypes),
  byteSize: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type AttachmentUpload = z.infer<typeof attachmentUploadSchema>;

/** A photo of a case, as listed in the case detail. */
export const caseAttachmentSchema = z.object({
  id: z.string(),
  purpose: z.enum(attachmentPurposes),
  contentType: z.string(),
  createdAt: z.string(),
  /** The timeline event the photo was attached with (the report's `create`, a `handle`, a `check_pass`…). */
  eventId: z.string().nullable(),
});
export type CaseAttachment = z.infer<typeof caseAttachmentSchema>;

/** Upload endpoints take one multipart part named `file`; this documents it for OpenAPI. */
export const attachmentMultipartNote =
  'multipart/form-data with one part `file`: a JPEG, PNG or WebP image of at most 10 MiB. The type is detected ' +
  'from the content; the file name and the part’s Content-Type are ignored.';
