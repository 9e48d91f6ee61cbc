import { sql } from 'kysely';
import type { CalendarYear } from '../../domain/calendar/work-calendar.ts';
import type { Executor } from '../executor.ts';

/** Work-calendar years (工作日历) as loaded by administrators; dates travel as `YYYY-MM-DD` text. */
export const calendarRepository = {
  async years(ex: Executor): Promise<CalendarYear[]> {
    const rows = await ex
      .selectFrom('calendar_year')
      .select([
        'year',
        sql<string[]>`holidays::text[]`.as('holidays'),
        sql<string[]>`makeup_workdays::text[]`.as('makeup_workdays'),
      ])
      .orderBy('year')
      .execute();
    return rows.map((r) => ({ year: r.year, holidays: r.holidays, makeupWorkdays: r.makeup_workdays }));
  },
};
