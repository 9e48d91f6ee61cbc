import type { Kysely } from 'kysely';
import { createWorkCalendar, type WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import type { CatalogueVersion } from '../../domain/taxonomy/catalogue.ts';
import { calendarRepository } from '../../db/repositories/calendar.repository.ts';
import { caseIntakeRepository, type ActiveRule } from '../../db/repositories/case-intake.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';

export interface IntakeBasis {
  catalogue: CatalogueVersion;
  calendar: WorkCalendar;
  /** The responsibility list (rules of enabled departments), oldest first. */
  rules: readonly ActiveRule[];
  /** The intake version all of it was read under: the intake statement writes nothing once it moved on. */
  version: number;
}

/**
 * The rules that apply to a category and place, most specific first — the same rules, in the same order, as
 * `categoryRepository.matchingRules` selects in SQL: the rule's category code is a prefix of the category's (''
 * matches all), its region code ('' = everywhere) a prefix of one of the place's codes; longer category prefix
 * first, then longer region prefix, higher priority, older rule.
 */
export function matchRules(
  rules: readonly ActiveRule[],
  categoryCode: string,
  regionCodes: readonly string[],
): ActiveRule[] {
  const regions = regionCodes.filter(Boolean);
  return rules
    .filter(
      (r) =>
        categoryCode.startsWith(r.category_code) &&
        (r.region_code === '' || regions.some((c) => c.startsWith(r.region_code.trimEnd()))),
    )
    .sort(
      (a, b) =>
        b.category_code.length - a.category_code.length ||
        b.region_code.length - a.region_code.length ||
        b.priority - a.priority ||
        a.created_at.getTime() - b.created_at.getTime(),
    );
}

/**
 * What new cases are filed under — the newest catalogue version, the work calendar and the responsibility list —
 * kept per process with the intake version they were read under (migration 0012: triggers bump it on every write
 * to any of them, from any process). No query per case: the intake statement compares the version and writes
 * nothing when it moved on; the caller then calls `invalidate()` and files again on a fresh basis.
 */
export function createIntakeCache(deps: { db: Kysely<DB>; categories: CategoryService }) {
  const { db, categories } = deps;
  let loaded: Promise<Omit<IntakeBasis, 'catalogue'> & { catalogueVersion: number }> | null = null;

  function load() {
    // The version first, the data after: the data is never older than the version it is kept with (newer data
    // only fails the next check and is read again).
    loaded ??= (async () => {
      const { version, catalogueVersion } = await caseIntakeRepository.version(db);
      const calendar = createWorkCalendar({ years: await calendarRepository.years(db) });
      const rules = await caseIntakeRepository.activeRules(db);
      return { version, catalogueVersion, calendar, rules };
    })().catch((e: unknown) => {
      loaded = null;
      throw e;
    });
    return loaded;
  }

  return {
    async basis(): Promise<IntakeBasis> {
      const b = await load();
      // Versions are immutable and the category service keeps them: this is a map lookup after the first time.
      const catalogue = await categories.version(b.catalogueVersion);
      if (!catalogue) {
        loaded = null;
        throw new Error(`catalogue version ${b.catalogueVersion} is not loaded`);
      }
      return { version: b.version, calendar: b.calendar, rules: b.rules, catalogue };
    },

    /** Read the basis again on the next call (the intake version moved on). */
    invalidate(): void {
      loaded = null;
    },
  };
}

export type IntakeCache = ReturnType<typeof createIntakeCache>;
