import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type {
  CreateResponsibilityRuleInput,
  PreviewInput,
  PreviewResult,
  ResponsibilityRuleQuery,
  ResponsibilityRuleView,
  UpdateResponsibilityRuleInput,
} from '../../contracts/taxonomy.schema.ts';
import { codePrefix, levelOfCode } from '../../domain/region/region-code.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError, type FieldIssue } from '../../domain/shared/domain-error.ts';
import { findCategory, type CatalogueContent } from '../../domain/taxonomy/catalogue.ts';
import { kindPrefix } from '../../domain/taxonomy/category.ts';
import type { Executor, PageRequest } from '../../db/executor.ts';
import {
  categoryRepository,
  type RuleListRow,
  type RuleRow,
} from '../../db/repositories/category.repository.ts';
import { departmentRepository } from '../../db/repositories/department.repository.ts';
import { regionRepository } from '../../db/repositories/region.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor, Principal } from '../identity/principal.ts';
import {
  assertRegionInScope,
  coversDeployment,
  isGlobal,
  regionPrefixOf,
  requirePermission,
} from '../scope/scope-guard.ts';
import type { LocateService } from '../spatial/locate.service.ts';
import type { CategoryService } from './category.service.ts';
import { basisOfRule, suggestionFor } from './suggestion.ts';

/** A region code as stored in a rule: the prefix its descendants share ('' = everywhere). */
export function rulePrefixOf(regionCode: string): string {
  if (!regionCode) return '';
  const level = levelOfCode(regionCode);
  return level ? codePrefix(regionCode, level) : regionCode;
}

const fullCode = (prefix: string) => (prefix ? prefix.padEnd(12, '0') : '');

function invalid(issues: FieldIssue[]): DomainError {
  return new DomainError('validation.failed', 'invalid responsibility rule', {}, issues);
}

/** Rules a scoped principal may see: those that can apply inside their region, or that name their department. */
function ruleScope(p: Principal): Expression<SqlBool> | undefined {
  if (isGlobal(p)) return undefined;
  const parts: Expression<SqlBool>[] = [];
  const prefix = regionPrefixOf(p);
  if (prefix) {
    parts.push(
      sql<SqlBool>`(r.region_code = '' OR ${prefix} LIKE r.region_code || '%' OR r.region_code LIKE ${prefix + '%'})`,
    );
  }
  if (p.scope.departmentId) parts.push(sql<SqlBool>`r.department_id = ${p.scope.departmentId}`);
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/**
 * The responsibility list (责任清单): category prefix × region → department, the candidates from which a new
 * case's suggested department is chosen. Administrators keep it; every change is audited.
 */
export function createResponsibilityService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
  categories: CategoryService;
  locate: LocateService;
}) {
  const { db, clock, ids, audit, categories, locate } = deps;

  function toView(r: RuleListRow, catalogue: CatalogueContent): ResponsibilityRuleView {
    const c = r.category_code ? findCategory(catalogue, r.category_code) : undefined;
    return {
      id: r.id,
      categoryCode: r.category_code,
      categoryName: c?.nameZh ?? null,
      regionCode: fullCode(r.region_code),
      regionName: r.region_name,
      departmentId: r.department_id,
      departmentName: r.department_name,
      departmentDisabled: r.department_disabled,
      priority: r.priority,
      basis: basisOfRule(r),
      createdAt: r.created_at.toISOString(),
    };
  }

  async function get(actor: Actor, id: string): Promise<ResponsibilityRuleView> {
    requirePermission(actor.principal, 'org.view');
    const catalogue = await categories.current();
    const scope = ruleScope(actor.principal);
    const byId = sql<SqlBool>`r.id = ${id}`;
    const { rows } = await categoryRepository.listRules(
      db,
      { scope: scope ? sql<SqlBool>`(${byId} AND ${scope})` : byId },
      { page: 1, pageSize: 1 },
    );
    if (!rows[0]) throw new DomainError('resource.not_found', 'rule not found', { id });
    return toView(rows[0], catalogue);
  }

  /**
   * A scoped administrator writes rules inside their region. A rule for everywhere counts as inside when every
   * district, street and community of the deployment lies in their region (a district deployment's district
   * administrator); otherwise it needs a system-wide administrator.
   */
  async function assertWritable(ex: Executor, p: Principal, regionCode: string): Promise<void> {
    if (isGlobal(p)) return;
    if (regionCode) return assertRegionInScope(p, regionCode);
    if (!(await coversDeployment(ex, p))) {
      throw new DomainError('auth.out_of_scope', 'a rule for everywhere is outside your scope');
    }
  }

  /** Checks a rule's fields against the current catalogue; returns the stored form. */
  async function checked(
    ex: Executor,
    actor: Actor,
    catalogue: CatalogueContent,
    r: { categoryCode: string; regionCode: string; departmentId: string },
  ): Promise<{ category_code: string; region_code: string; department_id: string }> {
    const issues: FieldIssue[] = [];
    const kinds = Object.values(kindPrefix);
    if (r.categoryCode && !kinds.includes(r.categoryCode) && !findCategory(catalogue, r.categoryCode)) {
      issues.push({ field: 'body.categoryCode', reason: 'not_found', message: 'category.not_found' });
    }
    if (r.regionCode && !(await regionRepository.findByCode(ex, r.regionCode))) {
      issues.push({ field: 'body.regionCode', reason: 'not_found', message: 'region.not_found' });
    }
    const dep = await departmentRepository.findById(ex, r.departmentId);
    if (!dep) {
      issues.push({ field: 'body.departmentId', reason: 'not_found', message: 'department.not_found' });
    } else if (dep.disabled) {
      issues.push({ field: 'body.departmentId', reason: 'disabled', message: 'rule.department_disabled' });
    }
    if (issues.length) throw invalid(issues);
    await assertWritable(ex, actor.principal, r.regionCode);
    return {
      category_code: r.categoryCode,
      region_code: rulePrefixOf(r.regionCode),
      department_id: r.departmentId,
    };
  }

  async function assertNotDuplicate(
    ex: Executor,
    stored: { category_code: string; region_code: string; department_id: string },
    exceptId?: string,
  ): Promise<void> {
    const { rows } = await categoryRepository.listRules(
      ex,
      {
        scope: sql<SqlBool>`(r.category_code = ${stored.category_code} AND r.region_code = ${stored.region_code}
          AND r.department_id = ${stored.department_id} AND r.id <> ${exceptId ?? '00000000-0000-0000-0000-000000000000'})`,
      },
      { page: 1, pageSize: 1 },
    );
    if (rows[0]) {
      throw new DomainError('resource.conflict', 'the same rule exists', { id: rows[0].id }, [
        { field: 'body.departmentId', reason: 'duplicate', message: 'rule.duplicate' },
      ]);
    }
  }

  async function visibleRule(actor: Actor, id: string): Promise<RuleRow> {
    await get(actor, id);
    const row = await categoryRepository.findRule(db, id);
    if (!row) throw new DomainError('resource.not_found', 'rule not found', { id });
    return row;
  }

  return {
    get,

    async list(actor: Actor, q: Omit<ResponsibilityRuleQuery, 'page' | 'pageSize'>, page: PageRequest) {
      requirePermission(actor.principal, 'org.view');
      const catalogue = await categories.current();
      const { rows, total } = await categoryRepository.listRules(
        db,
        {
          categoryCode: q.categoryCode,
          regionPrefix: q.regionCode ? rulePrefixOf(q.regionCode) : undefined,
          departmentId: q.departmentId,
          scope: ruleScope(actor.principal),
        },
        page,
      );
      return { items: rows.map((r) => toView(r, catalogue)), total, ...page };
    },

    async create(actor: Actor, input: CreateResponsibilityRuleInput): Promise<ResponsibilityRuleView> {
      requirePermission(actor.principal, 'catalogue.manage');
      const id = ids.uuid();
      // Read before the transaction: with the embedded engine a second connection would wait for it.
      const catalogue = await categories.current();
      await db.transaction().execute(async (trx) => {
        const stored = await checked(trx, actor, catalogue, input);
        await assertNotDuplicate(trx, stored);
        await categoryRepository.insertRule(trx, {
          id,
          categoryCode: stored.category_code,
          regionCode: stored.region_code,
          departmentId: stored.department_id,
          priority: input.priority,
          at: clock.now(),
        });
        await audit.record(trx, actor, {
          action: 'responsibility_rule.create',
          targetType: 'responsibility_rule',
          targetId: id,
          details: { ...stored, priority: input.priority },
        });
      });
      return get(actor, id);
    },

    async update(
      actor: Actor,
      id: string,
      patch: UpdateResponsibilityRuleInput,
    ): Promise<ResponsibilityRuleView> {
      requirePermission(actor.principal, 'catalogue.manage');
      const before = await visibleRule(actor, id);
      const catalogue = await categories.current();
      await db.transaction().execute(async (trx) => {
        await assertWritable(trx, actor.principal, fullCode(before.region_code));
        const stored = await checked(trx, actor, catalogue, {
          categoryCode: patch.categoryCode ?? before.category_code,
          regionCode: patch.regionCode ?? fullCode(before.region_code),
          departmentId: patch.departmentId ?? before.department_id,
        });
        await assertNotDuplicate(trx, stored, id);
        const priority = patch.priority ?? before.priority;
        await categoryRepository.updateRule(trx, id, { ...stored, priority });
        await audit.record(trx, actor, {
          action: 'responsibility_rule.update',
          targetType: 'responsibility_rule',
          targetId: id,
          details: {
            before: {
              category_code: before.category_code,
              region_code: before.region_code,
              department_id: before.department_id,
              priority: before.priority,
            },
            after: { ...stored, priority },
          },
        });
      });
      return get(actor, id);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      requirePermission(actor.principal, 'catalogue.manage');
      const before = await visibleRule(actor, id);
      await db.transaction().execute(async (trx) => {
        await assertWritable(trx, actor.principal, fullCode(before.region_code));
        await categoryRepository.deleteRule(trx, id);
        await audit.record(trx, actor, {
          action: 'responsibility_rule.delete',
          targetType: 'responsibility_rule',
          targetId: id,
          details: {
            category_code: before.category_code,
            region_code: before.region_code,
            department_id: before.department_id,
            priority: before.priority,
          },
        });
      });
    },

    /** What a new case of this category at this place would be suggested, and why. */
    async preview(actor: Actor, input: PreviewInput): Promise<PreviewResult> {
      requirePermission(actor.principal, 'org.view');
      const catalogue = await categories.current();
      const category = findCategory(catalogue, input.categoryCode);
      if (!category) {
        throw invalid([{ field: 'body.categoryCode', reason: 'not_found', message: 'category.not_found' }]);
      }
      const [loc] = await locate.locateMany([input.location]);
      if (!loc || !loc.inside) {
        throw invalid([
          { field: 'body.location', reason: 'outside_jurisdiction', message: 'case.location_outside' },
        ]);
      }
      const s = await suggestionFor(db, category, loc);
      const dep = s.departmentId ? await departmentRepository.findById(db, s.departmentId) : undefined;
      return {
        department: dep ? { id: dep.id, name: dep.name } : null,
        basis: s.basis,
        dispatchRule: category.dispatchRule,
        candidates: s.candidates,
        location: {
          inside: loc.inside,
          grid: loc.grid,
          community: loc.community,
          street: loc.street,
          district: loc.district,
        },
      };
    },
  };
}

export type ResponsibilityService = ReturnType<typeof createResponsibilityService>;
