import type { LocateResult } from '../../contracts/locate.schema.ts';
import type { SuggestionBasis } from '../../contracts/taxonomy.schema.ts';
import { dispatchTarget } from '../../domain/case/case-policy.ts';
import type { DispatchRule } from '../../domain/taxonomy/category.ts';
import type { Executor } from '../../db/executor.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';

export interface Candidate {
  departmentId: string;
  ruleId: string;
}

export interface Suggestion {
  departmentId: string | null;
  basis: SuggestionBasis | null;
  candidates: { owner: Candidate | null; territory: Candidate | null; district: Candidate | null };
}

/** How the suggestion reads a rule: a category prefix names the owner (属主), a street or community the
 * territory (属地), the district or everywhere the fallback (区兜底). */
export function basisOfRule(r: { category_code: string; region_code: string }) {
  if (r.category_code !== '') return 'owner' as const;
  return r.region_code.length > 6 ? ('territory' as const) : ('district_fallback' as const);
}

/**
 * The suggested department (建议派遣部门) from the responsibility list (责任清单) and the category's dispatch
 * rule — 部件 owner first (先属主、后属地), 事件 territory first — with the district as the fallback (区兜底).
 * Without any matching rule, a department whose name matches one of the category's hints; else none.
 */
export async function suggestionFor(
  ex: Executor,
  category: { code: string; dispatchRule: DispatchRule; departmentHints: readonly string[] },
  loc: Pick<LocateResult, 'grid' | 'community' | 'street' | 'district'>,
  /** The matching rules, most specific first, when the caller has them already (intake keeps the list in memory). */
  matched?: readonly { id: string; category_code: string; region_code: string; department_id: string }[],
): Promise<Suggestion> {
  const regions = [loc.grid?.code, loc.community?.code, loc.street?.code, loc.district?.code].filter(
    (c): c is string => !!c,
  );
  const rules = matched ?? (await categoryRepository.matchingRules(ex, category.code, regions));
  const pick = (basis: ReturnType<typeof basisOfRule>): Candidate | null => {
    const r = rules.find((x) => basisOfRule(x) === basis);
    return r ? { departmentId: r.department_id, ruleId: r.id } : null;
  };
  const candidates = {
    owner: pick('owner'),
    territory: pick('territory'),
    district: pick('district_fallback'),
  };
  if (candidates.owner || candidates.territory || candidates.district) {
    const t = dispatchTarget(category.dispatchRule, {
      owner: candidates.owner?.departmentId ?? null,
      territory: candidates.territory?.departmentId ?? null,
      district: candidates.district?.departmentId ?? '',
    });
    return t.department
      ? { departmentId: t.department, basis: t.basis, candidates }
      : { departmentId: null, basis: null, candidates };
  }
  for (const hint of category.departmentHints) {
    const core = hint
      .replace(/（.*?）|\(.*?\)/g, '')
      .replace(/(部门|主管部门)$/, '')
      .trim();
    if (core.length < 2 || core.length > 12) continue;
    const { rows } = await departmentRepository.list(ex, { q: core }, { page: 1, pageSize: 1 });
    const hit = rows.find((d) => !d.disabled && (!loc.district || d.region_code === loc.district.code));
    if (hit) return { departmentId: hit.id, basis: 'hint', candidates };
  }
  return { departmentId: null, basis: null, candidates };
}
