import { sql } from 'kysely';
import type { Executor } from '../executor.ts';
import type { CategoryRow } from '../schema.ts';

export interface CategoryVersionRow {
  version: number;
  effective_at: Date;
  note: string;
  defaults: unknown;
}

/** The versioned category catalogue (事项分类) and the responsibility list (责任清单). */
export const categoryRepository = {
  versions(ex: Executor): Promise<CategoryVersionRow[]> {
    return ex
      .selectFrom('category_version')
      .select(['version', 'effective_at', 'note', 'defaults'])
      .orderBy('version')
      .execute();
  },

  categories(ex: Executor, version: number): Promise<CategoryRow[]> {
    return ex.selectFrom('category').selectAll().where('version', '=', version).orderBy('code').execute();
  },

  /**
   * Responsibility rules whose category prefix and region prefix both match (an empty prefix matches all),
   * most specific first.
   */
  async matchingRules(
    ex: Executor,
    categoryCode: string,
    regionCodes: readonly string[],
  ): Promise<{ category_code: string; region_code: string; department_id: string; priority: number }[]> {
    const regions = regionCodes.filter(Boolean);
    return ex
      .selectFrom('responsibility_rule')
      .innerJoin('department', 'department.id', 'responsibility_rule.department_id')
      .select([
        'responsibility_rule.category_code',
        'responsibility_rule.region_code',
        'responsibility_rule.department_id',
        'responsibility_rule.priority',
      ])
      .where('department.disabled', '=', false)
      .where(sql<boolean>`${categoryCode} LIKE responsibility_rule.category_code || '%'`)
      .where((eb) =>
        eb.or(
          regions.length
            ? [
                eb('responsibility_rule.region_code', '=', ''),
                ...regions.map((r) => sql<boolean>`${r} LIKE rtrim(responsibility_rule.region_code) || '%'`),
              ]
            : [eb('responsibility_rule.region_code', '=', '')],
        ),
      )
      .orderBy(sql`length(responsibility_rule.category_code)`, 'desc')
      .orderBy(sql`length(responsibility_rule.region_code)`, 'desc')
      .orderBy('responsibility_rule.priority', 'desc')
      .execute();
  },

  async countRules(ex: Executor): Promise<number> {
    const r = await ex
      .selectFrom('responsibility_rule')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertRule(
    ex: Executor,
    r: {
      id: string;
      categoryCode: string;
      regionCode: string;
      departmentId: string;
      priority?: number;
      at: Date;
    },
  ): Promise<void> {
    await ex
      .insertInto('responsibility_rule')
      .values({
        id: r.id,
        category_code: r.categoryCode,
        region_code: r.regionCode,
        department_id: r.departmentId,
        priority: r.priority ?? 0,
        created_at: r.at,
      })
      .execute();
  },
};
