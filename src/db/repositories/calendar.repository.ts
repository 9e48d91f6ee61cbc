import { sql } from 'kysely';
import type { CalendarYear } from '../../domain/calendar/work-calendar.ts';
import type { Executor } from '../executor.ts';

export interface CalendarYearRow {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
  source: string;
  updatedAt: Date;
}

function dayList(column: 'holidays' | 'makeup_workdays') {
  // Dates travel as `YYYY-MM-DD` text in order, whatever the driver would make of a date[].
  return sql<string[]>`ARRAY(SELECT d::text FROM unnest(${sql.ref(column)}) AS d ORDER BY d)`;
}

/** Work-calendar years (工作日历) as loaded by administrators; dates travel as `YYYY-MM-DD` text. */
export const calendarRepository = {
  async years(ex: Executor): Promise<CalendarYear[]> {
    const rows = await ex
      .selectFrom('calendar_year')
      .select(['year', dayList('holidays').as('holidays'), dayList('makeup_workdays').as('makeup_workdays')])
      .orderBy('year')
      .execute();
    return rows.map((r) => ({ year: r.year, holidays: r.holidays, makeupWorkdays: r.makeup_workdays }));
  },

  async list(ex: Executor): Promise<CalendarYearRow[]> {
    const rows = await ex
      .selectFrom('calendar_year')
      .select([
        'year',
        dayList('holidays').as('holidays'),
        dayList('makeup_workdays').as('makeup_workdays'),
        'source',
        'updated_at',
      ])
      .orderBy('year')
      .execute();
    return rows.map((r) => ({
      year: r.year,
      holidays: r.holidays,
      makeupWorkdays: r.makeup_workdays,
      source: r.source,
      updatedAt: r.updated_at,
    }));
  },

  async find(ex: Executor, year: number): Promise<CalendarYearRow | undefined> {
    return (await calendarRepository.list(ex)).find((r) => r.year === year);
  },

  /** Replaces one year's dates (inserting the year when it is new). */
  async upsert(
    ex: Executor,
    y: {
      year: number;
      holidays: readonly string[];
      makeupWorkdays: readonly string[];
      source: string;
      at: Date;
      by: string | null;
    },
  ): Promise<void> {
    const values = {
      holidays: sql<string[]>`${[...y.holidays]}::date[]`,
      makeup_workdays: sql<string[]>`${[...y.makeupWorkdays]}::date[]`,
      source: y.source,
      updated_at: y.at,
      updated_by: y.by,
    };
    await ex
      .insertInto('calendar_year')
      .values({ year: y.year, ...values })
      .onConflict((oc) => oc.column('year').doUpdateSet(values))
      .execute();
  },

  /**
   * A fingerprint of every year's dates: it changes whenever any process writes a year, so a cached calendar can
   * tell it is stale with one small query.
   */
  async stamp(ex: Executor): Promise<string> {
    const r = await sql<{ stamp: string | null }>`
      SELECT md5(string_agg(year::text || ':' || holidays::text || ':' || makeup_workdays::text, ';' ORDER BY year))
        AS stamp
      FROM calendar_year
    `.execute(ex);
    return r.rows[0]?.stamp ?? '';
  },
};
