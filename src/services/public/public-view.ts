import type { PublicCaseView, PublicStage } from '../../contracts/public.schema.ts';
import type { CaseState, Satisfaction } from '../../domain/case/case-workflow.ts';
import type { AttachmentMeta } from '../../db/repositories/attachment.repository.ts';
import type { TimelineRow } from '../../db/repositories/case.repository.ts';
import type { CaseRow } from '../../db/schema.ts';

/** What a citizen is told about each workflow state. */
const stageOfState: Record<CaseState, PublicStage> = {
  reported: 'submitted',
  verifying: 'accepted',
  pending_filing: 'accepted',
  filed: 'accepted',
  dispatched: 'in_progress',
  returned: 'in_progress',
  in_progress: 'in_progress',
  extension_pending: 'in_progress',
  suspension_pending: 'in_progress',
  suspended: 'in_progress',
  pending_check: 'in_progress',
  rework: 'in_progress',
  pending_close: 'in_progress',
  reopened: 'in_progress',
  closed: 'closed',
  replied: 'rated',
  voided: 'voided',
  merged: 'merged',
};

export function publicStageOf(state: CaseState): PublicStage {
  return stageOfState[state];
}

/** The timeline reduced to changes of public stage: no names, roles, comments or internal steps. */
export function publicTimeline(events: readonly TimelineRow[]): PublicCaseView['timeline'] {
  const out: PublicCaseView['timeline'] = [];
  for (const e of events) {
    const stage = publicStageOf(e.to_state as CaseState);
    if (out.at(-1)?.stage !== stage) out.push({ at: e.at.toISOString(), stage });
  }
  return out;
}

/**
 * Which photos the reporter sees: their own report photos (uploaded through the public form), and the handling
 * and check evidence (处置后) once the case is closed — by then an inspector has checked it on site and the shift
 * lead has closed it. Photos staff attached to the report, and evidence of unfinished work, stay internal.
 */
export function publicPhotos(state: CaseState, attachments: readonly AttachmentMeta[]): AttachmentMeta[] {
  const finished = state === 'closed' || state === 'replied';
  return attachments.filter((a) =>
    a.purpose === 'report' ? a.public_upload : a.purpose === 'evidence' && finished,
  );
}

export function toPublicView(
  row: CaseRow,
  extra: {
    categoryName: string | null;
    timeline: readonly TimelineRow[];
    photos: { id: string; purpose: 'report' | 'evidence'; url: string }[];
  },
): PublicCaseView {
  const state = row.state as CaseState;
  return {
    code: row.code,
    categoryName: extra.categoryName ?? row.category_code,
    title: row.title,
    state,
    stage: publicStageOf(state),
    submittedAt: row.created_at.toISOString(),
    timeline: publicTimeline(extra.timeline),
    reply: row.replied_at
      ? {
          at: row.replied_at.toISOString(),
          resolved: row.reply_resolved,
          satisfaction: row.reply_satisfaction as Satisfaction | null,
        }
      : null,
    canRate: state === 'closed',
    photos: extra.photos,
  };
}
