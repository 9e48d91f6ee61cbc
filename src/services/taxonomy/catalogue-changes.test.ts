import { describe, expect, it } from 'vitest';
import type { CatalogueChange } from '../../contracts/taxonomy.schema.ts';
import { findCategory, type CatalogueContent } from '../../domain/taxonomy/catalogue.ts';
import { categorySeed, defaultTimeLimits } from '../../db/seed/category-catalogue.ts';
import { applyCatalogueChanges } from './catalogue-changes.ts';

const base: CatalogueContent = { defaults: defaultTimeLimits, categories: categorySeed };
const fields = (changes: CatalogueChange[]) =>
  applyCatalogueChanges(base, changes).issues.map((i) => `${i.field}:${i.reason}`);

describe('applying catalogue changes', () => {
  it('adds a category and changes another, keeping what the change leaves out', () => {
    const { content, issues, cascaded } = applyCatalogueChanges(base, [
      {
        op: 'upsert',
        item: { code: 'BJ0199', kind: 'component', parentCode: 'BJ01', level: 'minor', name: '其他公用设施' },
      },
      {
        op: 'upsert',
        item: {
          code: 'BJ0101',
          kind: 'component',
          parentCode: 'BJ01',
          level: 'minor',
          name: '上水井盖',
          timeLimits: [{ stage: 'handle', urgency: 'normal', amount: 4, unit: 'natural_hours' }],
        },
      },
    ]);
    expect(issues).toEqual([]);
    expect(cascaded).toEqual([]);
    const added = findCategory(content, 'BJ0199')!;
    expect(added).toMatchObject({
      segment: '99',
      dispatchRule: 'owner_first',
      requiresVerification: true,
      active: true,
      codeOrigin: 'assigned',
    });
    const changed = findCategory(content, 'BJ0101')!;
    expect(changed.timeLimits).toEqual([
      { stage: 'handle', urgency: 'normal', amount: 4, unit: 'natural_hours' },
    ]);
    // Fields the change did not mention keep the based-on version's values.
    expect(changed.nameEn).toBe('Water supply manhole cover');
    expect(changed.fileCondition).toContain('井盖');
    expect(content.categories.length).toBe(base.categories.length + 1);
  });

  it('names each problem after the change and field that caused it', () => {
    expect(
      fields([
        {
          op: 'upsert',
          item: { code: 'BJ0198', kind: 'component', parentCode: 'BJ09', level: 'minor', name: 'x' },
        },
        {
          op: 'upsert',
          item: { code: 'BJ0197', kind: 'component', parentCode: 'BJ01', level: 'major', name: 'x' },
        },
        {
          op: 'upsert',
          item: { code: 'SJ0196', kind: 'event', parentCode: 'BJ01', level: 'minor', name: 'x' },
        },
        {
          op: 'upsert',
          item: {
            code: 'BJ0195',
            kind: 'component',
            parentCode: 'BJ01',
            level: 'minor',
            name: 'x',
            timeLimits: [
              { stage: 'handle', urgency: 'normal', amount: 1, unit: 'working_hours' },
              { stage: 'handle', urgency: 'normal', amount: 2, unit: 'working_hours' },
            ],
          },
        },
        { op: 'deactivate', code: 'BJ0999' },
        {
          op: 'upsert',
          item: { code: 'BJ0195', kind: 'component', parentCode: 'BJ01', level: 'minor', name: 'y' },
        },
        {
          op: 'upsert',
          item: { code: 'BJ019401', kind: 'component', parentCode: 'BJ0194', level: 'item', name: 'z' },
        },
      ]),
    ).toEqual(
      expect.arrayContaining([
        'body.changes.0.item.parentCode:unknown',
        'body.changes.1.item.level:invalid',
        'body.changes.2.item.parentCode:invalid',
        'body.changes.2.item.code:invalid_format',
        'body.changes.3.item.timeLimits.1:duplicate',
        'body.changes.4.code:not_found',
        'body.changes.5.item.code:duplicate',
        'body.changes.6.item.parentCode:unknown',
      ]),
    );
  });

  it('deactivating a category deactivates its children; re-activating a child under it is refused', () => {
    const { content, issues, cascaded } = applyCatalogueChanges(base, [{ op: 'deactivate', code: 'BJ01' }]);
    expect(issues).toEqual([]);
    expect(findCategory(content, 'BJ01')!.active).toBe(false);
    expect(cascaded).toContain('BJ0101');
    expect(findCategory(content, 'BJ0101')!.active).toBe(false);
    expect(findCategory(content, 'BJ0201')!.active).toBe(true);

    expect(
      fields([
        { op: 'deactivate', code: 'BJ01' },
        {
          op: 'upsert',
          item: {
            code: 'BJ0101',
            kind: 'component',
            parentCode: 'BJ01',
            level: 'minor',
            name: '上水井盖',
            active: true,
          },
        },
      ]),
    ).toEqual(['body.changes.1.item.active:parent_inactive']);
  });

  it('refuses changes that change nothing', () => {
    const same = categorySeed.find((c) => c.code === 'BJ0101')!;
    expect(
      fields([
        {
          op: 'upsert',
          item: {
            code: same.code,
            kind: same.kind,
            parentCode: same.parentCode,
            level: same.level,
            name: same.nameZh,
          },
        },
      ]),
    ).toEqual(['body.changes:no_change']);
  });
});
