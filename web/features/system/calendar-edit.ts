/** The work-calendar editor's rules (pure): month grids and what a click on a day does. */

export type DayMark = 'holiday' | 'makeup' | null;

export interface YearMarks {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

export const isWeekend = (iso: string) => [0, 6].includes(weekday(iso));

/** The month as weeks starting on Monday; days outside the month are null. */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const first = Date.UTC(year, month - 1, 1);
  const days = Math.round((Date.UTC(year, month, 1) - first) / DAY_MS);
  const lead = (new Date(first).getUTCDay() + 6) % 7;
  const cells: (string | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => isoDate(year, month, i + 1)),
  ];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

export function markOf(marks: YearMarks, iso: string): DayMark {
  if (marks.holidays.has(iso)) return 'holiday';
  if (marks.makeupWorkdays.has(iso)) return 'makeup';
  return null;
}

/**
 * One click: a weekday toggles 法定节假日; a weekend day cycles through 法定节假日 (a weekend inside a holiday),
 * 调休上班 and back to an ordinary weekend.
 */
export function toggleDay(marks: YearMarks, iso: string): YearMarks {
  const holidays = new Set(marks.holidays);
  const makeup = new Set(marks.makeupWorkdays);
  const mark = markOf(marks, iso);
  holidays.delete(iso);
  makeup.delete(iso);
  if (mark === null) holidays.add(iso);
  else if (mark === 'holiday' && isWeekend(iso)) makeup.add(iso);
  return { holidays, makeupWorkdays: makeup };
}

/** Is the day worked under these marks? */
export function isWorkday(marks: YearMarks, iso: string): boolean {
  const mark = markOf(marks, iso);
  return mark === 'makeup' || (mark === null && !isWeekend(iso));
}
