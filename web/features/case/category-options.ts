import { categoryKinds, categoryLabel, type CategoryNode } from './case-model.ts';

export interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

/**
 * The category tree as cascader options: kind (部件/事件/热线) → 大类 → 小类. When the server's roots are
 * already the kinds (or carry no kind) the tree is used as is.
 */
export function categoryOptions(
  tree: readonly CategoryNode[],
  language: string,
  kindLabel: (kind: string) => string,
): CascaderOption[] {
  const convert = (node: CategoryNode): CascaderOption => ({
    value: node.code,
    label: categoryLabel(node, language),
    ...(node.children?.length ? { children: node.children.map(convert) } : {}),
  });
  const present = new Set(tree.map((n) => n.kind).filter((k): k is string => Boolean(k)));
  const kinds = [
    ...categoryKinds.filter((k) => present.has(k)),
    ...[...present].filter((k) => !(categoryKinds as readonly string[]).includes(k)),
  ];
  const rootsAreKinds = tree.every((n) => !n.kind || n.code === n.kind);
  if (kinds.length === 0 || rootsAreKinds) return tree.map(convert);
  return kinds.map((kind) => ({
    value: `kind:${kind}`,
    label: kindLabel(kind),
    children: tree.filter((n) => n.kind === kind).map(convert),
  }));
}

/** Flattens the tree to (code, label) pairs for a filter select. */
export function flatCategories(
  tree: readonly CategoryNode[],
  language: string,
  prefix = '',
): { value: string; label: string }[] {
  return tree.flatMap((node) => {
    const label = prefix ? `${prefix} / ${categoryLabel(node, language)}` : categoryLabel(node, language);
    return [{ value: node.code, label }, ...flatCategories(node.children ?? [], language, label)];
  });
}
