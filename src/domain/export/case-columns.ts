/**
 * The columns of a case-list export (案件导出) and their labels in Chinese (default) and English: headers, states,
 * urgencies, stages, traffic lights and channels, the same wording as the web app.
 */
import { CHINA_OFFSET_MS } from '../calendar/work-calendar.ts';
import type { CaseState } from '../case/case-workflow.ts';
import type { Light, SlaStage, Urgency } from '../sla/time-limit.ts';

export type ExportLang = 'zh-CN' | 'en';

type Labels<K extends string> = Record<ExportLang, Record<K, string>>;

export const stateLabels: Labels<CaseState> = {
  'zh-CN': {
    reported: '待受理',
    verifying: '待核实',
    pending_filing: '待立案',
    filed: '待派遣',
    dispatched: '待签收',
    returned: '已回退',
    in_progress: '处置中',
    extension_pending: '延期待审',
    suspension_pending: '挂账待审',
    suspended: '已挂账',
    pending_check: '待核查',
    rework: '返工',
    pending_close: '待结案',
    closed: '已结案',
    replied: '已回访',
    reopened: '已重启',
    voided: '已作废',
    merged: '已合并',
  },
  en: {
    reported: 'Reported',
    verifying: 'Verifying',
    pending_filing: 'To file',
    filed: 'To dispatch',
    dispatched: 'To accept',
    returned: 'Returned',
    in_progress: 'In progress',
    extension_pending: 'Extension requested',
    suspension_pending: 'Suspension requested',
    suspended: 'Suspended',
    pending_check: 'To check',
    rework: 'Rework',
    pending_close: 'To close',
    closed: 'Closed',
    replied: 'Called back',
    reopened: 'Reopened',
    voided: 'Voided',
    merged: 'Merged',
  },
};

export const urgencyLabels: Labels<Urgency> = {
  'zh-CN': { emergency: '紧急', urgent: '急', normal: '一般', complex: '复杂疑难' },
  en: { emergency: 'Emergency', urgent: 'Urgent', normal: 'Normal', complex: 'Complex' },
};

export const stageLabels: Labels<SlaStage> = {
  'zh-CN': {
    intake: '受理',
    verify: '核实',
    file: '立案',
    dispatch: '派遣',
    accept: '签收',
    handle: '处置',
    check: '核查',
    close: '结案',
    reply: '回访',
  },
  en: {
    intake: 'Intake',
    verify: 'Verification',
    file: 'Filing',
    dispatch: 'Dispatch',
    accept: 'Acceptance',
    handle: 'Handling',
    check: 'Check',
    close: 'Closing',
    reply: 'Call-back',
  },
};

export const lightLabels: Labels<Light> = {
  'zh-CN': { green: '绿灯（正常）', yellow: '黄灯（预警）', red: '红灯（超时）' },
  en: { green: 'Green (on time)', yellow: 'Yellow (warning)', red: 'Red (overdue)' },
};

export const channelLabels: Labels<'hotline' | 'patrol' | 'web' | 'sensor' | 'api'> = {
  'zh-CN': { hotline: '热线', patrol: '巡查', web: '网站', sensor: '感知设备', api: '接口' },
  en: { hotline: 'Hotline', patrol: 'Patrol', web: 'Website', sensor: 'Sensor', api: 'API' },
};

/** One case as exported. */
export interface ExportCase {
  code: string;
  title: string;
  categoryCode: string;
  categoryName: string | null;
  categoryNameEn: string | null;
  state: string;
  urgency: string;
  channel: string;
  streetName: string | null;
  communityName: string | null;
  gridCode: string | null;
  address: string | null;
  stage: string | null;
  stageDeadline: Date | null;
  light: Light | null;
  createdAt: Date;
  closedAt: Date | null;
}

const columns: { key: string; 'zh-CN': string; en: string; width: number }[] = [
  { key: 'code', 'zh-CN': '编号', en: 'Code', width: 16 },
  { key: 'title', 'zh-CN': '标题', en: 'Title', width: 36 },
  { key: 'categoryCode', 'zh-CN': '类别编码', en: 'Category code', width: 12 },
  { key: 'category', 'zh-CN': '类别', en: 'Category', width: 24 },
  { key: 'state', 'zh-CN': '状态', en: 'State', width: 12 },
  { key: 'urgency', 'zh-CN': '紧急程度', en: 'Urgency', width: 10 },
  { key: 'channel', 'zh-CN': '来源', en: 'Channel', width: 10 },
  { key: 'street', 'zh-CN': '街道', en: 'Street', width: 16 },
  { key: 'community', 'zh-CN': '社区', en: 'Community', width: 16 },
  { key: 'grid', 'zh-CN': '网格', en: 'Grid', width: 18 },
  { key: 'address', 'zh-CN': '地址', en: 'Address', width: 30 },
  { key: 'stage', 'zh-CN': '当前阶段', en: 'Stage', width: 10 },
  { key: 'deadline', 'zh-CN': '阶段时限', en: 'Stage deadline', width: 18 },
  { key: 'light', 'zh-CN': '亮灯', en: 'Light', width: 14 },
  { key: 'createdAt', 'zh-CN': '上报时间', en: 'Reported at', width: 18 },
  { key: 'closedAt', 'zh-CN': '结案时间', en: 'Closed at', width: 18 },
];

export function caseExportHeader(lang: ExportLang): string[] {
  return columns.map((c) => c[lang]);
}

export function caseExportWidths(): number[] {
  return columns.map((c) => c.width);
}

/** `YYYY-MM-DD HH:mm` in China time (UTC+8, no daylight saving). */
export function chinaDateTime(d: Date | null): string {
  if (!d) return '';
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const label = <K extends string>(labels: Labels<K>, lang: ExportLang, key: string | null): string =>
  key === null ? '' : ((labels[lang] as Record<string, string>)[key] ?? key);

export function caseExportRow(c: ExportCase, lang: ExportLang): string[] {
  const category = (lang === 'en' && c.categoryNameEn) || c.categoryName || c.categoryCode;
  return [
    c.code,
    c.title,
    c.categoryCode,
    category,
    label(stateLabels, lang, c.state),
    label(urgencyLabels, lang, c.urgency),
    label(channelLabels, lang, c.channel),
    c.streetName ?? '',
    c.communityName ?? '',
    c.gridCode ?? '',
    c.address ?? '',
    label(stageLabels, lang, c.stage),
    chinaDateTime(c.stageDeadline),
    label(lightLabels, lang, c.light),
    chinaDateTime(c.createdAt),
    chinaDateTime(c.closedAt),
  ];
}
