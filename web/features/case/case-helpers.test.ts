import { describe, expect, it } from 'vitest';
import { worklistsOf, type CategoryNode } from './case-model.ts';
import { categoryOptions, flatCategories } from './category-options.ts';
import { csvCell, toCsv } from './csv.ts';

const tree: CategoryNode[] = [
  {
    code: 'RX01',
    kind: 'hotline',
    name: '城乡建设',
    children: [{ code: 'RX0101', kind: 'hotline', name: '供水' }],
  },
  {
    code: 'BJ01',
    kind: 'component',
    name: '公用设施',
    nameEn: 'Public utilities',
    children: [{ code: 'BJ0101', kind: 'component', name: '上水井盖', children: [] }],
  },
];

describe('categoryOptions', () => {
  it('groups the roots by kind, in the catalogue order of kinds', () => {
    const options = categoryOptions(tree, 'zh-CN', (k) => `kind:${k}`);
    expect(options.map((o) => o.value)).toEqual(['kind:component', 'kind:hotline']);
    expect(options[0]!.children![0]!.children![0]).toEqual({ value: 'BJ0101', label: '上水井盖' });
  });

  it('uses English names when present', () => {
    expect(categoryOptions(tree, 'en', String)[0]!.children![0]!.label).toBe('Public utilities');
  });

  it('flattens the tree with path labels', () => {
    expect(flatCategories(tree, 'zh-CN')).toContainEqual({ value: 'RX0101', label: '城乡建设 / 供水' });
  });
});

describe('worklistsOf', () => {
  it('prefers the keys the server counted', () => {
    expect(worklistsOf('handler', { counts: { overdue: 1, to_handle: 0 } })).toEqual([
      'to_handle',
      'overdue',
    ]);
  });
  it('guesses from the role before the counts arrive', () => {
    expect(worklistsOf('grid_worker')).toEqual(['verifying', 'pending_check', 'overdue']);
  });
});

describe('csv', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(toCsv(['x', 'y'], [[1, null]])).toBe('x,y\r\n1,');
  });
});
