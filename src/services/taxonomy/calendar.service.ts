import type { Kysely } from 'kysely';
import { createWorkCalendar, type WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import { calendarRepository } from '../../db/repositories/calendar.repository.ts';
import type { DB } from '../../db/schema.ts';

/** The work calendar (工作日历) built from the years stored in the database, cached per process. */
export function createCalendarService(deps: { db: Kysely<DB> }) {
  let cache: Promise<WorkCalendar> | null = null;
  return {
    calendar(): Promise<WorkCalendar> {
      cache ??= calendarRepository
        .years(deps.db)
        .then((years) => createWorkCalendar({ years }))
        .catch((e: unknown) => {
          cache = null;
          throw e;
        });
      return cache;
    },
    /** Forget the cache after an administrator loads a year. */
    invalidate(): void {
      cache = null;
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
