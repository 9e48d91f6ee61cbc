/**
 * The work calendar (工作日历): which days are workdays and which hours of them count as working time, in China
 * time. Every SLA deadline is computed through it.
 *
 * China has used UTC+8 without daylight saving since 1991, so all arithmetic is done on a fixed +8 h offset
 * ("wall milliseconds" = epoch ms + 8 h, read with the UTC getters) and never through the host's time zone.
 *
 * A day is a workday when it is a make-up workday (调休上班) of its year, or it is Monday–Friday and not a
 * statutory day off. Years the calendar has no data for fall back to "weekends only": `dayInfo().known` is
 * false and `missingYears()` lists them, so callers can warn that a deadline may be off.
 */
import { DomainError } from '../shared/domain-error.ts';

/** `YYYY-MM-DD`, a calendar date in China time. */
export type IsoDate = string;

/** One year of the State Council's holiday arrangement (国务院办公厅关于部分节假日安排的通知). */
export interface CalendarYear {
  year: number;
  /** Statutory days off (放假), including the weekends that fall inside a holiday. */
  holidays: readonly IsoDate[];
  /** Weekend days that are worked (调休上班). */
  makeupWorkdays: readonly IsoDate[];
  /** Optional grouping for display: 春节, 国庆节 … */
  festivals?: readonly { name: string; daysOff: readonly IsoDate[]; makeupWorkdays: readonly IsoDate[] }[];
}

/** A working period of a workday, `HH:MM` in China time; `end` may be `24:00`. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/**
 * Default office hours: 09:00–12:00 and 13:30–17:30 (7 working hours a day), the common schedule of Chinese
 * government offices. Deployments that count 8-12 / 14-18 (8 h) or other hours pass their own.
 */
export const defaultWorkingHours: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  date: IsoDate;
  workday: boolean;
  kind: DayKind;
  /** false when the calendar has no data for this year (weekends-only fallback). */
  known: boolean;
}

export interface WorkCalendar {
  readonly years: readonly number[];
  readonly workingHours: readonly WorkingPeriod[];
  /** Working milliseconds in one full workday. */
  readonly workdayMs: number;
  dayInfo(date: Date | IsoDate): DayInfo;
  isWorkday(date: Date | IsoDate): boolean;
  /** Years touched by [from, to] that the calendar has no data for. */
  missingYears(from: Date, to: Date): number[];
  /** `days` working days of working time (days × workdayMs), counted through working periods. */
  addWorkingDays(start: Date, days: number): Date;
  addWorkingHours(start: Date, hours: number): Date;
  addWorkingMs(start: Date, ms: number): Date;
  addNaturalHours(start: Date, hours: number): Date;
  addNaturalDays(start: Date, days: number): Date;
  /** Working time inside [a, b]; negative when b is before a. */
  workingMsBetween(a: Date, b: Date): number;
}

export const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A guard against runaway loops: no SLA runs longer than this many days. */
const MAX_SCAN_DAYS = 366 * 20;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const hhmmPattern = /^(\d{2}):(\d{2})$/;

function invalid(field: string, message: string): DomainError {
  return new DomainError('validation.failed', message, {}, [{ field, reason: 'invalid_format', message }]);
}

/** Days since 1970-01-01 of an ISO date, or null when it is not a real date. */
export function dayNumberOfIso(date: IsoDate): number | null {
  const m = isoDatePattern.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** The China-time day number of an instant. */
export function chinaDayNumber(instant: Date): number {
  return Math.floor((instant.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

export function isoOfDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The China-time calendar date of an instant. */
export function chinaDateOf(instant: Date): IsoDate {
  return isoOfDayNumber(chinaDayNumber(instant));
}

/** The instant of `HH:MM` (default 00:00) China time on an ISO date, e.g. for tests and imports. */
export function chinaTime(date: IsoDate, hhmm = '00:00'): Date {
  const day = dayNumberOfIso(date);
  const m = hhmmPattern.exec(hhmm);
  if (day === null || !m) throw invalid('date', `not a China date/time: ${date} ${hhmm}`);
  return new Date(day * DAY_MS + (Number(m[1]) * 60 + Number(m[2])) * 60_000 - CHINA_OFFSET_MS);
}

function minutesOf(hhmm: string, field: string): number {
  const m = hhmmPattern.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) throw invalid(field, `not a time of day: ${hhmm}`);
  return minutes;
}

/** Validates one year's data: real dates inside the year, no date both off and worked, no duplicates. */
export function validateCalendarYear(y: CalendarYear): void {
  if (!Number.isInteger(y.year) || y.year < 1970 || y.year > 9999)
    throw invalid('year', `bad year ${y.year}`);
  const seen = new Set<string>();
  for (const [field, list] of [
    ['holidays', y.holidays],
    ['makeupWorkdays', y.makeupWorkdays],
  ] as const) {
    for (const d of list) {
      if (dayNumberOfIso(d) === null || !d.startsWith(`${y.year}-`)) {
        throw invalid(field, `${d} is not a date in ${y.year}`);
      }
      if (seen.has(d)) throw invalid(field, `${d} is listed twice`);
      seen.add(d);
    }
  }
}

export interface WorkCalendarOptions {
  years: readonly CalendarYear[];
  workingHours?: readonly WorkingPeriod[];
}

export function createWorkCalendar(options: WorkCalendarOptions): WorkCalendar {
  const holidays = new Set<number>();
  const makeups = new Set<number>();
  const knownYears = new Set<number>();
  for (const y of options.years) {
    validateCalendarYear(y);
    if (knownYears.has(y.year)) throw invalid('year', `year ${y.year} given twice`);
    knownYears.add(y.year);
    for (const d of y.holidays) holidays.add(dayNumberOfIso(d)!);
    for (const d of y.makeupWorkdays) makeups.add(dayNumberOfIso(d)!);
  }

  const workingHours = options.workingHours ?? defaultWorkingHours;
  // Periods as [startMs, endMs) offsets from China midnight, sorted and non-overlapping.
  const periods: [number, number][] = workingHours.map((p, i) => {
    const s = minutesOf(p.start, `workingHours.${i}.start`) * 60_000;
    const e = minutesOf(p.end, `workingHours.${i}.end`) * 60_000;
    if (e <= s) throw invalid(`workingHours.${i}`, `period ${p.start}–${p.end} is empty`);
    return [s, e];
  });
  if (periods.length === 0) throw invalid('workingHours', 'at least one working period is needed');
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]![0] < periods[i - 1]![1])
      throw invalid('workingHours', 'periods must be sorted, not overlap');
  }
  const workdayMs = periods.reduce((sum, [s, e]) => sum + e - s, 0);

  const yearOfDay = (day: number) => new Date(day * DAY_MS).getUTCFullYear();

  // The calendar never changes once built, and deadlines walk the same few days again and again: keep what each
  // day is (bounded: a long walk cannot grow it without limit).
  const infoCache = new Map<number, DayInfo>();
  function infoOfDay(day: number): DayInfo {
    let info = infoCache.get(day);
    if (!info) {
      if (infoCache.size >= 4096) infoCache.clear();
      info = Object.freeze(computeInfoOfDay(day));
      infoCache.set(day, info);
    }
    return info;
  }

  function computeInfoOfDay(day: number): DayInfo {
    const date = isoOfDayNumber(day);
    const known = knownYears.has(yearOfDay(day));
    const dow = new Date(day * DAY_MS).getUTCDay();
    const weekend = dow === 0 || dow === 6;
    if (makeups.has(day)) return { date, workday: true, kind: 'makeup_workday', known };
    if (holidays.has(day)) return { date, workday: false, kind: 'holiday', known };
    return weekend
      ? { date, workday: false, kind: 'weekend', known }
      : { date, workday: true, kind: 'weekday', known };
  }

  function dayOf(date: Date | IsoDate): number {
    if (typeof date !== 'string') return chinaDayNumber(date);
    const day = dayNumberOfIso(date);
    if (day === null) throw invalid('date', `not a date: ${date}`);
    return day;
  }

  function addWorkingMs(start: Date, ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw invalid('amount', `working time must be ≥ 0, got ${ms}`);
    if (ms === 0) return new Date(start.getTime());
    let remaining = ms;
    const wallStart = start.getTime() + CHINA_OFFSET_MS;
    const firstDay = Math.floor(wallStart / DAY_MS);
    for (let day = firstDay; day < firstDay + MAX_SCAN_DAYS; day++) {
      if (!infoOfDay(day).workday) continue;
      const midnight = day * DAY_MS;
      for (const [ps, pe] of periods) {
        const from = Math.max(midnight + ps, wallStart);
        const to = midnight + pe;
        if (from >= to) continue;
        // Landing exactly on a period's end returns that end, not the next period's start.
        if (remaining <= to - from) return new Date(from + remaining - CHINA_OFFSET_MS);
        remaining -= to - from;
      }
    }
    throw invalid('amount', 'working time too long for the calendar');
  }

  function workingMsBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -workingMsBetween(b, a);
    const wa = a.getTime() + CHINA_OFFSET_MS;
    const wb = b.getTime() + CHINA_OFFSET_MS;
    let total = 0;
    for (let day = Math.floor(wa / DAY_MS); day * DAY_MS < wb; day++) {
      if (!infoOfDay(day).workday) continue;
      const midnight = day * DAY_MS;
      for (const [ps, pe] of periods) {
        const from = Math.max(midnight + ps, wa);
        const to = Math.min(midnight + pe, wb);
        if (to > from) total += to - from;
      }
    }
    return total;
  }

  function natural(start: Date, ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw invalid('amount', `natural time must be ≥ 0, got ${ms}`);
    return new Date(start.getTime() + ms);
  }

  return {
    years: [...knownYears].sort((x, y) => x - y),
    workingHours,
    workdayMs,
    dayInfo: (date) => infoOfDay(dayOf(date)),
    isWorkday: (date) => infoOfDay(dayOf(date)).workday,
    missingYears(from, to) {
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      const out: number[] = [];
      for (let y = yearOfDay(chinaDayNumber(lo)); y <= yearOfDay(chinaDayNumber(hi)); y++) {
        if (!knownYears.has(y)) out.push(y);
      }
      return out;
    },
    addWorkingDays: (start, days) => addWorkingMs(start, days * workdayMs),
    addWorkingHours: (start, hours) => addWorkingMs(start, hours * HOUR_MS),
    addWorkingMs,
    addNaturalHours: (start, hours) => natural(start, hours * HOUR_MS),
    addNaturalDays: (start, days) => natural(start, days * DAY_MS),
    workingMsBetween,
  };
}
