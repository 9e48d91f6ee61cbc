/** The citizen pages' API calls and types (no React here). */
import type {
  ATTACHMENT_MAX_BYTES,
  AttachmentUpload,
  CaseAttachment,
} from '../../../src/contracts/attachment.schema.ts';
import type {
  PublicCaseCreated,
  PublicCaseInput,
  PublicCaseView,
  PublicStage,
  publicStageSteps,
  RatingInput,
} from '../../../src/contracts/public.schema.ts';
import { api, get, post } from '../../app/api.ts';

export type { AttachmentUpload, CaseAttachment, PublicCaseCreated, PublicCaseView, PublicStage, RatingInput };

// Copies of contract values (importing them would pull zod into the bundle); the annotations fail the type check
// when the contract changes and these do not.
export const PHOTO_MAX_BYTES: typeof ATTACHMENT_MAX_BYTES = 10_485_760;
export const stageSteps: typeof publicStageSteps = [
  'submitted',
  'accepted',
  'in_progress',
  'closed',
  'rated',
];
export const photoAccept = 'image/jpeg,image/png,image/webp';

export interface PublicCategoryNode {
  code: string;
  kind: string;
  name: string;
  nameEn: string | null;
  children?: PublicCategoryNode[];
}

export const publicApi = {
  categories: () => get<{ version: number; items: PublicCategoryNode[] }>('/api/v1/public/categories'),
  locate: (lng: number, lat: number) =>
    get<{ inside: boolean; streetName: string | null; communityName: string | null }>(
      '/api/v1/public/locate',
      {
        lng,
        lat,
      },
    ),
  report: (body: Omit<PublicCaseInput, 'urgency' | 'description'> & Partial<PublicCaseInput>, key: string) =>
    api<PublicCaseCreated>('POST', '/api/v1/public/cases', body, { 'Idempotency-Key': key }),
  track: (token: string) => get<PublicCaseView>(`/api/v1/public/track/${encodeURIComponent(token)}`),
  lookup: (code: string, phoneTail: string) =>
    post<PublicCaseView>('/api/v1/public/track/lookup', { code, phoneTail }),
  rateByToken: (token: string, rating: RatingInput) =>
    post<PublicCaseView>(`/api/v1/public/track/${encodeURIComponent(token)}/rating`, rating),
  rateByCode: (code: string, phoneTail: string, rating: RatingInput) =>
    post<PublicCaseView>('/api/v1/public/track/rating', { code, phoneTail, ...rating }),
};

/** Uploads one photo (multipart part `file`) to the staff or the public endpoint. */
export function uploadPhoto(endpoint: string, file: Blob): Promise<AttachmentUpload> {
  const form = new FormData();
  form.append('file', file);
  return api<AttachmentUpload>('POST', endpoint, form);
}

/** The tracking token from a pasted link or a bare token. */
export function tokenOf(text: string): string | null {
  const m = /([A-Za-z0-9_-]{43})\/?\s*$/.exec(text.trim());
  return m ? m[1]! : null;
}
