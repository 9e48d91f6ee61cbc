/**
 * Catalogue versions: an administrator edits categories and time limits by publishing a new version, an
 * immutable snapshot with a number and an effective time. A case keeps the version number it was filed under
 * and always resolves its category and limits through that version.
 */
import { isValidTimeLimit, slaStages, urgencies } from '../sla/time-limit.ts';
import type { SlaStage, TimeLimit, Urgency } from '../sla/time-limit.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { FieldIssue } from '../shared/domain-error.ts';
import { categoryKinds, isSegment, kindPrefix, levelOfDepth } from './category.ts';
import type { Category, CategoryKind } from './category.ts';

export interface CatalogueContent {
  /** Per kind, the complete stage × urgency matrix used where a category sets nothing. */
  defaults: Readonly<Record<CategoryKind, readonly TimeLimit[]>>;
  categories: readonly Category[];
}

export interface CatalogueVersion extends CatalogueContent {
  readonly number: number;
  readonly effectiveFrom: Date;
  readonly note: string;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function issue(field: string, reason: string, message: string): FieldIssue {
  return { field, reason, message };
}

/** Every problem in a catalogue's content, all at once (empty when valid). */
export function catalogueIssues(content: CatalogueContent): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const kind of categoryKinds) {
    const limits = content.defaults[kind] ?? [];
    for (const stage of slaStages) {
      for (const urgency of urgencies) {
        const n = limits.filter((l) => l.stage === stage && l.urgency === urgency).length;
        if (n !== 1) {
          issues.push(
            issue(
              `defaults.${kind}`,
              n ? 'duplicate' : 'missing',
              `${kind} ${stage}/${urgency}: ${n} defaults`,
            ),
          );
        }
      }
    }
    limits.forEach((l, i) => {
      if (!isValidTimeLimit(l)) issues.push(issue(`defaults.${kind}.${i}`, 'invalid', 'invalid time limit'));
    });
  }
  const byCode = new Map<string, Category>();
  content.categories.forEach((c, i) => {
    if (byCode.has(c.code))
      issues.push(issue(`categories.${i}.code`, 'duplicate', `duplicate code ${c.code}`));
    byCode.set(c.code, c);
  });
  content.categories.forEach((c, i) => {
    const at = `categories.${i}`;
    const parent = c.parentCode === null ? undefined : byCode.get(c.parentCode);
    const depth = parent ? (parent.level === 'major' ? 2 : 3) : 1;
    if (c.parentCode !== null && !parent) {
      issues.push(issue(`${at}.parentCode`, 'unknown', `${c.code}: unknown parent ${c.parentCode}`));
    } else if (parent && (parent.kind !== c.kind || parent.level === 'item')) {
      issues.push(issue(`${at}.parentCode`, 'invalid', `${c.code}: parent ${c.parentCode} cannot hold it`));
    }
    if (!isSegment(c.segment)) issues.push(issue(`${at}.segment`, 'invalid_format', `${c.code}: 2 digits`));
    if (c.level !== levelOfDepth(depth)) issues.push(issue(`${at}.level`, 'invalid', `${c.code}: level`));
    if (c.kind !== 'hotline' && c.level === 'item') {
      issues.push(issue(`${at}.level`, 'invalid', `${c.code}: only hotline items have a third level`));
    }
    if (c.code !== (parent ? parent.code : kindPrefix[c.kind]) + c.segment) {
      issues.push(issue(`${at}.code`, 'invalid_format', `${c.code}: must be parent code + segment`));
    }
    if (!c.nameZh.trim()) issues.push(issue(`${at}.nameZh`, 'required', `${c.code}: Chinese name required`));
    const seen = new Set<string>();
    c.timeLimits.forEach((l, j) => {
      const key = `${l.stage}/${l.urgency}`;
      if (!isValidTimeLimit(l)) issues.push(issue(`${at}.timeLimits.${j}`, 'invalid', `${c.code}: ${key}`));
      if (seen.has(key)) issues.push(issue(`${at}.timeLimits.${j}`, 'duplicate', `${c.code}: ${key} twice`));
      seen.add(key);
    });
  });
  return issues;
}

/**
 * The next version after `previous` (null for the first): validated, numbered, deep-frozen. Its effective
 * time must be later than the previous version's, so versions never overlap.
 */
export function createCatalogueVersion(
  previous: CatalogueVersion | null,
  content: CatalogueContent,
  effectiveFrom: Date,
  note = '',
): CatalogueVersion {
  const issues = catalogueIssues(content);
  if (previous && effectiveFrom.getTime() <= previous.effectiveFrom.getTime()) {
    issues.push(issue('effectiveFrom', 'too_early', 'must be later than the previous version'));
  }
  if (issues.length) throw new DomainError('validation.failed', 'invalid catalogue', {}, issues);
  const copy = structuredClone({ defaults: content.defaults, categories: content.categories });
  return deepFreeze({
    number: previous ? previous.number + 1 : 1,
    effectiveFrom: new Date(effectiveFrom.getTime()),
    note,
    ...copy,
  });
}

/** The version in force at `at`: the latest one whose effective time is not after it. */
export function versionAt(versions: readonly CatalogueVersion[], at: Date): CatalogueVersion | undefined {
  let best: CatalogueVersion | undefined;
  for (const v of versions) {
    if (v.effectiveFrom.getTime() <= at.getTime() && (!best || v.number > best.number)) best = v;
  }
  return best;
}

/** Categories by code, per catalogue content (never changed once built: edits make new versions). */
const byCode = new WeakMap<readonly Category[], Map<string, Category>>();

export function findCategory(version: CatalogueContent, code: string): Category | undefined {
  let index = byCode.get(version.categories);
  if (!index) {
    index = new Map();
    for (const c of version.categories) if (!index.has(c.code)) index.set(c.code, c);
    byCode.set(version.categories, index);
  }
  return index.get(code);
}

export function childrenOf(version: CatalogueContent, parentCode: string | null): Category[] {
  return version.categories.filter((c) => c.parentCode === parentCode);
}

/**
 * The limit that applies to a category at one stage and urgency: its own, else its nearest ancestor's, else the
 * version's default for its kind. Undefined only for an unknown code.
 */
export function timeLimitFor(
  version: CatalogueContent,
  code: string,
  stage: SlaStage,
  urgency: Urgency,
): TimeLimit | undefined {
  const start = findCategory(version, code);
  if (!start) return undefined;
  for (
    let c: Category | undefined = start;
    c;
    c = c.parentCode ? findCategory(version, c.parentCode) : undefined
  ) {
    const own = c.timeLimits.find((l) => l.stage === stage && l.urgency === urgency);
    if (own) return own;
  }
  return version.defaults[start.kind].find((l) => l.stage === stage && l.urgency === urgency);
}

export interface CatalogueDiff {
  added: string[];
  removed: string[];
  changed: string[];
  defaultsChanged: CategoryKind[];
}

/** What changed between two versions, by category code (for the admin's review before publishing). */
export function diffCatalogues(from: CatalogueContent, to: CatalogueContent): CatalogueDiff {
  const a = new Map(from.categories.map((c) => [c.code, c]));
  const b = new Map(to.categories.map((c) => [c.code, c]));
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
    changed: [...b.keys()].filter((k) => a.has(k) && !same(a.get(k), b.get(k))),
    defaultsChanged: categoryKinds.filter((k) => !same(from.defaults[k], to.defaults[k])),
  };
}
