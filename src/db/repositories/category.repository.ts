import { sql, type Expression, type Insertable, type SqlBool } from 'kysely';
import { offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { CategoryRow, CategoryTable } from '../schema.ts';

export interface CategoryVersionRow {
  version: number;
  effective_at: Date;
  note: string;
  defaults: unknown;
}

export interface RuleRow {
  id: string;
  category_code: string;
  region_code: string;
  department_id: string;
  priority: number;
  created_at: Date;
}

export interface RuleListRow extends RuleRow {
  department_name: string;
  department_disabled: boolean;
  region_name: string | null;
}

export interface RuleFilter {
  /** Rules naming this category, one of its ancestors or one of its descendants (generic rules excluded). */
  categoryCode?: string | undefined;
  /** Rules for this region prefix, one of its ancestors or one of its descendants (region-less rules excluded). */
  regionPrefix?: string | undefined;
  departmentId?: string | undefined;
  scope?: Expression<SqlBool> | undefined;
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

  findVersion(ex: Executor, version: number): Promise<CategoryVersionRow | undefined> {
    return ex
      .selectFrom('category_version')
      .select(['version', 'effective_at', 'note', 'defaults'])
      .where('version', '=', version)
      .executeTakeFirst();
  },

  /** The newest version number (0 when there is none); `lock` holds it until the transaction ends. */
  async latestVersion(ex: Executor, lock = false): Promise<number> {
    let q = ex.selectFrom('category_version').select('version').orderBy('version', 'desc').limit(1);
    if (lock) q = q.forUpdate();
    return (await q.executeTakeFirst())?.version ?? 0;
  },

  categories(ex: Executor, version: number): Promise<CategoryRow[]> {
    return ex.selectFrom('category').selectAll().where('version', '=', version).orderBy('code').execute();
  },

  async insertVersion(
    ex: Executor,
    v: { version: number; effectiveAt: Date; note: string; defaults: unknown },
    rows: readonly Omit<Insertable<CategoryTable>, 'version'>[],
  ): Promise<void> {
    await ex
      .insertInto('category_version')
      .values({
        version: v.version,
        effective_at: v.effectiveAt,
        note: v.note,
        defaults: JSON.stringify(v.defaults),
      })
      .execute();
    for (let i = 0; i < rows.length; i += 200) {
      await ex
        .insertInto('category')
        .values(rows.slice(i, i + 200).map((r) => ({ ...r, version: v.version })))
        .execute();
    }
  },

  /**
   * Responsibility rules whose category prefix and region prefix both match (an empty prefix matches all),
   * most specific first.
   */
  async matchingRules(
    ex: Executor,
    categoryCode: string,
    regionCodes: readonly string[],
  ): Promise<
    { id: string; category_code: string; region_code: string; department_id: string; priority: number }[]
  > {
    const regions = regionCodes.filter(Boolean);
    return ex
      .selectFrom('responsibility_rule')
      .innerJoin('department', 'department.id', 'responsibility_rule.department_id')
      .select([
        'responsibility_rule.id',
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
      .orderBy('responsibility_rule.created_at')
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

  findRule(ex: Executor, id: string): Promise<RuleRow | undefined> {
    return ex.selectFrom('responsibility_rule').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async updateRule(
    ex: Executor,
    id: string,
    patch: { category_code?: string; region_code?: string; department_id?: string; priority?: number },
  ): Promise<void> {
    await ex.updateTable('responsibility_rule').set(patch).where('id', '=', id).execute();
  },

  async deleteRule(ex: Executor, id: string): Promise<void> {
    await ex.deleteFrom('responsibility_rule').where('id', '=', id).execute();
  },

  /** The list for administrators: filtered, scoped, paged; most general rules first. */
  async listRules(
    ex: Executor,
    f: RuleFilter,
    page: PageRequest,
  ): Promise<{ rows: RuleListRow[]; total: number }> {
    let q = ex
      .selectFrom('responsibility_rule as r')
      .innerJoin('department', 'department.id', 'r.department_id')
      .leftJoin('region', (j) =>
        j.on(sql<SqlBool>`region.code = rpad(r.region_code, 12, '0') AND r.region_code <> ''`),
      );
    if (f.categoryCode) {
      const c = f.categoryCode;
      q = q.where(
        sql<SqlBool>`(r.category_code <> '' AND (${c} LIKE r.category_code || '%' OR r.category_code LIKE ${c + '%'}))`,
      );
    }
    if (f.regionPrefix) {
      const p = f.regionPrefix;
      q = q.where(
        sql<SqlBool>`(r.region_code <> '' AND (${p} LIKE r.region_code || '%' OR r.region_code LIKE ${p + '%'}))`,
      );
    }
    if (f.departmentId) q = q.where('r.department_id', '=', f.departmentId);
    if (f.scope) q = q.where(f.scope);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('r')
      .select([
        'department.name as department_name',
        'department.disabled as department_disabled',
        'region.name as region_name',
      ])
      .orderBy('r.category_code')
      .orderBy('r.region_code')
      .orderBy('r.priority', 'desc')
      .orderBy('r.created_at')
      .orderBy('r.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },
};
