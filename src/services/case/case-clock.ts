import type { WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import { stageOfState, type CaseState } from '../../domain/case/case-workflow.ts';
import { deadlineOf, kindOf, spanMs, type TimeKind, type Urgency } from '../../domain/sla/time-limit.ts';
import { timeLimitFor, type CatalogueContent } from '../../domain/taxonomy/catalogue.ts';
import type { CaseRow } from '../../db/schema.ts';

export interface StageClock {
  stage: string | null;
  stage_started_at: Date | null;
  stage_deadline: Date | null;
  stage_warn_at: Date | null;
  stage_time_kind: TimeKind | null;
}

const none: StageClock = {
  stage: null,
  stage_started_at: null,
  stage_deadline: null,
  stage_warn_at: null,
  stage_time_kind: null,
};

/** A fresh clock for the stage `state` runs, from the case's catalogue version, urgency and the work calendar. */
export function startStage(
  state: CaseState,
  now: Date,
  catalogue: CatalogueContent,
  categoryCode: string,
  urgency: Urgency,
  calendar: WorkCalendar,
): StageClock {
  const stage = stageOfState[state];
  if (!stage) return none;
  const limit = timeLimitFor(catalogue, categoryCode, stage, urgency);
  if (!limit) return { ...none, stage, stage_started_at: now };
  return {
    stage,
    stage_started_at: now,
    stage_deadline: deadlineOf(now, limit, calendar),
    stage_warn_at: deadlineOf(now, { amount: limit.amount * 0.8, unit: limit.unit }, calendar),
    stage_time_kind: kindOf(limit.unit),
  };
}

/** Pushes the running clock's deadline and 80 % mark out by `ms` of its own kind of time. */
export function shiftClock(row: CaseRow, ms: number, calendar: WorkCalendar): Partial<StageClock> {
  if (!row.stage_deadline || ms <= 0) return {};
  const unit = row.stage_time_kind === 'natural' ? 'natural_hours' : 'working_hours';
  const shift = (d: Date | null) => (d ? deadlineOf(d, { amount: ms / 3_600_000, unit }, calendar) : null);
  return { stage_deadline: shift(row.stage_deadline), stage_warn_at: shift(row.stage_warn_at) };
}

/** Time of the clock's kind between two instants (for excluding a suspension). */
export function clockSpan(row: CaseRow, from: Date, to: Date, calendar: WorkCalendar): number {
  return spanMs(from, to, row.stage_time_kind === 'natural' ? 'natural' : 'working', calendar);
}
