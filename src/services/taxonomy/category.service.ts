import type { Kysely } from 'kysely';
import type { CategoryNode, CategoryTree } from '../../contracts/case.schema.ts';
import type {
  CatalogueItem,
  CatalogueVersionSummary,
  CatalogueVersionView,
  PublishCatalogueInput,
} from '../../contracts/taxonomy.schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { TimeLimit } from '../../domain/sla/time-limit.ts';
import {
  createCatalogueVersion,
  diffCatalogues,
  type CatalogueVersion,
} from '../../domain/taxonomy/catalogue.ts';
import type { Category, CategoryKind } from '../../domain/taxonomy/category.ts';
import type { PageRequest } from '../../db/executor.ts';
import { categoryRepository, type CategoryVersionRow } from '../../db/repositories/category.repository.ts';
import type { CategoryRow, DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission, requireSystemWide } from '../scope/scope-guard.ts';
import { applyCatalogueChanges, normalLimit } from './catalogue-changes.ts';

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function toCategory(r: CategoryRow): Category {
  const d = json<Partial<Category>>(r.detail ?? {});
  return {
    code: r.code,
    kind: r.kind,
    level: r.level,
    parentCode: r.parent_code,
    segment: r.segment,
    nameZh: r.name,
    nameEn: r.name_en,
    aliases: d.aliases ?? [],
    requiresVerification: r.requires_verification,
    dispatchRule: r.dispatch_rule,
    departmentHints: r.department_hint,
    timeLimits: json<TimeLimit[]>(r.time_limits).map(normalLimit),
    gbCode: d.gbCode ?? null,
    fileCondition: d.fileCondition ?? null,
    closeCondition: d.closeCondition ?? null,
    sourceLimits: d.sourceLimits ?? [],
    codeOrigin: d.codeOrigin ?? 'assigned',
    sources: d.sources ?? [],
    active: r.active,
  };
}

function toRow(c: Category) {
  return {
    code: c.code,
    kind: c.kind,
    parent_code: c.parentCode,
    level: c.level,
    segment: c.segment,
    name: c.nameZh,
    name_en: c.nameEn,
    dispatch_rule: c.dispatchRule,
    requires_verification: c.requiresVerification,
    time_limits: JSON.stringify(c.timeLimits),
    department_hint: [...c.departmentHints],
    active: c.active,
    detail: JSON.stringify({
      aliases: c.aliases,
      gbCode: c.gbCode,
      fileCondition: c.fileCondition,
      closeCondition: c.closeCondition,
      sourceLimits: c.sourceLimits,
      codeOrigin: c.codeOrigin,
      sources: c.sources,
    }),
  };
}

function toItem(c: Category): CatalogueItem {
  return {
    code: c.code,
    kind: c.kind,
    parentCode: c.parentCode,
    level: c.level,
    name: c.nameZh,
    nameEn: c.nameEn,
    dispatchRule: c.dispatchRule,
    requiresVerification: c.requiresVerification,
    timeLimits: [...c.timeLimits],
    departmentHints: [...c.departmentHints],
    active: c.active,
    aliases: [...c.aliases],
    fileCondition: c.fileCondition,
    closeCondition: c.closeCondition,
    gbCode: c.gbCode,
    codeOrigin: c.codeOrigin,
  };
}

function toVersion(v: CategoryVersionRow, rows: CategoryRow[]): CatalogueVersion {
  const defaults = json<Record<CategoryKind, TimeLimit[]>>(v.defaults);
  return {
    number: v.version,
    effectiveFrom: v.effective_at,
    note: v.note,
    defaults: {
      component: defaults.component.map(normalLimit),
      event: defaults.event.map(normalLimit),
      hotline: defaults.hotline.map(normalLimit),
    },
    categories: rows.map(toCategory),
  };
}

/**
 * The category catalogue (事项分类): immutable, numbered versions. New cases are filed under the newest version;
 * a case keeps the version it was filed under and resolves its category and time limits through it.
 *
 * Versions never change once written, so each is read once per process and kept. Which version is the newest is
 * asked of the database on every `current()` (one indexed row), so a version published by another server process
 * applies to the next case filed anywhere.
 */
export function createCategoryService(deps: { db: Kysely<DB>; clock: Clock; audit?: AuditService }) {
  const { db, clock } = deps;
  const cache = new Map<number, Promise<CatalogueVersion | undefined>>();

  function version(n: number): Promise<CatalogueVersion | undefined> {
    let p = cache.get(n);
    if (!p) {
      p = (async () => {
        const row = await categoryRepository.findVersion(db, n);
        return row ? toVersion(row, await categoryRepository.categories(db, n)) : undefined;
      })();
      // Failures and unknown numbers are not remembered: the version may exist on the next call.
      p.then(
        (v) => (v ? undefined : cache.delete(n)),
        () => cache.delete(n),
      );
      cache.set(n, p);
    }
    return p;
  }

  async function current(): Promise<CatalogueVersion> {
    const n = await categoryRepository.latestVersion(db);
    const v = n ? await version(n) : undefined;
    if (!v) throw new Error('no category catalogue version is loaded');
    return v;
  }

  async function all(): Promise<CatalogueVersion[]> {
    const rows = await categoryRepository.versions(db);
    const out: CatalogueVersion[] = [];
    for (const r of rows) {
      const v = await version(r.version);
      if (v) out.push(v);
    }
    return out;
  }

  function summaryOf(v: CatalogueVersion, previous: CatalogueVersion | undefined, latest: number) {
    const diff = previous ? diffCatalogues(previous, v) : { added: [], changed: [], removed: [] };
    return {
      version: v.number,
      effectiveAt: v.effectiveFrom.toISOString(),
      note: v.note,
      categories: v.categories.length,
      active: v.categories.filter((c) => c.active).length,
      added: diff.added.length,
      changed: diff.changed.length,
      removed: diff.removed.length,
      current: v.number === latest,
    } satisfies CatalogueVersionSummary;
  }

  async function view(n: number): Promise<CatalogueVersionView> {
    const v = await version(n);
    if (!v) throw new DomainError('resource.not_found', 'no such catalogue version', { version: n });
    const previous = n > 1 ? await version(n - 1) : undefined;
    const latest = await categoryRepository.latestVersion(db);
    return {
      ...summaryOf(v, previous, latest),
      defaults: {
        component: [...v.defaults.component],
        event: [...v.defaults.event],
        hotline: [...v.defaults.hotline],
      },
      items: v.categories.map(toItem),
    };
  }

  function node(c: Category) {
    return {
      code: c.code,
      kind: c.kind,
      level: c.level,
      name: c.nameZh,
      nameEn: c.nameEn,
      requiresVerification: c.requiresVerification,
      dispatchRule: c.dispatchRule,
    };
  }

  return {
    current,
    version,

    /** Forget every cached version (they are immutable, so this is only needed after tests rewrite tables). */
    invalidate(): void {
      cache.clear();
    },

    /** The current version's active categories as a tree (大类 → 小类 → hotline 三级). */
    async tree(actor: Actor): Promise<CategoryTree> {
      requirePermission(actor.principal, 'case.view');
      const v = await current();
      const active = v.categories.filter((c) => c.active);
      const childrenOf = new Map<string | null, Category[]>();
      for (const c of active) {
        const list = childrenOf.get(c.parentCode) ?? [];
        list.push(c);
        childrenOf.set(c.parentCode, list);
      }
      const items: CategoryNode[] = (childrenOf.get(null) ?? []).map((major) => ({
        ...node(major),
        children: (childrenOf.get(major.code) ?? []).map((minor) => ({
          ...node(minor),
          children: (childrenOf.get(minor.code) ?? []).map(node),
        })),
      }));
      return { version: v.number, items };
    },

    /** Version history, newest first. */
    async versions(actor: Actor, page: PageRequest) {
      requirePermission(actor.principal, 'case.view');
      const versions = await all();
      const latest = versions[versions.length - 1]?.number ?? 0;
      const summaries = versions.map((v, i) => summaryOf(v, versions[i - 1], latest)).reverse();
      const start = (page.page - 1) * page.pageSize;
      return { items: summaries.slice(start, start + page.pageSize), total: summaries.length, ...page };
    },

    /** One version as a flat list of categories with their own time limits, plus the version's defaults. */
    async getVersion(actor: Actor, n: number): Promise<CatalogueVersionView> {
      requirePermission(actor.principal, 'case.view');
      return view(n);
    },

    /**
     * Publishes version n+1: a copy of `basedOn` (which must still be the newest, else 409) with the changes
     * applied, validated as a whole, written with its audit entry in one transaction. Deactivating a category
     * deactivates its descendants.
     */
    async publish(actor: Actor, input: PublishCatalogueInput): Promise<CatalogueVersionView> {
      requirePermission(actor.principal, 'catalogue.manage');
      await requireSystemWide(db, actor.principal, 'catalogue');
      const base = await version(input.basedOn);
      if (!base) {
        throw new DomainError('validation.failed', 'unknown base version', { version: input.basedOn }, [
          { field: 'body.basedOn', reason: 'not_found', message: 'catalogue.version_not_found' },
        ]);
      }
      const applied = applyCatalogueChanges(base, input.changes);
      if (applied.issues.length) {
        throw new DomainError(
          'validation.failed',
          'invalid catalogue changes',
          applied.broken.length ? { codes: applied.broken.slice(0, 10).join(', ') } : {},
          applied.issues,
        );
      }
      const stale = (latest: number | null) =>
        new DomainError(
          'resource.conflict',
          'a newer catalogue version exists',
          { latest, basedOn: input.basedOn },
          [{ field: 'body.basedOn', reason: 'stale', message: 'catalogue.stale_base' }],
        );
      const publishing = db.transaction().execute(async (trx) => {
        const latest = await categoryRepository.latestVersion(trx, true);
        if (latest !== input.basedOn) throw stale(latest);
        const now = clock.now();
        const after = new Date(base.effectiveFrom.getTime() + 1);
        const next = createCatalogueVersion(base, applied.content, now > after ? now : after, input.note);
        await categoryRepository.insertVersion(
          trx,
          { version: next.number, effectiveAt: next.effectiveFrom, note: next.note, defaults: next.defaults },
          next.categories.map(toRow),
        );
        const diff = diffCatalogues(base, next);
        await deps.audit?.record(trx, actor, {
          action: 'category.version.publish',
          targetType: 'category_version',
          targetId: String(next.number),
          details: {
            basedOn: base.number,
            note: next.note,
            added: diff.added,
            changed: diff.changed.slice(0, 200),
            changedCount: diff.changed.length,
            cascaded: applied.cascaded.slice(0, 200),
          },
        });
        return next.number;
      });
      // Two administrators publishing on the same base at once: the second insert of version n+1 collides.
      const number = await publishing.catch((e: unknown) => {
        if ((e as { code?: string }).code === '23505') throw stale(null);
        throw e;
      });
      return view(number);
    },
  };
}

export type CategoryService = ReturnType<typeof createCategoryService>;
