import { describe, expect, it } from 'vitest';
import { generateDemoDistrict } from '../region/demo-district.ts';
import { pointInPolygon } from '../geo/index.ts';
import { needsVerification } from './case-policy.ts';
import { caseStates, initialStates, transition, type CaseEvent } from './case-workflow.ts';
import { DEMO_CASE_DAYS, generateDemoCases } from './demo-cases.ts';

const now = new Date('2026-11-22T00:00:00Z');
// A small catalogue (the domain may not import the seed): 部件 and 事件 小类, with and without 核实, and hotline items.
const cat = (code: string, nameZh: string, requiresVerification = true, active = true) => ({
  code,
  kind: code.startsWith('BJ')
    ? ('component' as const)
    : code.startsWith('SJ')
      ? ('event' as const)
      : ('hotline' as const),
  level: code.length === 6 ? ('minor' as const) : ('item' as const),
  nameZh,
  requiresVerification,
  active,
});
const categorySeed = [
  cat('BJ0101', '上水井盖'),
  cat('BJ0118', '路灯'),
  cat('BJ0402', '行道树'),
  cat('BJ0203', '公交站亭', false),
  cat('SJ0102', '暴露垃圾'),
  cat('SJ0201', '非法小广告', false),
  cat('SJ0406', '道路积水'),
  cat('SJ0199', '其他市容环境问题'),
  cat('SJ0107', '废弃车辆', true, false),
  cat('RX010601', '园林绿化环卫', false),
  cat('RX010612', '燃气供应', false),
];
const district = generateDemoDistrict();
const departmentCodes = district.departments.map((d) => d.code);
const generate = () =>
  generateDemoCases({ now, grids: district.grids, categories: categorySeed, departmentCodes });
const cases = generate();
const categories = new Map(categorySeed.map((c) => [c.code, c]));
const grids = new Map(district.grids.map((g) => [g.code, g]));

describe('generateDemoCases', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(generate())).toBe(JSON.stringify(cases));
  });

  it('makes about 2,000 cases over the last 90 days, oldest first', () => {
    expect(cases).toHaveLength(2000);
    const from = now.getTime() - DEMO_CASE_DAYS * 86_400_000;
    for (const [i, c] of cases.entries()) {
      expect(c.index).toBe(i);
      expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(from);
      expect(c.createdAt.getTime()).toBeLessThan(now.getTime());
      if (i > 0) expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(cases[i - 1]!.createdAt.getTime());
    }
  });

  it('represents every state, most cases finished, open ones mostly in the last two weeks', () => {
    const byState = new Map<string, number>();
    for (const c of cases) byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
    for (const s of caseStates) expect(byState.get(s) ?? 0, s).toBeGreaterThan(0);
    const done = cases.filter((c) => ['closed', 'replied', 'voided', 'merged'].includes(c.state));
    expect(done.length / cases.length).toBeGreaterThan(0.6);
    const open = cases.filter((c) => !done.includes(c) && c.state !== 'suspended');
    const recent = open.filter((c) => now.getTime() - c.createdAt.getTime() < 14 * 86_400_000);
    expect(recent.length / open.length).toBeGreaterThan(0.8);
  });

  it('places every case inside its grid and uses active catalogue categories', () => {
    for (const c of cases) {
      expect(pointInPolygon(c.point, grids.get(c.gridCode)!.geometry)).toBe(true);
      expect(c.communityCode).toBe(grids.get(c.gridCode)!.communityCode);
      const category = categories.get(c.categoryCode);
      expect(category?.active).toBe(true);
      expect(category?.nameZh).not.toMatch(/^其他/);
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(0);
    }
    const kinds = new Set(cases.map((c) => categories.get(c.categoryCode)!.kind));
    expect(kinds).toEqual(new Set(['component', 'event', 'hotline']));
    expect(cases.filter((c) => c.urgency === 'normal').length / cases.length).toBeGreaterThan(0.7);
  });

  it('every path is valid per the workflow table, in time order, ending in the case state', () => {
    for (const c of cases) {
      const [first, ...rest] = c.events;
      expect(first!.event).toBe('create');
      expect(initialStates).toContain(first!.to);
      expect(first!.to).toBe(c.reporterRole === 'grid_worker' ? 'pending_filing' : 'reported');
      expect(first!.at.getTime()).toBe(c.createdAt.getTime());
      let state = first!.to;
      let at = first!.at.getTime();
      for (const e of rest) {
        expect(e.from).toBe(state);
        const res = transition(state, e.event as CaseEvent, e.role, e.payload);
        expect(res.ok, `${c.index}: ${state} --${e.event}/${e.role}-->`).toBe(true);
        if (res.ok) expect(res.to).toBe(e.to);
        if (e.event === 'register') {
          expect(needsVerification(categories.get(c.categoryCode)!, c.reporterRole)).toBe(false);
        }
        expect(e.at.getTime()).toBeGreaterThanOrEqual(at);
        expect(e.at.getTime()).toBeLessThanOrEqual(now.getTime());
        at = e.at.getTime();
        state = e.to;
      }
      expect(state).toBe(c.state);
      if (c.state === 'merged') expect(c.duplicateOf).toBeLessThan(c.index);
      else expect(c.duplicateOf).toBeNull();
    }
  });

  it('dispatched cases carry departments’ tasks with one lead', () => {
    for (const c of cases) {
      const dispatched = c.events.some((e) => e.event === 'dispatch' || e.event === 'co_dispatch');
      expect(c.tasks.length > 0).toBe(dispatched);
      if (dispatched) expect(c.tasks.filter((t) => t.lead && t.state !== 'cancelled')).toHaveLength(1);
      for (const t of c.tasks) expect(departmentCodes).toContain(t.departmentCode);
    }
  });
});
