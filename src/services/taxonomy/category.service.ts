import type { Kysely } from 'kysely';
import type { CategoryNode, CategoryTree } from '../../contracts/case.schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { TimeLimit } from '../../domain/sla/time-limit.ts';
import { versionAt, type CatalogueVersion } from '../../domain/taxonomy/catalogue.ts';
import type { Category, CategoryKind } from '../../domain/taxonomy/category.ts';
import { categoryRepository } from '../../db/repositories/category.repository.ts';
import type { CategoryRow, DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission } from '../scope/scope-guard.ts';

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
    timeLimits: json<TimeLimit[]>(r.time_limits),
    gbCode: d.gbCode ?? null,
    fileCondition: d.fileCondition ?? null,
    closeCondition: d.closeCondition ?? null,
    sourceLimits: d.sourceLimits ?? [],
    codeOrigin: d.codeOrigin ?? 'assigned',
    sources: d.sources ?? [],
    active: r.active,
  };
}

/**
 * The category catalogue (事项分类) as stored: immutable versions, read once per process and cached. A case
 * resolves its category and time limits through the version it was created under.
 */
export function createCategoryService(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps;
  let cache: Promise<CatalogueVersion[]> | null = null;

  function load(): Promise<CatalogueVersion[]> {
    cache ??= (async () => {
      const out: CatalogueVersion[] = [];
      for (const v of await categoryRepository.versions(db)) {
        const rows = await categoryRepository.categories(db, v.version);
        out.push({
          number: v.version,
          effectiveFrom: v.effective_at,
          note: v.note,
          defaults: json<Record<CategoryKind, TimeLimit[]>>(v.defaults),
          categories: rows.map(toCategory),
        });
      }
      return out;
    })().catch((e: unknown) => {
      cache = null;
      throw e;
    });
    return cache;
  }

  async function current(): Promise<CatalogueVersion> {
    const versions = await load();
    const v = versionAt(versions, clock.now()) ?? versions[versions.length - 1];
    if (!v) throw new Error('no category catalogue version is loaded');
    return v;
  }

  async function version(n: number): Promise<CatalogueVersion | undefined> {
    return (await load()).find((v) => v.number === n);
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

    /** Forget the cache after an administrator publishes a version. */
    invalidate(): void {
      cache = null;
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
  };
}

export type CategoryService = ReturnType<typeof createCategoryService>;
