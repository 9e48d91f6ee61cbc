import { describe, expect, it } from 'vitest';
import { testYear2025, testYear2026 } from '../../../test/support/test-years.ts';
import { chinaTime, createWorkCalendar } from '../../domain/calendar/work-calendar.ts';
import { deadlineOf } from '../../domain/sla/time-limit.ts';
import { catalogueIssues, createCatalogueVersion, timeLimitFor } from '../../domain/taxonomy/catalogue.ts';
import { categorySeed, defaultTimeLimits } from './category-catalogue.ts';
import { cnHolidayYears } from './cn-holidays.ts';

describe('holiday seed', () => {
  it('ships 2024–2026 and builds a calendar', () => {
    expect(cnHolidayYears.map((y) => y.year)).toEqual([2024, 2025, 2026]);
    const cal = createWorkCalendar({ years: cnHolidayYears });
    expect(cal.isWorkday('2026-10-10')).toBe(true);
    expect(cal.isWorkday('2024-10-01')).toBe(false);
    expect(cal.isWorkday('2024-02-18')).toBe(true); // Sunday make-up after 春节 2024
    expect(
      deadlineOf(chinaTime('2026-09-30', '10:00'), { amount: 3, unit: 'working_days' }, cal).toISOString(),
    ).toBe(chinaTime('2026-10-10', '10:00').toISOString());
  });

  it('agrees with the domain tests’ copy of 2025 and 2026', () => {
    for (const y of [testYear2025, testYear2026]) {
      const seeded = cnHolidayYears.find((s) => s.year === y.year)!;
      expect([...seeded.holidays].sort()).toEqual([...y.holidays].sort());
      expect([...seeded.makeupWorkdays].sort()).toEqual([...y.makeupWorkdays].sort());
    }
  });
});

describe('category seed', () => {
  const v1 = createCatalogueVersion(
    null,
    { defaults: defaultTimeLimits, categories: categorySeed },
    new Date(0),
  );

  it('is a valid catalogue with the expected sizes', () => {
    expect(catalogueIssues({ defaults: defaultTimeLimits, categories: categorySeed })).toEqual([]);
    const count = (kind: string, level: string) =>
      categorySeed.filter((c) => c.kind === kind && c.level === level).length;
    expect([count('component', 'major'), count('component', 'minor')]).toEqual([7, 131]);
    expect([count('event', 'major'), count('event', 'minor')]).toEqual([6, 92]);
    expect(count('hotline', 'major')).toBe(17);
    expect(count('hotline', 'minor')).toBeGreaterThan(100);
    expect(count('hotline', 'item')).toBeGreaterThan(500);
  });

  it('has English names for every 部件/事件 and hotline first/second level', () => {
    for (const c of categorySeed) if (c.level !== 'item') expect(c.nameEn, c.code).toBeTruthy();
  });

  it('applies the dispatch rules and verification defaults', () => {
    for (const c of categorySeed) {
      expect(c.dispatchRule, c.code).toBe(c.kind === 'component' ? 'owner_first' : 'territory_first');
      if (c.kind === 'hotline' || c.code.startsWith('SJ04'))
        expect(c.requiresVerification, c.code).toBe(false);
      else expect(c.requiresVerification, c.code).toBe(true);
    }
  });

  it('keeps published limits and the Beijing 12345 tiers', () => {
    const cover = categorySeed.find((c) => c.code === 'BJ0101')!;
    expect(cover.nameZh).toBe('上水井盖');
    expect(timeLimitFor(v1, 'BJ0101', 'handle', 'normal')).toMatchObject({
      amount: 6,
      unit: 'natural_hours',
    });
    expect(timeLimitFor(v1, 'BJ0101', 'handle', 'complex')).toMatchObject({
      amount: 36,
      unit: 'natural_hours',
    });
    expect(timeLimitFor(v1, 'SJ0102', 'handle', 'normal')).toMatchObject({ amount: 1, unit: 'working_days' });
    const hotline = categorySeed.find((c) => c.kind === 'hotline' && c.level === 'item')!;
    const tiers = (['emergency', 'urgent', 'normal', 'complex'] as const).map((u) => {
      const l = timeLimitFor(v1, hotline.code, 'handle', u)!;
      return `${l.amount} ${l.unit}`;
    });
    expect(tiers).toEqual(['2 natural_hours', '24 natural_hours', '7 natural_days', '15 natural_days']);
  });

  it('numbers unnumbered items from 51 and 其他 as 99', () => {
    expect(categorySeed.find((c) => c.code === 'BJ0351')).toMatchObject({
      nameZh: '噪声显示屏',
      codeOrigin: 'assigned',
    });
    expect(categorySeed.find((c) => c.code === 'RX99')?.nameZh).toBe('其他');
  });
});
