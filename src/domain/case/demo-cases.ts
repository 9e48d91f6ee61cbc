/**
 * Synthetic cases for the demo district 示范区: about 2,000 cases over the 90 days before `now`, in every
 * workflow state, each with a timeline that walks the transition table from an initial state to its final
 * state with realistic gaps, so that every list, worklist, map and chart has something to show.
 * Deterministic: the same inputs and seed give the same cases; nothing here reads the clock or Math.random.
 */
import { bboxOf, pointInPolygon, type Polygon, type Position } from '../geo/index.ts';
import type { Role } from '../identity/role.ts';
import type { Urgency } from '../sla/time-limit.ts';
import { needsVerification } from './case-policy.ts';
import {
  next,
  ruleOf,
  type CaseEvent,
  type CaseState,
  type Satisfaction,
  type TransitionPayload,
} from './case-workflow.ts';
import { mulberry32, pick, type Rand } from '../shared/prng.ts';

export const DEMO_CASE_COUNT = 2000;
export const DEMO_CASE_DAYS = 90;
const DEMO_CASE_SEED = 0x0c45e5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type DemoChannel = 'hotline' | 'patrol' | 'web' | 'sensor' | 'api';

export interface DemoCaseCategory {
  code: string;
  kind: 'component' | 'event' | 'hotline';
  level: 'major' | 'minor' | 'item';
  nameZh: string;
  requiresVerification: boolean;
  active: boolean;
}

export interface DemoCaseGrid {
  code: string;
  communityCode: string;
  name: string;
  geometry: Polygon;
  /** When given, grids are drawn in proportion to their area (edge slivers get few cases). */
  areaM2?: number;
}

export interface DemoCaseEvent {
  at: Date;
  role: Role;
  event: CaseEvent | 'create';
  from: CaseState | null;
  to: CaseState;
  comment: string | null;
  /** As the transition requires; departments are demo department codes (the loader maps them to ids). */
  payload: TransitionPayload;
}

export interface DemoCaseTask {
  departmentCode: string;
  state: 'dispatched' | 'accepted' | 'returned' | 'done' | 'rework' | 'cancelled';
  lead: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoCase {
  /** Position in creation order (0-based); `duplicateOf` refers to an earlier one. */
  index: number;
  createdAt: Date;
  categoryCode: string;
  urgency: Urgency;
  channel: DemoChannel;
  title: string;
  description: string;
  address: string;
  point: Position;
  gridCode: string;
  communityCode: string;
  reporterRole: Role;
  reporterName: string | null;
  reporterPhone: string | null;
  suggestedDepartmentCode: string;
  state: CaseState;
  events: DemoCaseEvent[];
  tasks: DemoCaseTask[];
  duplicateOf: number | null;
}

export interface DemoCaseOptions {
  now: Date;
  grids: readonly DemoCaseGrid[];
  categories: readonly DemoCaseCategory[];
  /** Demo department codes that may receive dispatches; CGW is the district fallback. */
  departmentCodes: readonly string[];
  count?: number;
  seed?: number;
}

const between = (rand: Rand, lo: number, hi: number) => lo + rand() * (hi - lo);
function weighted<T extends string>(rand: Rand, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let x = rand() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    x -= w;
    if (x < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

/** Final-state mix: most cases finished and replied; open states mostly recent (see `ageDays`). */
const targetWeights: Readonly<Record<CaseState, number>> = {
  reported: 2,
  verifying: 1.5,
  pending_filing: 2,
  filed: 2,
  dispatched: 3,
  returned: 1,
  in_progress: 7,
  extension_pending: 1,
  suspension_pending: 0.8,
  suspended: 1.2,
  pending_check: 3,
  rework: 1,
  pending_close: 2,
  closed: 6,
  replied: 60,
  reopened: 0.8,
  voided: 3,
  merged: 2,
};

/** How old a case with this final state is, in days: open states concentrate in the last two weeks. */
function ageDays(rand: Rand, target: CaseState): number {
  switch (target) {
    case 'reported':
    case 'verifying':
    case 'pending_filing':
    case 'filed':
      return between(rand, 0.02, 1.5);
    case 'dispatched':
    case 'returned':
      return between(rand, 0.1, 3);
    case 'in_progress':
    case 'extension_pending':
    case 'suspension_pending':
    case 'pending_check':
    case 'rework':
    case 'pending_close':
      return rand() < 0.9 ? between(rand, 0.3, 14) : between(rand, 14, 40);
    case 'closed':
      return rand() < 0.85 ? between(rand, 0.5, 10) : between(rand, 10, DEMO_CASE_DAYS);
    case 'reopened':
      return between(rand, 5, 30);
    case 'suspended':
      return between(rand, 3, DEMO_CASE_DAYS);
    default:
      return between(rand, 0.02, DEMO_CASE_DAYS);
  }
}

/** Common 部件/事件 小类 that make up most of real intake. */
const commonCodes = [
  'SJ0102', 'SJ0103', 'SJ0104', 'SJ0108', 'SJ0110', 'SJ0112', 'SJ0156', 'SJ0161', 'SJ0201', 'SJ0202',
  'SJ0302', 'SJ0304', 'SJ0352', 'SJ0404', 'SJ0406', 'SJ0501', 'SJ0504', 'BJ0101', 'BJ0102', 'BJ0103',
  'BJ0104', 'BJ0118', 'BJ0203', 'BJ0209', 'BJ0211', 'BJ0212', 'BJ0305', 'BJ0307', 'BJ0402', 'BJ0405',
  'BJ0407', 'BJ0301',
]; // prettier-ignore

/** Mirrors the demo responsibility list: owners for BJ02/BJ04/SJ04, the urban-management commission otherwise. */
export function demoSuggestedDepartment(categoryCode: string): string {
  if (categoryCode.startsWith('BJ02')) return 'JTW';
  if (categoryCode.startsWith('BJ04')) return 'YLLHJ';
  if (categoryCode.startsWith('SJ04')) return 'YJGLJ';
  return 'CGW';
}

const roads = [
  '翠柳路',
  '青年路',
  '光华街',
  '安华里',
  '金台路',
  '枫林大街',
  '湖滨路',
  '建设巷',
  '胜利街',
  '和平里',
];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const componentProblems = ['破损', '缺失', '松动移位', '污损', '倾斜', '损坏无法使用'];
const componentDescriptions = [
  '{addr}的{name}{problem}，存在安全隐患，请尽快处置。',
  '巡查发现{addr}{name}{problem}，已拍照取证。',
  '{addr}附近{name}{problem}，影响行人和车辆通行。',
];
const eventDescriptions = [
  '巡查发现{addr}存在{name}问题，现场已拍照取证，请相关部门处置。',
  '{addr}{name}，影响市容环境，群众反映较多。',
  '{addr}附近发现{name}情况，持续时间较长，需要尽快处理。',
];
const hotlineDescriptions = [
  '市民来电反映：{addr}{name}方面的问题，希望相关部门尽快解决并回复。',
  '来电人称{addr}存在{name}问题，多次反映未解决，要求处理。',
  '市民来电咨询并反映{addr}{name}相关问题，请核实处理。',
];

const reasons: Partial<Record<CaseEvent, readonly string[]>> = {
  void: ['重复上报且信息不全', '不属于受理范围', '现场核实问题不存在'],
  return: ['不属于本单位职责范围', '权属不清，请重新派遣'],
  reject_return: ['经核实属于该单位职责，请继续处置'],
  request_extension: ['需协调施工队伍，申请延期', '材料采购需要时间'],
  reject_extension: ['处置难度不大，请按时完成'],
  request_suspension: ['涉及历史遗留问题，需统筹解决', '待专项整治统一处理'],
  reject_suspension: ['不符合挂账条件，请继续处置'],
  verify_fail: ['现场未发现所述问题'],
  check_fail: ['现场问题仍未完全解决', '处置不彻底，仍有残留'],
  reject_close: ['处置结果与立案描述不符'],
  reopen: ['群众表示问题未解决，要求重新处理'],
};

interface Walk {
  state: CaseState;
  t: number;
  events: DemoCaseEvent[];
}

/** Gap before each event, in hours (before scaling to the time available). */
function gapHours(rand: Rand, event: CaseEvent, urgency: Urgency): number {
  const fast = urgency === 'emergency' ? 0.2 : urgency === 'urgent' ? 0.5 : 1;
  switch (event) {
    case 'send_to_verify':
    case 'register':
      return between(rand, 0.05, 1) * fast;
    case 'verify_ok':
    case 'verify_fail':
      return between(rand, 0.5, 8) * fast;
    case 'file':
      return between(rand, 0.1, 2) * fast;
    case 'dispatch':
    case 'co_dispatch':
    case 'reject_return':
      return between(rand, 0.2, 3) * fast;
    case 'accept':
      return between(rand, 0.3, 6) * fast;
    case 'return':
      return between(rand, 1, 10);
    case 'handle':
      return between(rand, 3, urgency === 'complex' ? 240 : 72) * fast;
    case 'request_extension':
    case 'request_suspension':
      return between(rand, 12, 60);
    case 'approve_extension':
    case 'reject_extension':
    case 'approve_suspension':
    case 'reject_suspension':
      return between(rand, 1, 10);
    case 'resume':
      return between(rand, 72, 480);
    case 'check_pass':
    case 'check_fail':
      return between(rand, 1, 24) * fast;
    case 'close':
    case 'reject_close':
      return between(rand, 0.5, 8);
    case 'reply':
      return between(rand, 2, 48);
    case 'reopen':
      return between(rand, 4, 120);
    case 'supervise':
      return between(rand, 2, 24);
    default:
      return between(rand, 0.5, 4);
  }
}

/** Roles that send each event: the first role the table lists. */
function roleOf(from: CaseState, event: CaseEvent): Role {
  const rule = ruleOf(from, event);
  if (!rule) throw new Error(`demo cases: no transition ${from} --${event}-->`);
  return rule.roles[0]!;
}

/**
 * Generates the demo cases, oldest first. Every case's events follow the transition table: the first event
 * creates it in an initial state, each later one is a row of the table sent by a role the row allows.
 */
export function generateDemoCases(opts: DemoCaseOptions): DemoCase[] {
  const rand = mulberry32(opts.seed ?? DEMO_CASE_SEED);
  const now = opts.now.getTime();
  const count = opts.count ?? DEMO_CASE_COUNT;
  const grids = opts.grids;
  const usable = opts.categories.filter((c) => c.active && !/^其他|其它/.test(c.nameZh));
  const byCode = new Map(usable.map((c) => [c.code, c]));
  const common = commonCodes.map((c) => byCode.get(c)).filter((c): c is DemoCaseCategory => !!c);
  const minors = usable.filter((c) => c.kind !== 'hotline' && c.level === 'minor');
  const hotline = usable.filter((c) => c.kind === 'hotline' && c.level === 'item');
  if (!grids.length || !minors.length) return [];
  const departments = opts.departmentCodes.length ? opts.departmentCodes : ['CGW'];

  // Draw targets and ages first, then order by creation time so that a merged case can name an earlier one.
  const drafts = Array.from({ length: count }, () => {
    const target = weighted(rand, targetWeights);
    const age = ageDays(rand, target);
    const day = Math.floor(age);
    // Most reports arrive in the daytime (China time 07:00–21:00).
    const chinaMidnight = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR - day * DAY;
    let created = chinaMidnight + between(rand, 7, 21) * HOUR;
    if (created > now - 5 * 60_000) created = now - between(rand, 5, 6 * 60) * 60_000;
    return { target, created };
  }).sort((a, b) => a.created - b.created);

  const cases: DemoCase[] = [];
  for (const [index, d] of drafts.entries()) {
    const kindRoll = rand();
    const category =
      kindRoll < 0.18 && hotline.length
        ? pick(rand, hotline)
        : kindRoll < 0.7 && common.length
          ? pick(rand, common)
          : pick(rand, minors);
    const urgency = weighted<Urgency>(rand, { normal: 85, urgent: 10, emergency: 3, complex: 2 });
    let grid = pick(rand, grids);
    for (let i = 0; i < 8 && grid.areaM2 !== undefined && rand() * 10_000 > grid.areaM2; i++) {
      grid = pick(rand, grids);
    }
    const point = pointInGrid(rand, grid.geometry);
    const community = grid.name.split('第')[0] ?? grid.name;
    const address = `${community}${pick(rand, roads)}${1 + Math.floor(rand() * 120)}号附近`;
    let channel: DemoChannel =
      category.kind === 'hotline'
        ? rand() < 0.85
          ? 'hotline'
          : 'web'
        : weighted<DemoChannel>(rand, { patrol: 70, hotline: 15, web: 8, sensor: 4, api: 3 });
    // A patrol report starts at 待立案, so a case still waiting for intake came in some other way.
    if (d.target === 'reported' && channel === 'patrol') channel = 'hotline';
    const reporterRole: Role = channel === 'patrol' ? 'grid_worker' : 'intake_operator';
    const citizen = channel === 'hotline' || channel === 'web';
    const name = category.nameZh;
    const fill = (tpl: string) =>
      tpl
        .replace('{addr}', address)
        .replace('{name}', name)
        .replace('{problem}', pick(rand, componentProblems));
    const description = fill(
      pick(
        rand,
        category.kind === 'component'
          ? componentDescriptions
          : category.kind === 'event'
            ? eventDescriptions
            : hotlineDescriptions,
      ),
    );
    const title =
      category.kind === 'component'
        ? `${community}${name}${pick(rand, componentProblems)}`
        : `${community}${name}${category.kind === 'hotline' ? '问题' : ''}`;
    const suggested = demoSuggestedDepartment(category.code);
    let target = d.target;
    if (target === 'merged' && index === 0) target = 'voided';

    const walk = walkTo(rand, {
      target,
      created: d.created,
      now,
      urgency,
      reporterRole,
      verification: needsVerification(category, reporterRole),
      suggested,
      departments,
      index,
    });
    cases.push({
      index,
      createdAt: new Date(d.created),
      categoryCode: category.code,
      urgency,
      channel,
      title,
      description,
      address,
      point,
      gridCode: grid.code,
      communityCode: grid.communityCode,
      reporterRole,
      reporterName: citizen ? `${pick(rand, surnames)}${rand() < 0.5 ? '先生' : '女士'}` : null,
      reporterPhone: citizen
        ? `1${pick(rand, ['3', '5', '8'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`
        : null,
      suggestedDepartmentCode: suggested,
      state: walk.state,
      events: walk.events,
      tasks: tasksOf(walk.events),
      duplicateOf:
        walk.state === 'merged' ? Math.max(0, index - 1 - Math.floor(rand() * Math.min(index, 30))) : null,
    });
  }
  return cases;
}

/** A point inside the grid: uniform in its bbox, kept when inside; the vertex average after a few misses. */
function pointInGrid(rand: Rand, geometry: Polygon): Position {
  const [minLng, minLat, maxLng, maxLat] = bboxOf(geometry);
  for (let i = 0; i < 12; i++) {
    const p: Position = [between(rand, minLng, maxLng), between(rand, minLat, maxLat)];
    const q: Position = [round6(p[0]!), round6(p[1]!)];
    if (pointInPolygon(q, geometry)) return q;
  }
  const ring = geometry.coordinates[0]!.slice(0, -1);
  const avg = (k: 0 | 1) => ring.reduce((s, q) => s + q[k]!, 0) / ring.length;
  return [avg(0), avg(1)];
}
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface WalkPlan {
  target: CaseState;
  created: number;
  now: number;
  urgency: Urgency;
  reporterRole: Role;
  verification: boolean;
  suggested: string;
  departments: readonly string[];
  index: number;
}

/**
 * The case's path: the main loop (上报 → 立案 → 派遣 → 处置 → 核查 → 结案 → 回访) with occasional detours
 * (回退, 延期, 挂账, 返工, 督办), forced where the target state is itself a detour, stopping at the target.
 * Gaps are scaled down when the path would not fit between creation and `now`.
 */
function walkTo(rand: Rand, plan: WalkPlan): Walk {
  const { target, urgency } = plan;
  const initial: CaseState = plan.reporterRole === 'grid_worker' ? 'pending_filing' : 'reported';
  const steps: { event: CaseEvent; payload: TransitionPayload; gap: number }[] = [];
  let state: CaseState = initial;
  const leadOf = () => (rand() < 0.85 ? plan.suggested : pick(rand, plan.departments));
  const reason = (e: CaseEvent) => pick(rand, reasons[e] ?? ['见附件说明']);
  let evidence = 0;
  const photo = () => [`demo-evidence-${plan.index}-${++evidence}`];
  let detours = 0;

  const step = (event: CaseEvent, payload: TransitionPayload = {}) => {
    const to: CaseState | null = next(state, event);
    if (!to) throw new Error(`demo cases: no transition ${state} --${event}-->`);
    steps.push({ event, payload, gap: gapHours(rand, event, urgency) });
    state = to;
  };
  const dispatchPayload = (): { event: CaseEvent; payload: TransitionPayload } => {
    const lead = leadOf();
    if (rand() < 0.08) {
      const other = pick(
        rand,
        plan.departments.filter((d) => d !== lead),
      );
      if (other) return { event: 'co_dispatch', payload: { departments: [lead, other] } };
    }
    return { event: 'dispatch', payload: { department: lead } };
  };
  const maybeSupervise = () => {
    if (rand() < 0.04) step('supervise', { instruction: '请加快处置进度，按时办结' });
  };

  for (let guard = 0; guard < 60 && state !== target; guard++) {
    const allowDetour = detours < 2;
    switch (state as CaseState) {
      case 'reported':
        if (target === 'voided') step('void', { reason: reason('void') });
        else if (target === 'merged') step('merge', { duplicateOf: 'earlier' });
        else if (plan.verification) step('send_to_verify');
        else step('register');
        break;
      case 'verifying':
        if (rand() < 0.05) step('verify_fail', { reason: reason('verify_fail') });
        else step('verify_ok');
        break;
      case 'pending_filing':
        if (target === 'voided') step('void', { reason: reason('void') });
        else if (target === 'merged') step('merge', { duplicateOf: 'earlier' });
        else if (target === 'verifying') step('send_to_verify');
        else step('file');
        break;
      case 'filed':
      case 'reopened': {
        maybeSupervise();
        const d = dispatchPayload();
        step(d.event, d.payload);
        break;
      }
      case 'returned':
        if (rand() < 0.3) step('reject_return', { reason: reason('reject_return') });
        else {
          const d = dispatchPayload();
          step(d.event, d.payload);
        }
        break;
      case 'dispatched':
        if (target === 'returned' || (allowDetour && rand() < 0.06)) {
          detours++;
          step('return', { reason: reason('return') });
        } else step('accept');
        break;
      case 'in_progress':
        if (target === 'extension_pending' || (allowDetour && rand() < 0.07)) {
          detours++;
          step('request_extension', {
            reason: reason('request_extension'),
            extension: { amount: pick(rand, [2, 3, 5]), unit: 'working_days' },
          });
        } else if (
          target === 'suspension_pending' ||
          target === 'suspended' ||
          (allowDetour && rand() < 0.02)
        ) {
          detours++;
          step('request_suspension', { reason: reason('request_suspension') });
        } else {
          maybeSupervise();
          step('handle', { evidence: photo() });
        }
        break;
      case 'extension_pending':
        if (rand() < 0.8) step('approve_extension');
        else step('reject_extension', { reason: reason('reject_extension') });
        break;
      case 'suspension_pending':
        if (target === 'suspended' || rand() < 0.5) step('approve_suspension');
        else step('reject_suspension', { reason: reason('reject_suspension') });
        break;
      case 'suspended':
        step('resume');
        break;
      case 'pending_check':
        if (target === 'rework' || (allowDetour && rand() < 0.07)) {
          detours++;
          step('check_fail', { reason: reason('check_fail') });
        } else step('check_pass', { evidence: photo() });
        break;
      case 'rework':
        step('handle', { evidence: photo() });
        break;
      case 'pending_close':
        if (allowDetour && target !== 'rework' && rand() < 0.02) {
          detours++;
          step('reject_close', { reason: reason('reject_close') });
        } else step('close');
        break;
      case 'closed': {
        const unhappy = target === 'reopened' || rand() < 0.06;
        const satisfaction: Satisfaction = unhappy
          ? 'unsatisfied'
          : rand() < 0.75
            ? 'satisfied'
            : 'basically_satisfied';
        step('reply', { satisfaction, resolved: !unhappy });
        break;
      }
      case 'replied':
        step('reopen', { reason: reason('reopen') });
        break;
      default:
        throw new Error(`demo cases: cannot leave ${state} towards ${target}`);
    }
  }
  if (state !== target) throw new Error(`demo cases: no path to ${target}`);

  // Fit the path between creation and now (leaving a margin), then lay out the timeline.
  const total = steps.reduce((s, x) => s + x.gap, 0) * HOUR;
  const room = (plan.now - plan.created) * 0.95;
  const scale = total > room ? room / total : 1;
  let t = plan.created;
  let cur: CaseState = initial;
  const events: DemoCaseEvent[] = [
    {
      at: new Date(t),
      role: plan.reporterRole,
      event: 'create',
      from: null,
      to: initial,
      comment: null,
      payload: {},
    },
  ];
  for (const s of steps) {
    t += Math.max(60_000, s.gap * HOUR * scale);
    if (t > plan.now) t = plan.now - 1000;
    const to: CaseState = next(cur, s.event)!;
    events.push({
      at: new Date(t),
      role: roleOf(cur, s.event),
      event: s.event,
      from: cur,
      to,
      comment: null,
      payload: s.payload,
    });
    cur = to;
  }
  return { state, t, events };
}

/** Departments' shares, following the same rules as the case service's applyTasks. */
function tasksOf(events: readonly DemoCaseEvent[]): DemoCaseTask[] {
  const tasks = new Map<string, DemoCaseTask>();
  let lead: string | null = null;
  const setState = (
    state: DemoCaseTask['state'],
    at: Date,
    where: { only?: string | null; from?: readonly string[]; except?: readonly string[] },
  ) => {
    for (const task of tasks.values()) {
      if (where.only && task.departmentCode !== where.only) continue;
      if (where.from && !where.from.includes(task.state)) continue;
      if (where.except?.includes(task.departmentCode)) continue;
      task.state = state;
      task.updatedAt = at;
    }
  };
  for (const e of events) {
    const deps =
      e.payload.departments ?? (e.payload.department ? [e.payload.department] : ([] as readonly string[]));
    switch (e.event) {
      case 'dispatch':
      case 'co_dispatch':
        if (e.from === 'in_progress') {
          for (const d of deps) {
            if (!tasks.has(d) || tasks.get(d)!.state === 'cancelled') {
              tasks.set(d, {
                departmentCode: d,
                state: 'dispatched',
                lead: false,
                createdAt: e.at,
                updatedAt: e.at,
              });
            }
          }
          break;
        }
        setState('cancelled', e.at, { except: deps });
        deps.forEach((d, i) => {
          const prior = tasks.get(d);
          tasks.set(d, {
            departmentCode: d,
            state: 'dispatched',
            lead: i === 0,
            createdAt: prior?.createdAt ?? e.at,
            updatedAt: e.at,
          });
        });
        lead = deps[0] ?? lead;
        break;
      case 'reject_return':
        setState('dispatched', e.at, { from: ['returned'] });
        break;
      case 'accept':
        setState('accepted', e.at, { only: lead, from: ['dispatched'] });
        break;
      case 'return':
        setState('returned', e.at, { only: lead, from: ['dispatched', 'accepted'] });
        break;
      case 'handle':
        setState('done', e.at, { only: lead, from: ['accepted', 'dispatched', 'rework'] });
        break;
      case 'check_fail':
      case 'reject_close':
        setState('rework', e.at, { from: ['done'] });
        break;
      default:
        break;
    }
  }
  return [...tasks.values()];
}
