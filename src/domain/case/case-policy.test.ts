import { describe, expect, it } from 'vitest';
import {
  defaultReopenWindowDays,
  dispatchTarget,
  initialState,
  needsVerification,
  reopenAllowed,
} from './case-policy.ts';

describe('case policy', () => {
  it('verifies reports unless the category skips it or an inspector reported it', () => {
    expect(needsVerification({ requiresVerification: true }, null)).toBe(true);
    expect(needsVerification({ requiresVerification: true }, 'intake_operator')).toBe(true);
    expect(needsVerification({ requiresVerification: true }, 'grid_worker')).toBe(false);
    expect(needsVerification({ requiresVerification: false }, null)).toBe(false);
    expect(initialState('grid_worker')).toBe('pending_filing');
    expect(initialState(null)).toBe('reported');
  });

  it('dispatches 部件 owner first, 事件 territory first, the district as fallback', () => {
    const all = { owner: 'water-co', territory: 'street-1', district: 'district' };
    expect(dispatchTarget('owner_first', all)).toEqual({ department: 'water-co', basis: 'owner' });
    expect(dispatchTarget('territory_first', all)).toEqual({ department: 'street-1', basis: 'territory' });
    expect(dispatchTarget('owner_first', { territory: 'street-1', district: 'd' })).toEqual({
      department: 'street-1',
      basis: 'territory',
    });
    expect(dispatchTarget('territory_first', { owner: 'water-co', territory: null, district: 'd' })).toEqual({
      department: 'water-co',
      basis: 'owner',
    });
    expect(dispatchTarget('territory_first', { district: 'd' })).toEqual({
      department: 'd',
      basis: 'district_fallback',
    });
  });

  it('reopens only unsatisfied or unresolved replies inside the window', () => {
    const at = new Date('2026-03-02T02:00:00Z');
    const day = 86_400_000;
    const within = new Date(at.getTime() + defaultReopenWindowDays * day);
    const after = new Date(within.getTime() + 1);
    expect(reopenAllowed({ at, resolved: true, satisfaction: 'unsatisfied' }, within)).toBe(true);
    expect(reopenAllowed({ at, resolved: false, satisfaction: 'basically_satisfied' }, within)).toBe(true);
    expect(reopenAllowed({ at, resolved: true, satisfaction: 'unsatisfied' }, after)).toBe(false);
    expect(reopenAllowed({ at, resolved: true, satisfaction: 'satisfied' }, at)).toBe(false);
    expect(reopenAllowed({ at, resolved: true, satisfaction: 'unsatisfied' }, after, 30)).toBe(true);
    expect(
      reopenAllowed({ at, resolved: false, satisfaction: 'unsatisfied' }, new Date(at.getTime() - 1)),
    ).toBe(false);
  });
});
