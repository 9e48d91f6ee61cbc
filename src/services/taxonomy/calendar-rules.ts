import { dayNumberOfIso } from '../../domain/calendar/work-calendar.ts';
import type { FieldIssue } from '../../domain/shared/domain-error.ts';

/** 0 = Sunday … 6 = Saturday for a day number since 1970-01-01 (a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * Every problem with one year's holiday arrangement, naming each offending entry (`body.holidays.3`): real dates
 * inside the year, no date twice, none both off and worked, make-up workdays (调休上班) only on a Saturday or
 * Sunday. Holidays may fall on any day (weekends inside a holiday are listed too).
 */
export function calendarYearIssues(
  year: number,
  holidays: readonly string[],
  makeupWorkdays: readonly string[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const off = new Set<string>();
  const check = (list: readonly string[], name: 'holidays' | 'makeupWorkdays', seen: Set<string>) => {
    list.forEach((d, i) => {
      const field = `body.${name}.${i}`;
      const day = dayNumberOfIso(d);
      if (day === null) {
        issues.push({ field, reason: 'invalid_format', message: 'calendar.date_format' });
      } else if (!d.startsWith(`${year}-`)) {
        issues.push({ field, reason: 'outside_year', message: 'calendar.outside_year' });
      } else if (seen.has(d)) {
        issues.push({ field, reason: 'duplicate', message: 'calendar.duplicate' });
      } else if (name === 'makeupWorkdays' && off.has(d)) {
        issues.push({ field, reason: 'in_both', message: 'calendar.in_both' });
      } else if (name === 'makeupWorkdays' && ![0, 6].includes(weekdayOfDayNumber(day))) {
        issues.push({ field, reason: 'not_weekend', message: 'calendar.makeup_not_weekend' });
      }
      seen.add(d);
    });
  };
  check(holidays, 'holidays', off);
  check(makeupWorkdays, 'makeupWorkdays', new Set());
  return issues;
}
