import { describe, expect, it } from 'vitest';
import { calendarYearIssues, weekdayOfDayNumber } from './calendar-rules.ts';
import { dayNumberOfIso } from '../../domain/calendar/work-calendar.ts';

const fields = (i: ReturnType<typeof calendarYearIssues>) => i.map((x) => `${x.field}:${x.reason}`);

describe('calendar year validation', () => {
  it('knows the weekday of a date', () => {
    expect(weekdayOfDayNumber(dayNumberOfIso('1970-01-01')!)).toBe(4); // Thursday
    expect(weekdayOfDayNumber(dayNumberOfIso('2027-01-02')!)).toBe(6); // Saturday
    expect(weekdayOfDayNumber(dayNumberOfIso('2027-02-07')!)).toBe(0); // Sunday
  });

  it('accepts holidays on any day and make-up workdays on weekends', () => {
    // 2027-10-02 is a Saturday inside the National Day holiday; 2027-09-26 a Sunday worked instead.
    expect(calendarYearIssues(2027, ['2027-10-01', '2027-10-02'], ['2027-09-26'])).toEqual([]);
  });

  it('names each bad entry by its index and reason', () => {
    const issues = calendarYearIssues(
      2027,
      ['2027-02-30', '2026-12-31', '2027-05-03', '2027-05-03'],
      ['2027-05-03', '2027-05-06', '2027-05-08', '2027-05-08'],
    );
    expect(fields(issues)).toEqual([
      'body.holidays.0:invalid_format',
      'body.holidays.1:outside_year',
      'body.holidays.3:duplicate',
      'body.makeupWorkdays.0:in_both',
      'body.makeupWorkdays.1:not_weekend',
      'body.makeupWorkdays.3:duplicate',
    ]);
    expect(issues.find((i) => i.reason === 'not_weekend')?.message).toBe('calendar.makeup_not_weekend');
  });
});
