import type { CatalogueChange, CatalogueItemInput } from '../../contracts/taxonomy.schema.ts';
import type { FieldIssue } from '../../domain/shared/domain-error.ts';
import type { TimeLimit } from '../../domain/sla/time-limit.ts';
import { catalogueIssues, diffCatalogues, type CatalogueContent } from '../../domain/taxonomy/catalogue.ts';
import type { Category } from '../../domain/taxonomy/category.ts';

/**
 * Applying an administrator's changes to a catalogue version: the next version's content, with every problem
 * named after the change (`body.changes.3.item.parentCode`) that caused it. Pure, so it is tested without a
 * database.
 */

export interface AppliedChanges {
  content: CatalogueContent;
  issues: FieldIssue[];
  /** Codes of categories that became inactive because an ancestor was deactivated. */
  cascaded: string[];
  /** Categories the changes did not touch that they made invalid (e.g. children of a changed parent). */
  broken: string[];
}

/** A time limit with its keys in one order, so that equal limits compare equal however they were stored. */
export function normalLimit(l: TimeLimit): TimeLimit {
  return { stage: l.stage, urgency: l.urgency, amount: l.amount, unit: l.unit };
}

const issue = (field: string, reason: string, message: string): FieldIssue => ({ field, reason, message });

function upserted(item: CatalogueItemInput, existing: Category | undefined): Category {
  const pick = <K extends keyof CatalogueItemInput, T>(
    key: K,
    fallback: T,
  ): NonNullable<CatalogueItemInput[K]> | T =>
    item[key] !== undefined ? (item[key] as NonNullable<CatalogueItemInput[K]>) : fallback;
  return {
    code: item.code,
    kind: item.kind,
    level: item.level,
    parentCode: item.parentCode,
    segment: item.code.slice(-2),
    nameZh: item.name,
    nameEn: item.nameEn !== undefined ? item.nameEn || null : (existing?.nameEn ?? null),
    aliases: pick('aliases', existing?.aliases ?? []),
    requiresVerification: pick(
      'requiresVerification',
      existing?.requiresVerification ?? item.kind !== 'hotline',
    ),
    dispatchRule: pick(
      'dispatchRule',
      existing?.dispatchRule ?? (item.kind === 'component' ? 'owner_first' : 'territory_first'),
    ),
    departmentHints: pick('departmentHints', existing?.departmentHints ?? []),
    timeLimits: item.timeLimits ? item.timeLimits.map(normalLimit) : (existing?.timeLimits ?? []),
    gbCode: existing?.gbCode ?? null,
    fileCondition:
      item.fileCondition !== undefined ? item.fileCondition || null : (existing?.fileCondition ?? null),
    closeCondition:
      item.closeCondition !== undefined ? item.closeCondition || null : (existing?.closeCondition ?? null),
    sourceLimits: existing?.sourceLimits ?? [],
    codeOrigin: existing?.codeOrigin ?? 'assigned',
    sources: existing?.sources ?? [],
    active: pick('active', existing?.active ?? true),
  };
}

/** Domain issue fields (`categories.N.x`) → the item field an administrator wrote, and a message key. */
function itemField(field: string, reason: string): { field: string; message: string } {
  const [, , name = '', ...rest] = field.split('.');
  const sub = rest.length ? `.${rest.join('.')}` : '';
  switch (name) {
    case 'code':
    case 'segment':
      return {
        field: 'code',
        message: reason === 'duplicate' ? 'catalogue.duplicate_code' : 'catalogue.code_format',
      };
    case 'parentCode':
      return {
        field: 'parentCode',
        message: reason === 'unknown' ? 'catalogue.parent_unknown' : 'catalogue.parent_invalid',
      };
    case 'level':
      return { field: 'level', message: 'catalogue.level_invalid' };
    case 'nameZh':
      return { field: 'name', message: 'required' };
    case 'timeLimits':
      return {
        field: `timeLimits${sub}`,
        message: reason === 'duplicate' ? 'catalogue.time_limit_duplicate' : 'catalogue.time_limit_invalid',
      };
    default:
      return { field: name, message: 'invalid_value' };
  }
}

export function applyCatalogueChanges(
  base: CatalogueContent,
  changes: readonly CatalogueChange[],
): AppliedChanges {
  const issues: FieldIssue[] = [];
  const byCode = new Map<string, Category>(base.categories.map((c) => [c.code, c]));
  /** code → index of the change that wrote it last. */
  const touchedBy = new Map<string, number>();
  /** Codes an upsert explicitly keeps or makes active. */
  const activated = new Set<string>();

  changes.forEach((ch, i) => {
    const code = ch.op === 'upsert' ? ch.item.code : ch.code;
    if (touchedBy.has(code)) {
      const at = ch.op === 'upsert' ? `body.changes.${i}.item.code` : `body.changes.${i}.code`;
      issues.push(issue(at, 'duplicate', 'catalogue.duplicate_change'));
      return;
    }
    if (ch.op === 'upsert') {
      const c = upserted(ch.item, byCode.get(code));
      byCode.set(code, c);
      if (c.active) activated.add(code);
    } else {
      const c = byCode.get(code);
      if (!c) {
        issues.push(issue(`body.changes.${i}.code`, 'not_found', 'category.not_found'));
        return;
      }
      byCode.set(code, { ...c, active: false });
    }
    touchedBy.set(code, i);
  });

  // A category under an inactive parent cannot stay active: deactivation cascades down, unless this very
  // request asked for the child to be active, which is a contradiction to report.
  const cascaded: string[] = [];
  const sorted = [...byCode.values()].sort(
    (a, b) => a.code.length - b.code.length || (a.code < b.code ? -1 : 1),
  );
  for (const c of sorted) {
    const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
    if (!parent || parent.active || !c.active) continue;
    const i = touchedBy.get(c.code);
    if (activated.has(c.code) && i !== undefined) {
      issues.push(issue(`body.changes.${i}.item.active`, 'parent_inactive', 'catalogue.parent_inactive'));
    } else {
      byCode.set(c.code, { ...c, active: false });
      cascaded.push(c.code);
    }
  }

  const categories = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const content: CatalogueContent = { defaults: base.defaults, categories };

  const untouched = new Set<string>();
  for (const d of catalogueIssues(content)) {
    const m = /^categories\.(\d+)\./.exec(d.field);
    const c = m ? categories[Number(m[1])] : undefined;
    const i = c ? touchedBy.get(c.code) : undefined;
    if (c && i !== undefined) {
      const f = itemField(d.field, d.reason);
      issues.push(issue(`body.changes.${i}.item.${f.field}`, d.reason, f.message));
    } else {
      untouched.add(c?.code ?? d.field);
    }
  }
  // With an unknown parent the level and code cannot be judged: report the parent alone.
  const orphan = new Set(
    issues
      .filter((i) => i.reason === 'unknown' && i.field.endsWith('.item.parentCode'))
      .map((i) => i.field.slice(0, -'parentCode'.length)),
  );
  const relevant = issues.filter(
    (i) =>
      !(
        /\.item\.(level|code)$/.test(i.field) &&
        orphan.has(i.field.replace(/(level|code)$/, '')) &&
        i.reason !== 'duplicate'
      ),
  );
  const indexOf = (f: string) => Number(/^body\.changes\.(\d+)/.exec(f)?.[1] ?? -1);
  issues.splice(0, issues.length, ...relevant.sort((a, b) => indexOf(a.field) - indexOf(b.field)));
  if (untouched.size) issues.push(issue('body.changes', 'breaks_other', 'catalogue.breaks_other'));
  if (!issues.length) {
    const diff = diffCatalogues(base, content);
    if (!diff.added.length && !diff.changed.length && !diff.removed.length) {
      issues.push(issue('body.changes', 'no_change', 'catalogue.no_change'));
    }
  }
  return { content, issues, cascaded, broken: [...untouched] };
}
