import type { Kysely } from 'kysely';
import type { CalendarYearView, PutCalendarYearInput } from '../../contracts/taxonomy.schema.ts';
import { createWorkCalendar, type WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import { systemClock, type Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { calendarRepository, type CalendarYearRow } from '../../db/repositories/calendar.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission, requireSystemWide } from '../scope/scope-guard.ts';
import { calendarYearIssues } from './calendar-rules.ts';

function view(r: CalendarYearRow): CalendarYearView {
  return {
    year: r.year,
    holidays: r.holidays,
    makeupWorkdays: r.makeupWorkdays,
    source: r.source,
    updatedAt: r.updatedAt.toISOString(),
    loaded: true,
  };
}

/**
 * The work calendar (工作日历) built from the years stored in the database. The built calendar is kept per
 * process together with a fingerprint of the stored years; every `calendar()` compares the fingerprint (one small
 * query), so a year loaded by any server process counts for the next deadline computed anywhere.
 */
export function createCalendarService(deps: { db: Kysely<DB>; clock?: Clock; audit?: AuditService }) {
  const { db } = deps;
  // Read-only users (the demo loader) need no clock; writes take the injected one.
  const clock = deps.clock ?? systemClock;
  let cache: { stamp: string; calendar: WorkCalendar } | null = null;

  async function calendar(): Promise<WorkCalendar> {
    const stamp = await calendarRepository.stamp(db);
    if (cache?.stamp === stamp) return cache.calendar;
    const built = createWorkCalendar({ years: await calendarRepository.years(db) });
    cache = { stamp, calendar: built };
    return built;
  }

  async function getYear(year: number): Promise<CalendarYearView> {
    const r = await calendarRepository.find(db, year);
    return r
      ? view(r)
      : { year, holidays: [], makeupWorkdays: [], source: '', updatedAt: null, loaded: false };
  }

  return {
    calendar,

    /** Drop the built calendar (the next call rebuilds it even if the fingerprint did not change). */
    invalidate(): void {
      cache = null;
    },

    async years(actor: Actor) {
      requirePermission(actor.principal, 'case.view');
      const rows = await calendarRepository.list(db);
      return {
        items: rows.map((r) => ({
          year: r.year,
          holidays: r.holidays.length,
          makeupWorkdays: r.makeupWorkdays.length,
          source: r.source,
          updatedAt: r.updatedAt.toISOString(),
        })),
      };
    },

    async year(actor: Actor, year: number): Promise<CalendarYearView> {
      requirePermission(actor.principal, 'case.view');
      return getYear(year);
    },

    /**
     * Loads or replaces one year's holidays and make-up workdays (validated entry by entry), with its audit entry.
     * Deadlines computed afterwards use it; running clocks keep the deadlines they were given.
     */
    async putYear(actor: Actor, year: number, input: PutCalendarYearInput): Promise<CalendarYearView> {
      requirePermission(actor.principal, 'catalogue.manage');
      await requireSystemWide(db, actor.principal, 'calendar');
      const issues = calendarYearIssues(year, input.holidays, input.makeupWorkdays);
      if (issues.length)
        throw new DomainError('validation.failed', 'invalid calendar year', { year }, issues);
      const holidays = [...input.holidays].sort();
      const makeupWorkdays = [...input.makeupWorkdays].sort();
      await db.transaction().execute(async (trx) => {
        const before = await calendarRepository.find(trx, year);
        await calendarRepository.upsert(trx, {
          year,
          holidays,
          makeupWorkdays,
          source: input.source ?? before?.source ?? '',
          at: clock.now(),
          by: actor.principal.staffId,
        });
        const added = (now: readonly string[], old: readonly string[] = []) =>
          now.filter((d) => !old.includes(d));
        await deps.audit?.record(trx, actor, {
          action: 'calendar.year.put',
          targetType: 'calendar_year',
          targetId: String(year),
          details: {
            holidays: holidays.length,
            makeupWorkdays: makeupWorkdays.length,
            holidaysAdded: added(holidays, before?.holidays),
            holidaysRemoved: added(before?.holidays ?? [], holidays),
            makeupAdded: added(makeupWorkdays, before?.makeupWorkdays),
            makeupRemoved: added(before?.makeupWorkdays ?? [], makeupWorkdays),
            source: input.source ?? null,
          },
        });
      });
      cache = null;
      return getYear(year);
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
