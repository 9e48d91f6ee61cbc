import type { Kysely } from 'kysely';
import { createWorkCalendar, type WorkCalendar } from '../../domain/calendar/work-calendar.ts';
import type { CatalogueVersion } from '../../domain/taxonomy/catalogue.ts';
import { calendarRepository } from '../../db/repositories/calendar.repository.ts';
import {
  caseIntakeRepository,
  type ActiveRule,
  type IntakeGuard,
} from '../../db/repositories/case-intake.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';

export interface IntakeBasis {
  catalogue: CatalogueVersion;
  calendar: WorkCalendar;
  /** The responsibility list (rules of enabled departments), oldest first. */
  rules: readonly ActiveRule[];
  /** What the intake statement re-checks (see case-intake.repository.ts). */
  guard: IntakeGuard;
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
 * What new cases are filed under — the catalogue version, the work calendar and the responsibility list — kept per
 * process with the guard they were read under. No query per case: the intake statement itself checks the guard
 * and writes nothing when it no longer holds; the caller then calls `invalidate()` and files again on a fresh basis.
 */
export function createIntakeCache(deps: { db: Kysely<DB>; categories: CategoryService }) {
  const { db, categories } = deps;
  let loaded: Promise<Omit<IntakeBasis, 'catalogue'>> | null = null;

  function load() {
    // The guard first, the data after: the data is never older than the guard it is kept with (newer data only
    // fails the next check and is read again).
    loaded ??= (async () => {
      const guard = await caseIntakeRepository.guard(db);
      const calendar = createWorkCalendar({ years: await calendarRepository.years(db) });
      const rules = await caseIntakeRepository.activeRules(db);
      return { guard, calendar, rules };
    })().catch((e: unknown) => {
      loaded = null;
      throw e;
    });
    return loaded;
  }

  return {
    async basis(): Promise<IntakeBasis> {
      const basis = await load();
      // Versions are immutable and the category service keeps them: this is a map lookup after the first time.
      const catalogue = await categories.version(basis.guard.catalogueVersion);
      if (!catalogue) {
        loaded = null;
        throw new Error(`catalogue version ${basis.guard.catalogueVersion} is not loaded`);
      }
      return { ...basis, catalogue };
    },

    /** Read the basis again on the next call (the guard failed, or a local write changed it). */
    invalidate(): void {
      loaded = null;
    },
  };
}

export type IntakeCache = ReturnType<typeof createIntakeCache>;
