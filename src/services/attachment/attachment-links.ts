import type { Executor } from '../../db/executor.ts';
import { attachmentRepository } from '../../db/repositories/attachment.repository.ts';
import { badField } from '../case/case-create.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks the photo ids a request wants to attach (intake `photos`, a workflow event's `evidence`) and locks them:
 * each must exist and be either still unlinked and uploaded by this caller (a staff member's own upload, or a
 * public upload for a citizen's report) or already linked to `caseId`. Anything else answers 400 naming `field`
 * with reason `not_found` — whether the id is unknown or someone else's is not revealed. Returns the distinct ids.
 */
export async function checkAttachments(
  ex: Executor,
  ids: readonly string[] | undefined,
  caller: { staffId: string | null },
  caseId: string | null,
  field: string,
): Promise<string[]> {
  const wanted = [...new Set(ids ?? [])];
  const bad = wanted.find((id) => !UUID.test(id));
  if (bad !== undefined) throw badField(field, 'not_found', 'attachment.not_found', { id: bad });
  const rows = new Map((await attachmentRepository.findForLink(ex, wanted)).map((r) => [r.id, r]));
  for (const id of wanted) {
    const a = rows.get(id);
    const own = caller.staffId ? a?.uploaded_by === caller.staffId : a?.public_upload === true;
    const ok = a && (a.case_id === null ? own : caseId !== null && a.case_id === caseId);
    if (!ok) throw badField(field, 'not_found', 'attachment.not_found', { id });
  }
  return wanted;
}

/** Links checked uploads to the case and the timeline event they came with. */
export async function linkAttachments(
  ex: Executor,
  ids: readonly string[],
  link: { caseId: string; purpose: 'report' | 'evidence'; eventId: string },
): Promise<void> {
  await attachmentRepository.link(ex, ids, link);
}
