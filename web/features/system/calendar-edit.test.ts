import { describe, expect, it } from 'vitest';
import { isWorkday, markOf, monthGrid, toggleDay, type YearMarks } from './calendar-edit.ts';

const empty: YearMarks = { holidays: new Set(), makeupWorkdays: new Set() };

describe('calendar editor', () => {
  it('lays a month out in weeks from Monday', () => {
    const march = monthGrid(2027, 3); // 2027-03-01 is a Monday
    expect(march[0]).toEqual([
      '2027-03-01',
      '2027-03-02',
      '2027-03-03',
      '2027-03-04',
      '2027-03-05',
      '2027-03-06',
      '2027-03-07',
    ]);
    expect(march.flat().filter(Boolean)).toHaveLength(31);
    const feb = monthGrid(2027, 2); // starts on a Monday too, 28 days
    expect(feb).toHaveLength(4);
    const may = monthGrid(2027, 5); // 2027-05-01 is a Saturday
    expect(may[0]!.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(may[0]![5]).toBe('2027-05-01');
  });

  it('toggles a weekday as a holiday and cycles a weekend through holiday and make-up workday', () => {
    let m = toggleDay(empty, '2027-03-02');
    expect(markOf(m, '2027-03-02')).toBe('holiday');
    expect(isWorkday(m, '2027-03-02')).toBe(false);
    m = toggleDay(m, '2027-03-02');
    expect(markOf(m, '2027-03-02')).toBeNull();

    m = toggleDay(empty, '2027-03-06'); // Saturday
    expect(markOf(m, '2027-03-06')).toBe('holiday');
    m = toggleDay(m, '2027-03-06');
    expect(markOf(m, '2027-03-06')).toBe('makeup');
    expect(isWorkday(m, '2027-03-06')).toBe(true);
    m = toggleDay(m, '2027-03-06');
    expect(markOf(m, '2027-03-06')).toBeNull();
    expect(isWorkday(m, '2027-03-06')).toBe(false);
  });
});
