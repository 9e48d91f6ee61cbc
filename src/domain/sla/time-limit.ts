/**
 * Time limits (时限) and traffic lights (红黄绿灯).
 *
 * A limit is measured in the same kind of time it is written in: working hours/days run only inside the work
 * calendar's working periods, natural hours/days run around the clock (holidays do not stop them). Suspension
 * (挂账) stops the clock: paused intervals are excluded from the time used and push the deadline out by the
 * same amount of that kind of time.
 */
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import { DomainError } from '../shared/domain-error.ts';

/** The stages a case's clock can run in; see `stageOfState` in src/domain/case for which state runs which. */
export const slaStages = [
  'intake', // 受理: a new report is taken in
  'verify', // 核实
  'file', // 立案
  'dispatch', // 派遣
  'accept', // 受理 by the department (签收)
  'handle', // 处置 (also rework 返工 and the hotline's 反馈)
  'check', // 核查
  'close', // 结案
  'reply', // 回访
] as const;
export type SlaStage = (typeof slaStages)[number];

/**
 * Urgency tiers, after Beijing 12345's four feedback tiers: 紧急 (danger to life/property), 急 (water, power,
 * gas, heating and other time-critical requests), 一般, 复杂疑难.
 */
export const urgencies = ['emergency', 'urgent', 'normal', 'complex'] as const;
export type Urgency = (typeof urgencies)[number];

export const timeUnits = ['working_hours', 'working_days', 'natural_hours', 'natural_days'] as const;
export type TimeUnit = (typeof timeUnits)[number];
export type TimeKind = 'working' | 'natural';

export interface TimeLimit {
  stage: SlaStage;
  urgency: Urgency;
  /** Positive; fractions allowed (0.5 natural_hours = 30 minutes). */
  amount: number;
  unit: TimeUnit;
}

export interface Interval {
  from: Date;
  /** Close an ongoing suspension at `now` before passing it in. */
  to: Date;
}

export type Light = 'green' | 'yellow' | 'red';

export function kindOf(unit: TimeUnit | TimeKind): TimeKind {
  return unit === 'working' || unit === 'working_hours' || unit === 'working_days' ? 'working' : 'natural';
}

export function isValidTimeLimit(limit: TimeLimit): boolean {
  return (
    (slaStages as readonly string[]).includes(limit.stage) &&
    (urgencies as readonly string[]).includes(limit.urgency) &&
    (timeUnits as readonly string[]).includes(limit.unit) &&
    Number.isFinite(limit.amount) &&
    limit.amount > 0
  );
}

/** The limit's length in its own kind of time (working ms or natural ms). */
export function budgetMs(limit: Pick<TimeLimit, 'amount' | 'unit'>, calendar: WorkCalendar): number {
  switch (limit.unit) {
    case 'working_hours':
    case 'natural_hours':
      return limit.amount * 3_600_000;
    case 'working_days':
      return limit.amount * calendar.workdayMs;
    case 'natural_days':
      return limit.amount * 86_400_000;
  }
}

/** Time of the given kind inside [a, b] (negative when b < a). */
export function spanMs(a: Date, b: Date, kind: TimeKind, calendar: WorkCalendar): number {
  return kind === 'working' ? calendar.workingMsBetween(a, b) : b.getTime() - a.getTime();
}

function addMs(start: Date, ms: number, kind: TimeKind, calendar: WorkCalendar): Date {
  return kind === 'working' ? calendar.addWorkingMs(start, ms) : new Date(start.getTime() + ms);
}

/** Paused time of the given kind inside [from, to], overlapping intervals counted once. */
export function pausedMs(
  intervals: readonly Interval[],
  from: Date,
  to: Date,
  kind: TimeKind,
  calendar: WorkCalendar,
): number {
  const clipped = intervals
    .map((i) => [Math.max(i.from.getTime(), from.getTime()), Math.min(i.to.getTime(), to.getTime())] as const)
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curS = NaN;
  let curE = NaN;
  const flush = () => {
    if (!Number.isNaN(curS)) total += spanMs(new Date(curS), new Date(curE), kind, calendar);
  };
  for (const [s, e] of clipped) {
    if (!Number.isNaN(curS) && s <= curE) {
      curE = Math.max(curE, e);
    } else {
      flush();
      curS = s;
      curE = e;
    }
  }
  flush();
  return total;
}

/**
 * When the limit runs out for a clock started at `start`. Paused intervals push it out: the deadline is the
 * first instant at which (time since start − paused time) reaches the limit.
 */
export function deadlineOf(
  start: Date,
  limit: Pick<TimeLimit, 'amount' | 'unit'>,
  calendar: WorkCalendar,
  paused: readonly Interval[] = [],
): Date {
  if (!Number.isFinite(limit.amount) || limit.amount < 0) {
    throw new DomainError('validation.failed', `time limit must be ≥ 0, got ${limit.amount}`);
  }
  const kind = kindOf(limit.unit);
  const budget = budgetMs(limit, calendar);
  let deadline = addMs(start, budget, kind, calendar);
  if (paused.length === 0) return deadline;
  // Each round adds the pauses that the previous deadline reached; it grows monotonically and stops once no
  // further interval is reached (at most one round per interval).
  for (let round = 0; round <= paused.length; round++) {
    const next = addMs(start, budget + pausedMs(paused, start, deadline, kind, calendar), kind, calendar);
    if (next.getTime() === deadline.getTime()) break;
    deadline = next;
  }
  return deadline;
}

export interface SlaProgress {
  light: Light;
  /** Time used so far, in the limit's kind, pauses excluded. */
  usedMs: number;
  /** The whole limit, in the limit's kind, pauses excluded. */
  totalMs: number;
  /** usedMs / totalMs (Infinity when the limit is zero and time has been used). */
  ratio: number;
  overdue: boolean;
}

/**
 * The traffic light of a running clock: green while ≤ 80 % of the limit is used, yellow up to and including
 * 100 %, red once `now` is past the deadline. "Used" is measured in the limit's kind of time, so a working-days
 * limit does not turn yellow over a weekend.
 */
export function slaProgress(
  start: Date,
  deadline: Date,
  now: Date,
  calendar: WorkCalendar,
  unitKind: TimeUnit | TimeKind,
  paused: readonly Interval[] = [],
): SlaProgress {
  const kind = kindOf(unitKind);
  const totalMs = spanMs(start, deadline, kind, calendar) - pausedMs(paused, start, deadline, kind, calendar);
  const until = now < start ? start : now;
  const usedMs = Math.max(
    0,
    spanMs(start, until, kind, calendar) - pausedMs(paused, start, until, kind, calendar),
  );
  const overdue = now.getTime() > deadline.getTime();
  const ratio = totalMs > 0 ? usedMs / totalMs : usedMs > 0 ? Infinity : 0;
  // Integer comparison (5·used ≤ 4·total) keeps exactly 80 % green without floating-point doubt.
  const light: Light = overdue ? 'red' : usedMs * 5 <= totalMs * 4 ? 'green' : 'yellow';
  return { light, usedMs, totalMs, ratio, overdue };
}

export function lightOf(
  start: Date,
  deadline: Date,
  now: Date,
  calendar: WorkCalendar,
  unitKind: TimeUnit | TimeKind,
  paused: readonly Interval[] = [],
): Light {
  return slaProgress(start, deadline, now, calendar, unitKind, paused).light;
}
