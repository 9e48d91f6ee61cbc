import { describe, expect, it } from 'vitest';
import { testYear2026 } from '../../../test/support/test-years.ts';
import { chinaTime as t, createWorkCalendar } from '../calendar/work-calendar.ts';
import {
  budgetMs,
  deadlineOf,
  isValidTimeLimit,
  kindOf,
  lightOf,
  pausedMs,
  slaProgress,
} from './time-limit.ts';
import type { TimeLimit } from './time-limit.ts';

const cal = createWorkCalendar({ years: [testYear2026] });
const H = 3_600_000;
const iso = (d: Date) => d.toISOString();
const limit = (amount: number, unit: TimeLimit['unit']): TimeLimit => ({
  stage: 'handle',
  urgency: 'normal',
  amount,
  unit,
});

describe('deadlineOf', () => {
  it('counts working days across National Day 2026 and onto the 调休 Saturday', () => {
    expect(iso(deadlineOf(t('2026-09-30', '10:00'), limit(3, 'working_days'), cal))).toBe(
      iso(t('2026-10-10', '10:00')),
    );
    expect(iso(deadlineOf(t('2026-09-29', '14:00'), limit(5, 'working_days'), cal))).toBe(
      iso(t('2026-10-12', '14:00')), // Sep 30, Oct 8, 9, 10 (Sat), 12
    );
  });

  it('counts working days across Spring Festival 2026', () => {
    expect(iso(deadlineOf(t('2026-02-12', '16:00'), limit(3, 'working_days'), cal))).toBe(
      iso(t('2026-02-24', '16:00')), // Feb 13, 14 (Sat), 24
    );
    expect(iso(deadlineOf(t('2026-02-14', '09:00'), limit(7, 'working_hours'), cal))).toBe(
      iso(t('2026-02-14', '17:30')),
    );
  });

  it('counts working hours across the lunch break and overnight', () => {
    expect(iso(deadlineOf(t('2026-03-02', '10:30'), limit(4, 'working_hours'), cal))).toBe(
      iso(t('2026-03-02', '16:00')),
    );
    expect(iso(deadlineOf(t('2026-03-02', '16:30'), limit(4, 'working_hours'), cal))).toBe(
      iso(t('2026-03-03', '12:00')),
    );
  });

  it('runs natural time straight through holidays', () => {
    expect(iso(deadlineOf(t('2026-09-30', '10:00'), limit(2, 'natural_hours'), cal))).toBe(
      iso(t('2026-09-30', '12:00')),
    );
    expect(iso(deadlineOf(t('2026-09-30', '22:00'), limit(24, 'natural_hours'), cal))).toBe(
      iso(t('2026-10-01', '22:00')),
    );
    expect(iso(deadlineOf(t('2026-02-13', '09:00'), limit(7, 'natural_days'), cal))).toBe(
      iso(t('2026-02-20', '09:00')),
    );
    expect(iso(deadlineOf(t('2026-03-02', '10:00'), limit(0.5, 'natural_hours'), cal))).toBe(
      iso(t('2026-03-02', '10:30')),
    );
  });

  it('pushes the deadline out by paused (挂账) time of the same kind', () => {
    const start = t('2026-03-02', '09:00'); // Monday
    const twoDays = limit(2, 'working_days'); // 14 working hours → Tue 17:30 without pause
    expect(iso(deadlineOf(start, twoDays, cal))).toBe(iso(t('2026-03-03', '17:30')));
    const pause = [{ from: t('2026-03-02', '13:30'), to: t('2026-03-03', '13:30') }]; // 4 + 3 = 7 working h
    expect(iso(deadlineOf(start, twoDays, cal, pause))).toBe(iso(t('2026-03-04', '17:30')));
    // A pause reached only after the first extension is added too.
    const late = [...pause, { from: t('2026-03-04', '09:00'), to: t('2026-03-04', '12:00') }];
    expect(iso(deadlineOf(start, twoDays, cal, late))).toBe(iso(t('2026-03-05', '12:00')));
    // A pause at night costs no working time; in natural time it does.
    const night = [{ from: t('2026-03-02', '18:00'), to: t('2026-03-03', '08:00') }];
    expect(iso(deadlineOf(start, twoDays, cal, night))).toBe(iso(t('2026-03-03', '17:30')));
    expect(iso(deadlineOf(start, limit(24, 'natural_hours'), cal, night))).toBe(
      iso(t('2026-03-03', '23:00')),
    );
  });

  it('rejects negative amounts and validates limits', () => {
    expect(() => deadlineOf(t('2026-03-02'), limit(-1, 'natural_hours'), cal)).toThrow();
    expect(isValidTimeLimit(limit(1, 'working_days'))).toBe(true);
    expect(isValidTimeLimit(limit(0, 'working_days'))).toBe(false);
    expect(isValidTimeLimit({ ...limit(1, 'working_days'), stage: 'nope' as never })).toBe(false);
    expect(budgetMs(limit(2, 'working_days'), cal)).toBe(14 * H);
    expect(budgetMs(limit(2, 'natural_days'), cal)).toBe(48 * H);
    expect(kindOf('working_days')).toBe('working');
    expect(kindOf('natural_hours')).toBe('natural');
  });
});

describe('lightOf', () => {
  it('working hours: green up to exactly 80 %, yellow after, still yellow at 100 %, red once overdue', () => {
    const start = t('2026-03-02', '09:00');
    const deadline = deadlineOf(start, limit(10, 'working_hours'), cal); // Tue 12:00
    expect(iso(deadline)).toBe(iso(t('2026-03-03', '12:00')));
    const at = (d: Date) => lightOf(start, deadline, d, cal, 'working_hours');
    expect(at(start)).toBe('green');
    expect(at(t('2026-03-03', '10:00'))).toBe('green'); // 8 of 10 h used: exactly 80 %
    expect(at(new Date(t('2026-03-03', '10:00').getTime() + 1))).toBe('yellow');
    expect(at(deadline)).toBe('yellow'); // exactly 100 %
    // One millisecond later is lunch: no more working time is used, but the deadline has passed.
    expect(at(new Date(deadline.getTime() + 1))).toBe('red');
    expect(slaProgress(start, deadline, t('2026-03-03', '13:00'), cal, 'working')).toMatchObject({
      usedMs: 10 * H,
      totalMs: 10 * H,
      overdue: true,
      light: 'red',
    });
  });

  it('working time does not turn the light over a weekend or a holiday', () => {
    const start = t('2026-09-30', '10:00');
    const deadline = deadlineOf(start, limit(3, 'working_days'), cal); // Sat Oct 10 10:00, 21 working h
    const progress = slaProgress(start, deadline, t('2026-10-07', '23:00'), cal, 'working_days');
    expect(progress).toMatchObject({ light: 'green', usedMs: 6 * H, totalMs: 21 * H });
    expect(lightOf(start, deadline, t('2026-10-09', '14:18'), cal, 'working_days')).toBe('green'); // 16.8 h = 80 %
    expect(lightOf(start, deadline, t('2026-10-09', '14:19'), cal, 'working_days')).toBe('yellow');
  });

  it('natural hours: same thresholds in wall-clock time, holidays included', () => {
    const start = t('2026-10-01', '08:00');
    const deadline = deadlineOf(start, limit(10, 'natural_hours'), cal);
    const at = (ms: number) => lightOf(start, deadline, new Date(start.getTime() + ms), cal, 'natural');
    expect(at(8 * H)).toBe('green');
    expect(at(8 * H + 1)).toBe('yellow');
    expect(at(10 * H)).toBe('yellow');
    expect(at(10 * H + 1)).toBe('red');
  });

  it('excludes suspension from the time used', () => {
    const start = t('2026-03-02', '09:00');
    const paused = [{ from: t('2026-03-02', '13:30'), to: t('2026-03-03', '13:30') }];
    const deadline = deadlineOf(start, limit(2, 'working_days'), cal, paused); // Wed 17:30
    const p = slaProgress(start, deadline, t('2026-03-03', '17:30'), cal, 'working_days', paused);
    expect(p).toMatchObject({ usedMs: 7 * H, totalMs: 14 * H, light: 'green', overdue: false });
    expect(p.ratio).toBe(0.5);
    // While the case is suspended the used time stands still.
    const during = slaProgress(start, deadline, t('2026-03-03', '11:00'), cal, 'working', paused);
    expect(during.usedMs).toBe(3 * H);
  });

  it('counts overlapping pauses once', () => {
    const a = { from: t('2026-03-02', '10:00'), to: t('2026-03-02', '11:00') };
    const b = { from: t('2026-03-02', '10:30'), to: t('2026-03-02', '14:30') };
    expect(pausedMs([a, b], t('2026-03-02'), t('2026-03-03'), 'working', cal)).toBe(3 * H); // 10–12, 13:30–14:30
    expect(pausedMs([a, b], t('2026-03-02'), t('2026-03-03'), 'natural', cal)).toBe(4.5 * H);
    expect(pausedMs([a], t('2026-03-02', '10:30'), t('2026-03-02', '10:45'), 'natural', cal)).toBe(0.25 * H);
  });

  it('a clock that has not started yet is green', () => {
    const start = t('2026-03-02', '09:00');
    const deadline = deadlineOf(start, limit(1, 'working_hours'), cal);
    expect(lightOf(start, deadline, t('2026-03-01', '09:00'), cal, 'working')).toBe('green');
  });
});
