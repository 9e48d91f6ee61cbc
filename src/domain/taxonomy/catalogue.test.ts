import { describe, expect, it } from 'vitest';
import { isDomainError } from '../shared/domain-error.ts';
import { slaStages, urgencies } from '../sla/time-limit.ts';
import type { TimeLimit } from '../sla/time-limit.ts';
import { categoryCode, displayName } from './category.ts';
import type { Category } from './category.ts';
import {
  catalogueIssues,
  childrenOf,
  createCatalogueVersion,
  diffCatalogues,
  timeLimitFor,
  versionAt,
} from './catalogue.ts';
import type { CatalogueContent } from './catalogue.ts';

const matrix = (amount: number): TimeLimit[] =>
  slaStages.flatMap((stage) =>
    urgencies.map((urgency) => ({ stage, urgency, amount, unit: 'working_hours' as const })),
  );

const cat = (c: Partial<Category> & Pick<Category, 'code' | 'kind' | 'level' | 'segment'>): Category => ({
  parentCode: null,
  nameZh: '名称',
  nameEn: 'Name',
  aliases: [],
  requiresVerification: true,
  dispatchRule: c.kind === 'component' ? 'owner_first' : 'territory_first',
  departmentHints: [],
  timeLimits: [],
  gbCode: null,
  fileCondition: null,
  closeCondition: null,
  sourceLimits: [],
  codeOrigin: 'source',
  sources: [],
  active: true,
  ...c,
});

const content: CatalogueContent = {
  defaults: { component: matrix(8), event: matrix(8), hotline: matrix(24) },
  categories: [
    cat({ code: 'BJ01', kind: 'component', level: 'major', segment: '01', nameZh: '公用设施' }),
    cat({
      code: 'BJ0101',
      kind: 'component',
      level: 'minor',
      segment: '01',
      parentCode: 'BJ01',
      nameZh: '上水井盖',
      timeLimits: [{ stage: 'handle', urgency: 'normal', amount: 6, unit: 'natural_hours' }],
    }),
    cat({
      code: 'SJ01',
      kind: 'event',
      level: 'major',
      segment: '01',
      timeLimits: [{ stage: 'check', urgency: 'normal', amount: 2, unit: 'working_hours' }],
    }),
    cat({ code: 'SJ0102', kind: 'event', level: 'minor', segment: '02', parentCode: 'SJ01' }),
    cat({ code: 'RX01', kind: 'hotline', level: 'major', segment: '01', requiresVerification: false }),
    cat({ code: 'RX0101', kind: 'hotline', level: 'minor', segment: '01', parentCode: 'RX01' }),
    cat({
      code: 'RX010199',
      kind: 'hotline',
      level: 'item',
      segment: '99',
      parentCode: 'RX0101',
      nameEn: null,
    }),
  ],
};

describe('catalogue content', () => {
  it('accepts a well-formed catalogue', () => {
    expect(catalogueIssues(content)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const bad: CatalogueContent = {
      defaults: { ...content.defaults, hotline: matrix(24).slice(1) },
      categories: [
        ...content.categories,
        cat({ code: 'BJ0101', kind: 'component', level: 'minor', segment: '01', parentCode: 'BJ01' }),
        cat({ code: 'BJ0102', kind: 'component', level: 'minor', segment: '03', parentCode: 'BJ01' }),
        cat({ code: 'BJ0109', kind: 'component', level: 'minor', segment: '09', parentCode: 'BJ09' }),
        cat({ code: 'SJ0103', kind: 'event', level: 'minor', segment: '03', parentCode: 'BJ01' }),
        cat({ code: 'BJ010101', kind: 'component', level: 'item', segment: '01', parentCode: 'BJ0101' }),
        cat({ code: 'BJ011', kind: 'component', level: 'minor', segment: '1', parentCode: 'BJ01' }),
        cat({
          code: 'BJ0104',
          kind: 'component',
          level: 'minor',
          segment: '04',
          parentCode: 'BJ01',
          nameZh: ' ',
          timeLimits: [
            { stage: 'handle', urgency: 'normal', amount: 0, unit: 'working_hours' },
            { stage: 'handle', urgency: 'normal', amount: 1, unit: 'working_hours' },
          ],
        }),
      ],
    };
    const reasons = catalogueIssues(bad).map((i) => `${i.field}:${i.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'defaults.hotline:missing',
        'categories.7.code:duplicate',
        'categories.8.code:invalid_format',
        'categories.9.parentCode:unknown',
        'categories.10.parentCode:invalid',
        'categories.11.level:invalid',
        'categories.12.segment:invalid_format',
        'categories.13.nameZh:required',
        'categories.13.timeLimits.0:invalid',
        'categories.13.timeLimits.1:duplicate',
      ]),
    );
  });

  it('builds codes and display names', () => {
    expect(categoryCode('component', ['01', '02'])).toBe('BJ0102');
    expect(categoryCode('hotline', ['01', '02', '99'])).toBe('RX010299');
    expect(displayName({ nameZh: '其他', nameEn: null }, 'en')).toBe('其他');
    expect(displayName({ nameZh: '上水井盖', nameEn: 'Water supply manhole cover' }, 'en')).toBe(
      'Water supply manhole cover',
    );
    expect(childrenOf(content, null).map((c) => c.code)).toEqual(['BJ01', 'SJ01', 'RX01']);
  });
});

describe('time limit resolution', () => {
  it('takes the category own limit, then its ancestors, then the kind default', () => {
    expect(timeLimitFor(content, 'BJ0101', 'handle', 'normal')).toEqual({
      stage: 'handle',
      urgency: 'normal',
      amount: 6,
      unit: 'natural_hours',
    });
    expect(timeLimitFor(content, 'BJ0101', 'handle', 'urgent')?.amount).toBe(8);
    expect(timeLimitFor(content, 'SJ0102', 'check', 'normal')?.amount).toBe(2); // from 大类
    expect(timeLimitFor(content, 'RX010199', 'handle', 'complex')?.amount).toBe(24);
    expect(timeLimitFor(content, 'XX', 'handle', 'normal')).toBeUndefined();
  });
});

describe('catalogue versions', () => {
  const v1 = createCatalogueVersion(
    null,
    content,
    new Date('2026-01-01T00:00:00+08:00'),
    'default catalogue',
  );

  it('numbers versions and freezes them', () => {
    expect(v1.number).toBe(1);
    expect(Object.isFrozen(v1)).toBe(true);
    expect(Object.isFrozen(v1.categories[1]!.timeLimits[0])).toBe(true);
    expect(() => {
      (v1.categories as Category[]).push(v1.categories[0]!);
    }).toThrow();
  });

  it('snapshots the content: editing the source afterwards does not change the version', () => {
    const draft = structuredClone(content) as {
      defaults: CatalogueContent['defaults'];
      categories: Category[];
    };
    const v = createCatalogueVersion(null, draft, new Date('2026-01-01'));
    draft.categories[0]!.nameZh = '改名';
    expect(v.categories[0]!.nameZh).toBe('公用设施');
  });

  it('a case keeps its version: lookups by filing time find the version then in force', () => {
    const edited: CatalogueContent = {
      ...content,
      categories: content.categories.map((c) =>
        c.code === 'BJ0101'
          ? { ...c, timeLimits: [{ stage: 'handle', urgency: 'normal', amount: 4, unit: 'natural_hours' }] }
          : c,
      ),
    };
    const v2 = createCatalogueVersion(
      v1,
      edited,
      new Date('2026-06-01T00:00:00+08:00'),
      'shorter 井盖 limit',
    );
    expect(v2.number).toBe(2);
    const versions = [v1, v2];
    expect(versionAt(versions, new Date('2025-12-31T00:00:00+08:00'))).toBeUndefined();
    expect(versionAt(versions, new Date('2026-03-01T00:00:00+08:00'))?.number).toBe(1);
    expect(versionAt(versions, new Date('2026-06-01T00:00:00+08:00'))?.number).toBe(2);
    const filedUnder = 1;
    const v = versions.find((x) => x.number === filedUnder)!;
    expect(timeLimitFor(v, 'BJ0101', 'handle', 'normal')?.amount).toBe(6);
    expect(timeLimitFor(v2, 'BJ0101', 'handle', 'normal')?.amount).toBe(4);
    expect(diffCatalogues(v1, v2)).toEqual({
      added: [],
      removed: [],
      changed: ['BJ0101'],
      defaultsChanged: [],
    });
  });

  it('refuses an invalid catalogue or an effective time not after the previous one', () => {
    const fail = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (e) {
        return isDomainError(e) ? e.issues.map((i) => i.field) : null;
      }
    };
    expect(fail(() => createCatalogueVersion(v1, content, v1.effectiveFrom))).toEqual(['effectiveFrom']);
    expect(
      fail(() =>
        createCatalogueVersion(
          null,
          { ...content, categories: [...content.categories, content.categories[0]!] },
          new Date(),
        ),
      ),
    ).toEqual(['categories.7.code']);
  });

  it('diffs added, removed and default changes', () => {
    const other: CatalogueContent = {
      defaults: { ...content.defaults, event: matrix(9) },
      categories: [
        ...content.categories.filter((c) => c.code !== 'RX010199'),
        cat({ code: 'BJ0102', kind: 'component', level: 'minor', segment: '02', parentCode: 'BJ01' }),
      ],
    };
    expect(diffCatalogues(content, other)).toEqual({
      added: ['BJ0102'],
      removed: ['RX010199'],
      changed: [],
      defaultsChanged: ['event'],
    });
  });
});
