import { describe, expect, it } from 'vitest';
import { isDomainError } from '../shared/domain-error.ts';
import { testYear2025, testYear2026 } from '../../../test/support/test-years.ts';
import { chinaDateOf, chinaTime, createWorkCalendar, dayNumberOfIso } from './work-calendar.ts';

const cal = createWorkCalendar({ years: [testYear2025, testYear2026] });
const t = chinaTime;
const H = 3_600_000;

describe('China time', () => {
  it('uses a fixed UTC+8 offset whatever the host time zone', () => {
    expect(t('2026-10-10', '10:00').toISOString()).toBe('2026-10-10T02:00:00.000Z');
    expect(t('2026-01-01', '07:59').toISOString()).toBe('2025-12-31T23:59:00.000Z');
    expect(chinaDateOf(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(chinaDateOf(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
  });

  it('rejects impossible dates', () => {
    expect(dayNumberOfIso('2026-02-29')).toBeNull();
    expect(dayNumberOfIso('2026-13-01')).toBeNull();
    expect(() => t('2026-02-30')).toThrow();
  });
});

describe('workdays', () => {
  it('knows weekdays, weekends, statutory days off and 调休 make-up workdays', () => {
    expect(cal.dayInfo('2026-09-30')).toMatchObject({ workday: true, kind: 'weekday', known: true });
    expect(cal.dayInfo('2026-10-01')).toMatchObject({ workday: false, kind: 'holiday' });
    expect(cal.dayInfo('2026-10-05')).toMatchObject({ workday: false, kind: 'holiday' }); // a Monday
    expect(cal.dayInfo('2026-10-10')).toMatchObject({ workday: true, kind: 'makeup_workday' }); // a Saturday
    expect(cal.dayInfo('2026-09-20')).toMatchObject({ workday: true, kind: 'makeup_workday' }); // a Sunday
    expect(cal.dayInfo('2026-10-11')).toMatchObject({ workday: false, kind: 'weekend' });
    expect(cal.isWorkday('2026-02-14')).toBe(true); // Saturday before 春节
    expect(cal.isWorkday('2026-02-23')).toBe(false); // Monday inside 春节
    expect(cal.isWorkday('2026-02-24')).toBe(true);
  });

  it('reads an instant in China time: Friday 23:30 UTC is Saturday in Beijing', () => {
    expect(cal.isWorkday(new Date('2026-10-09T15:30:00Z'))).toBe(true); // Fri 23:30 CST
    expect(cal.isWorkday(new Date('2026-10-09T16:30:00Z'))).toBe(true); // Sat 00:30 CST, make-up day
    expect(cal.isWorkday(new Date('2026-10-10T16:30:00Z'))).toBe(false); // Sun 00:30 CST
  });

  it('falls back to weekends only for a year without data, and says so', () => {
    expect(cal.dayInfo('2027-10-01')).toEqual({
      date: '2027-10-01',
      workday: true,
      kind: 'weekday',
      known: false,
    });
    expect(cal.dayInfo('2027-10-02').workday).toBe(false);
    expect(cal.missingYears(t('2026-12-30'), t('2028-01-02'))).toEqual([2027, 2028]);
    expect(cal.missingYears(t('2026-01-01'), t('2025-06-01'))).toEqual([]);
    expect(cal.years).toEqual([2025, 2026]);
  });

  it('validates year data and working hours', () => {
    const fails = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDomainError(e) && e.code === 'validation.failed';
      }
      return false;
    };
    expect(
      fails(() =>
        createWorkCalendar({ years: [{ year: 2026, holidays: ['2025-10-01'], makeupWorkdays: [] }] }),
      ),
    ).toBe(true);
    expect(
      fails(() =>
        createWorkCalendar({
          years: [{ year: 2026, holidays: ['2026-10-10'], makeupWorkdays: ['2026-10-10'] }],
        }),
      ),
    ).toBe(true);
    expect(fails(() => createWorkCalendar({ years: [testYear2026, testYear2026] }))).toBe(true);
    expect(fails(() => createWorkCalendar({ years: [], workingHours: [] }))).toBe(true);
    expect(
      fails(() => createWorkCalendar({ years: [], workingHours: [{ start: '12:00', end: '09:00' }] })),
    ).toBe(true);
    expect(
      fails(() =>
        createWorkCalendar({
          years: [],
          workingHours: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        }),
      ),
    ).toBe(true);
    expect(fails(() => cal.addWorkingHours(t('2026-03-02'), -1))).toBe(true);
  });
});

describe('working-time arithmetic (default hours 09:00–12:00, 13:30–17:30 = 7 h/day)', () => {
  const cases: [string, Date, (d: Date) => Date, string][] = [
    // National Day 2026: Oct 1–7 off, Sat Oct 10 worked.
    [
      '3 working days from Wed 30 Sep 10:00 jump 1–7 Oct and end on the make-up Saturday',
      t('2026-09-30', '10:00'),
      (d) => cal.addWorkingDays(d, 3),
      '2026-10-10 10:00',
    ],
    [
      '2 working hours from Wed 30 Sep 16:00 end Thu 8 Oct 09:30',
      t('2026-09-30', '16:00'),
      (d) => cal.addWorkingHours(d, 2),
      '2026-10-08 09:30',
    ],
    [
      '1 working day from Fri 9 Oct 15:00 ends on the make-up Saturday 10 Oct 15:00',
      t('2026-10-09', '15:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-10-10 15:00',
    ],
    [
      '1 working day from Sat 10 Oct 15:00 (make-up) ends Mon 12 Oct 15:00',
      t('2026-10-10', '15:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-10-12 15:00',
    ],
    [
      'from a holiday, the clock starts at the next workday',
      t('2026-10-03', '10:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-10-08 10:00',
    ],
    [
      'Fri 18 Sep 11:00 + 1 working day skips Saturday and lands on make-up Sunday 20 Sep',
      t('2026-09-18', '11:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-09-20 11:00',
    ],
    [
      'Thu 24 Sep 10:00 + 2 working days jumps 中秋 (25–27 Sep)',
      t('2026-09-24', '10:00'),
      (d) => cal.addWorkingDays(d, 2),
      '2026-09-29 10:00',
    ],
    // Spring Festival 2026: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked.
    [
      'Fri 13 Feb 14:00 + 1 working day is the make-up Saturday 14 Feb',
      t('2026-02-13', '14:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-02-14 14:00',
    ],
    [
      'Sat 14 Feb 14:00 + 1 working day jumps 春节 to Tue 24 Feb',
      t('2026-02-14', '14:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-02-24 14:00',
    ],
    [
      'Fri 13 Feb 09:00 + 5 working days lands exactly on Thu 26 Feb 17:30 (a period end, not next morning)',
      t('2026-02-13', '09:00'),
      (d) => cal.addWorkingDays(d, 5),
      '2026-02-26 17:30',
    ],
    [
      'Fri 27 Feb 09:00 + 1.5 working days ends on make-up Sat 28 Feb, 10.5 h later',
      t('2026-02-27', '09:00'),
      (d) => cal.addWorkingDays(d, 1.5),
      '2026-02-28 14:00',
    ],
    // 2025 National Day + Mid-Autumn: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked.
    [
      'Fri 26 Sep 2025 17:00 + 1 working hour runs into make-up Sunday 28 Sep',
      t('2025-09-26', '17:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2025-09-28 09:30',
    ],
    [
      'Tue 30 Sep 2025 09:00 + 2 working days jumps Oct 1–8: Thu 9 Oct 17:30',
      t('2025-09-30', '09:00'),
      (d) => cal.addWorkingDays(d, 2),
      '2025-10-09 17:30',
    ],
    [
      'Thu 9 Oct 2025 10:00 + 2 working days ends on make-up Sat 11 Oct 10:00',
      t('2025-10-09', '10:00'),
      (d) => cal.addWorkingDays(d, 2),
      '2025-10-11 10:00',
    ],
    // Working hours across lunch break and overnight.
    [
      'Mon 11:00 + 2 working hours skips lunch: 14:30',
      t('2026-03-02', '11:00'),
      (d) => cal.addWorkingHours(d, 2),
      '2026-03-02 14:30',
    ],
    [
      'Mon 12:15 (lunch) + 1 working hour: 14:30',
      t('2026-03-02', '12:15'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-03-02 14:30',
    ],
    [
      'Mon 11:00 + 1 working hour lands on 12:00, not 13:30',
      t('2026-03-02', '11:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-03-02 12:00',
    ],
    [
      'Mon 17:00 + 1 working hour goes overnight: Tue 09:30',
      t('2026-03-02', '17:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-03-03 09:30',
    ],
    [
      'Mon 07:00 + 1 working hour: 10:00',
      t('2026-03-02', '07:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-03-02 10:00',
    ],
    [
      'Mon 20:00 + 1 working day: Tue 17:30 (end of the next working day)',
      t('2026-03-02', '20:00'),
      (d) => cal.addWorkingDays(d, 1),
      '2026-03-03 17:30',
    ],
    [
      'Fri 17:00 + 1 working hour goes over the weekend: Mon 09:30',
      t('2026-03-06', '17:00'),
      (d) => cal.addWorkingHours(d, 1),
      '2026-03-09 09:30',
    ],
    [
      'zero time is the start itself',
      t('2026-03-07', '03:00'),
      (d) => cal.addWorkingHours(d, 0),
      '2026-03-07 03:00',
    ],
    // Natural time ignores holidays.
    [
      'Wed 30 Sep 10:00 + 7 natural days: Wed 7 Oct 10:00',
      t('2026-09-30', '10:00'),
      (d) => cal.addNaturalDays(d, 7),
      '2026-10-07 10:00',
    ],
    [
      'Wed 30 Sep 10:00 + 24 natural hours: Thu 1 Oct 10:00 (a holiday)',
      t('2026-09-30', '10:00'),
      (d) => cal.addNaturalHours(d, 24),
      '2026-10-01 10:00',
    ],
    [
      'Sat 14 Feb 23:00 + 2 natural hours crosses midnight into 春节',
      t('2026-02-14', '23:00'),
      (d) => cal.addNaturalHours(d, 2),
      '2026-02-15 01:00',
    ],
  ];
  it.each(cases)('%s', (_name, start, add, expected) => {
    const [date, hhmm] = expected.split(' ') as [string, string];
    expect(add(start).toISOString()).toBe(t(date, hhmm).toISOString());
  });

  it('measures working time between two instants, holidays and nights excluded', () => {
    expect(cal.workingMsBetween(t('2026-09-30', '10:00'), t('2026-10-10', '10:00'))).toBe(21 * H);
    expect(cal.workingMsBetween(t('2026-10-01'), t('2026-10-08'))).toBe(0);
    expect(cal.workingMsBetween(t('2026-03-02', '11:00'), t('2026-03-02', '14:30'))).toBe(2 * H);
    expect(cal.workingMsBetween(t('2026-03-02', '14:30'), t('2026-03-02', '11:00'))).toBe(-2 * H);
    expect(cal.workingMsBetween(t('2026-02-13'), t('2026-03-01'))).toBe(7 * H * (1 + 1 + 4 + 1)); // 13, 14, 24–27, 28
  });

  it('agrees with itself: working time from start to start + x is x', () => {
    const start = t('2026-09-17', '16:40');
    for (const hours of [0.25, 1, 3.5, 7, 13, 40, 100]) {
      const end = cal.addWorkingHours(start, hours);
      expect(cal.workingMsBetween(start, end)).toBe(hours * H);
    }
  });

  it('honours configured working hours (8–12, 14–18 = 8 h/day)', () => {
    const eight = createWorkCalendar({
      years: [testYear2026],
      workingHours: [
        { start: '08:00', end: '12:00' },
        { start: '14:00', end: '18:00' },
      ],
    });
    expect(eight.workdayMs).toBe(8 * H);
    expect(eight.addWorkingDays(t('2026-09-30', '10:00'), 1).toISOString()).toBe(
      t('2026-10-08', '10:00').toISOString(),
    );
    expect(eight.addWorkingHours(t('2026-03-02', '11:00'), 2).toISOString()).toBe(
      t('2026-03-02', '15:00').toISOString(),
    );
  });

  it('round-the-clock hours (00:00–24:00) make working time equal natural time on workdays', () => {
    const allDay = createWorkCalendar({
      years: [testYear2026],
      workingHours: [{ start: '00:00', end: '24:00' }],
    });
    expect(allDay.addWorkingHours(t('2026-09-30', '20:00'), 6).toISOString()).toBe(
      t('2026-10-08', '02:00').toISOString(),
    );
  });
});
