/** Editing a catalogue version in the browser: pending changes over the version's items (pure, unit-tested). */
import type {
  CatalogueChange,
  CatalogueItem,
  CatalogueItemInput,
} from '../../../src/contracts/taxonomy.schema.ts';
import type { SlaStage, TimeLimit, Urgency } from '../../../src/domain/sla/time-limit.ts';
import { kindPrefix, type CategoryKind } from '../../../src/domain/taxonomy/category.ts';

/** Pending edits by code: the whole item as it should be in the next version. */
export type Pending = ReadonlyMap<string, CatalogueItem>;

/** The version's items with the pending edits applied, in code order. */
export function effectiveItems(base: readonly CatalogueItem[], pending: Pending): CatalogueItem[] {
  const byCode = new Map(base.map((i) => [i.code, i]));
  for (const [code, item] of pending) byCode.set(code, item);
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The changes to send: one upsert per edited item. */
export function changesOf(pending: Pending): CatalogueChange[] {
  return [...pending.values()].map((i) => {
    const item: CatalogueItemInput = {
      code: i.code,
      kind: i.kind,
      parentCode: i.parentCode,
      level: i.level,
      name: i.name,
      nameEn: i.nameEn,
      dispatchRule: i.dispatchRule,
      requiresVerification: i.requiresVerification,
      timeLimits: i.timeLimits,
      departmentHints: i.departmentHints,
      active: i.active,
      aliases: i.aliases,
      fileCondition: i.fileCondition,
      closeCondition: i.closeCondition,
    };
    return { op: 'upsert', item };
  });
}

/** `body.changes.3.item.name` → the code of the 4th change and its field (`name`). */
export function issueTarget(
  field: string,
  changes: readonly CatalogueChange[],
): { code: string; field: string } | null {
  const m = /^body\.changes\.(\d+)(?:\.item)?\.?(.*)$/.exec(field);
  const change = m ? changes[Number(m[1])] : undefined;
  if (!m || !change) return null;
  return { code: change.op === 'upsert' ? change.item.code : change.code, field: m[2] ?? '' };
}

/** The next free two-digit code under a parent (or a kind's next major class), skipping 99 (其他). */
export function nextChildCode(
  items: readonly CatalogueItem[],
  parent: { code: string } | null,
  kind: CategoryKind,
): string | null {
  const prefix = parent ? parent.code : kindPrefix[kind];
  const used = new Set(
    items
      .filter((i) => i.code.length === prefix.length + 2 && i.code.startsWith(prefix))
      .map((i) => i.code.slice(-2)),
  );
  for (let n = 1; n <= 98; n++) {
    const seg = String(n).padStart(2, '0');
    if (!used.has(seg)) return prefix + seg;
  }
  return used.has('99') ? null : `${prefix}99`;
}

export function newChild(
  items: readonly CatalogueItem[],
  parent: CatalogueItem | null,
  kind: CategoryKind,
): CatalogueItem | null {
  const code = nextChildCode(items, parent, kind);
  if (!code) return null;
  return {
    code,
    kind,
    parentCode: parent?.code ?? null,
    level: !parent ? 'major' : parent.level === 'major' ? 'minor' : 'item',
    name: '',
    nameEn: null,
    dispatchRule: parent?.dispatchRule ?? (kind === 'component' ? 'owner_first' : 'territory_first'),
    requiresVerification: parent?.requiresVerification ?? kind !== 'hotline',
    timeLimits: [],
    departmentHints: [],
    active: true,
    aliases: [],
    fileCondition: null,
    closeCondition: null,
    gbCode: null,
    codeOrigin: 'assigned',
  };
}

/**
 * The limit that applies without the item's own: its nearest ancestor's, else the version default for its kind
 * (what the server's `timeLimitFor` does), with where it comes from.
 */
export function inheritedLimit(
  items: readonly CatalogueItem[],
  defaults: Readonly<Record<string, readonly TimeLimit[]>>,
  item: Pick<CatalogueItem, 'parentCode' | 'kind'>,
  stage: SlaStage,
  urgency: Urgency,
): { limit: TimeLimit; from: string } | null {
  const byCode = new Map(items.map((i) => [i.code, i]));
  for (let c = item.parentCode ? byCode.get(item.parentCode) : undefined; c;) {
    const own = c.timeLimits.find((l) => l.stage === stage && l.urgency === urgency);
    if (own) return { limit: own, from: c.code };
    c = c.parentCode ? byCode.get(c.parentCode) : undefined;
  }
  const d = defaults[item.kind]?.find((l) => l.stage === stage && l.urgency === urgency);
  return d ? { limit: d, from: 'default' } : null;
}

export interface TreeNode {
  key: string;
  item: CatalogueItem | null;
  kind: CategoryKind;
  children: TreeNode[];
}

/** Kind → 大类 → 小类 → 三级, with an optional text filter that keeps matching items and their ancestors. */
export function catalogueTree(items: readonly CatalogueItem[], filter = ''): TreeNode[] {
  const q = filter.trim().toLowerCase();
  const byParent = new Map<string | null, CatalogueItem[]>();
  for (const i of items) {
    const list = byParent.get(i.parentCode) ?? [];
    list.push(i);
    byParent.set(i.parentCode, list);
  }
  const matches = (i: CatalogueItem) =>
    !q ||
    i.code.toLowerCase().includes(q) ||
    i.name.toLowerCase().includes(q) ||
    (i.nameEn ?? '').toLowerCase().includes(q);
  const build = (i: CatalogueItem): TreeNode | null => {
    const children = (byParent.get(i.code) ?? []).map(build).filter((n): n is TreeNode => n !== null);
    if (!matches(i) && children.length === 0) return null;
    return { key: i.code, item: i, kind: i.kind, children };
  };
  return (['component', 'event', 'hotline'] as const).map((kind) => ({
    key: `kind:${kind}`,
    item: null,
    kind,
    children: (byParent.get(null) ?? [])
      .filter((i) => i.kind === kind)
      .map(build)
      .filter((n): n is TreeNode => n !== null),
  }));
}
