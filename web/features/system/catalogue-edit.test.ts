import { describe, expect, it } from 'vitest';
import type { CatalogueItem } from '../../../src/contracts/taxonomy.schema.ts';
import {
  catalogueTree,
  changesOf,
  effectiveItems,
  inheritedLimit,
  issueTarget,
  newChild,
  nextChildCode,
} from './catalogue-edit.ts';

const base = (over: Partial<CatalogueItem> & Pick<CatalogueItem, 'code'>): CatalogueItem => ({
  kind: 'component',
  parentCode: null,
  level: 'major',
  name: '名称',
  nameEn: null,
  dispatchRule: 'owner_first',
  requiresVerification: true,
  timeLimits: [],
  departmentHints: [],
  active: true,
  aliases: [],
  fileCondition: null,
  closeCondition: null,
  gbCode: null,
  codeOrigin: 'source',
  ...over,
});

const items: CatalogueItem[] = [
  base({
    code: 'BJ01',
    name: '公用设施',
    timeLimits: [{ stage: 'handle', urgency: 'normal', amount: 2, unit: 'working_days' }],
  }),
  base({ code: 'BJ0101', parentCode: 'BJ01', level: 'minor', name: '上水井盖' }),
  base({ code: 'BJ0102', parentCode: 'BJ01', level: 'minor', name: '污水井盖' }),
  base({ code: 'SJ01', kind: 'event', name: '市容环境', dispatchRule: 'territory_first' }),
];

describe('catalogue editing', () => {
  it('applies pending edits and turns them into upserts', () => {
    const edited = { ...items[1]!, name: '供水井盖' };
    const pending = new Map([[edited.code, edited]]);
    expect(effectiveItems(items, pending).find((i) => i.code === 'BJ0101')?.name).toBe('供水井盖');
    const [change] = changesOf(pending);
    expect(change).toMatchObject({
      op: 'upsert',
      item: { code: 'BJ0101', name: '供水井盖', parentCode: 'BJ01' },
    });
    expect(issueTarget('body.changes.0.item.timeLimits.1', [change!])).toEqual({
      code: 'BJ0101',
      field: 'timeLimits.1',
    });
    expect(issueTarget('body.note', [change!])).toBeNull();
  });

  it('numbers new children and inherits the parent rule', () => {
    expect(nextChildCode(items, items[0]!, 'component')).toBe('BJ0103');
    expect(nextChildCode(items, null, 'component')).toBe('BJ02');
    const child = newChild(items, items[3]!, 'event')!;
    expect(child).toMatchObject({
      code: 'SJ0101',
      level: 'minor',
      dispatchRule: 'territory_first',
      parentCode: 'SJ01',
    });
  });

  it('finds the inherited limit: the parent first, then the default', () => {
    const defaults = {
      component: [{ stage: 'handle', urgency: 'normal', amount: 3, unit: 'working_days' }],
    } as const;
    expect(inheritedLimit(items, defaults, items[1]!, 'handle', 'normal')).toEqual({
      limit: { stage: 'handle', urgency: 'normal', amount: 2, unit: 'working_days' },
      from: 'BJ01',
    });
    expect(inheritedLimit(items, defaults, items[0]!, 'handle', 'normal')?.from).toBe('default');
    expect(inheritedLimit(items, defaults, items[0]!, 'check', 'normal')).toBeNull();
  });

  it('builds the tree by kind and filters it keeping ancestors', () => {
    const tree = catalogueTree(items);
    expect(tree.map((n) => n.key)).toEqual(['kind:component', 'kind:event', 'kind:hotline']);
    expect(tree[0]!.children[0]!.children.map((n) => n.key)).toEqual(['BJ0101', 'BJ0102']);
    const filtered = catalogueTree(items, '污水');
    expect(filtered[0]!.children[0]!.children.map((n) => n.key)).toEqual(['BJ0102']);
    expect(filtered[1]!.children).toEqual([]);
  });
});
