import type { CaseDetail, CaseSummary } from '../../contracts/case.schema.ts';
import type { CaseEvent, CaseState } from '../../domain/case/case-workflow.ts';
import type { Light, Urgency } from '../../domain/sla/time-limit.ts';
import type { CaseListRow, TaskRow, TimelineRow } from '../../db/repositories/case.repository.ts';
import type { CaseRow } from '../../db/schema.ts';

/**
 * Mobile numbers keep the first 3 and last 4 digits (138****5678); shorter numbers keep the last 2. A value that is
 * already masked (has a `*`) is returned as it is.
 */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  if (phone.includes('*')) return phone;
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2); // +86 country code
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

/** Names keep the first character. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/**
 * The traffic light from the stored clock: red past the deadline, yellow past the 80 % mark (`stage_warn_at`,
 * computed on the work calendar when the stage started), green before. The list filter uses the same columns.
 */
export function lightOfRow(
  r: Pick<CaseRow, 'stage' | 'stage_deadline' | 'stage_warn_at'>,
  now: Date,
): Light | null {
  if (!r.stage || !r.stage_deadline) return null;
  if (now.getTime() > r.stage_deadline.getTime()) return 'red';
  if (r.stage_warn_at && now.getTime() > r.stage_warn_at.getTime()) return 'yellow';
  return 'green';
}

export function toSummary(r: CaseListRow, now: Date): CaseSummary {
  return {
    id: r.id,
    code: r.code,
    state: r.state as CaseState,
    categoryCode: r.category_code,
    categoryName: r.category_name ?? r.category_code,
    urgency: r.urgency as Urgency,
    title: r.title,
    address: r.address,
    gridCode: r.grid_code,
    communityName: r.community_name,
    streetName: r.street_name,
    stage: r.stage,
    stageDeadline: r.stage_deadline?.toISOString() ?? null,
    light: lightOfRow(r, now),
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

export function toDetail(
  r: CaseListRow,
  now: Date,
  extra: {
    suggestedDepartment: { id: string; name: string } | null;
    tasks: TaskRow[];
    timeline: TimelineRow[];
    allowedEvents: CaseEvent[];
  },
): Omit<CaseDetail, 'attachments'> {
  // Object.assign rather than a spread: a spread into a literal this size is several times slower, on the path of
  // every create and every case page.
  return Object.assign(toSummary(r, now), {
    description: r.description,
    channel: r.channel as CaseDetail['channel'],
    lng: r.lng,
    lat: r.lat,
    reporterName: maskName(r.reporter_name),
    reporterPhone: maskPhone(r.reporter_phone),
    suggestedDepartment: extra.suggestedDepartment,
    tasks: extra.tasks.map((t) => ({
      departmentId: t.department_id,
      departmentName: t.department_name,
      state: t.state,
    })),
    timeline: extra.timeline.map((e) => ({
      at: e.at.toISOString(),
      actorName: e.actor_name,
      role: e.role,
      event: e.event,
      fromState: e.from_state,
      toState: e.to_state,
      comment: e.comment,
    })),
    allowedEvents: extra.allowedEvents,
  });
}
