/**
 * Categories (事项分类): the 数字城管 部件 (components) and 事件 (events), each 大类 → 小类 with 2-digit codes,
 * and the citizen-hotline items (一级 → 二级 → 三级). A category carries its dispatch rule, department hints,
 * whether an inspector must verify (核实) a report before filing, and its time limits per stage × urgency.
 */
import type { SlaStage, TimeLimit, Urgency } from '../sla/time-limit.ts';

export const categoryKinds = ['component', 'event', 'hotline'] as const;
export type CategoryKind = (typeof categoryKinds)[number];

/** major = 大类 / hotline 一级; minor = 小类 / hotline 二级; item = hotline 三级. */
export const categoryLevels = ['major', 'minor', 'item'] as const;
export type CategoryLevel = (typeof categoryLevels)[number];

/**
 * 部件 "先属主、后属地": the component's owner (权属单位) first, then the territory. 事件 "先属地、后属主":
 * the street/territory first, then the competent department. Either way the district is the fallback (区兜底).
 */
export type DispatchRule = 'owner_first' | 'territory_first';

/** Code prefixes: BJ = 部件, SJ = 事件, RX = 热线; then 2 digits per level (BJ0101, RX010203). */
export const kindPrefix: Record<CategoryKind, string> = { component: 'BJ', event: 'SJ', hotline: 'RX' };

/** A limit exactly as a source published it, kept beside the normalised limits for reference. */
export interface SourceLimit {
  urgency: string;
  value: number;
  unit: string;
  scope?: string | null;
  city?: string | null;
  source: string;
}

export interface Category {
  /** Unique within a catalogue version: prefix + 2-digit segments. */
  code: string;
  kind: CategoryKind;
  level: CategoryLevel;
  parentCode: string | null;
  /** This level's 2-digit code (`21` = extension 大类, `99` = 其他, `51`+ = assigned by Zhizhi). */
  segment: string;
  nameZh: string;
  /** null only for hotline third-level items, which fall back to the Chinese name. */
  nameEn: string | null;
  aliases: readonly string[];
  requiresVerification: boolean;
  dispatchRule: DispatchRule;
  departmentHints: readonly string[];
  /** Overrides; a missing (stage, urgency) falls back to the parent, then the version's defaults for the kind. */
  timeLimits: readonly TimeLimit[];
  /** GB/T 47678.5-2026 5-digit code where mapped. */
  gbCode: string | null;
  fileCondition: string | null;
  closeCondition: string | null;
  sourceLimits: readonly SourceLimit[];
  /** 'source' when the 2-digit code comes from a published system, 'assigned' when Zhizhi numbered it. */
  codeOrigin: 'source' | 'assigned';
  sources: readonly string[];
  active: boolean;
}

const segmentPattern = /^\d{2}$/;

export function isSegment(s: string): boolean {
  return segmentPattern.test(s);
}

export function categoryCode(kind: CategoryKind, segments: readonly string[]): string {
  return kindPrefix[kind] + segments.join('');
}

export function levelOfDepth(depth: number): CategoryLevel {
  return categoryLevels[depth - 1]!;
}

/** The time limit of one (stage, urgency) set directly on this category, if any. */
export function ownLimit(category: Category, stage: SlaStage, urgency: Urgency): TimeLimit | undefined {
  return category.timeLimits.find((l) => l.stage === stage && l.urgency === urgency);
}

export function displayName(category: Pick<Category, 'nameZh' | 'nameEn'>, lang: 'zh' | 'en'): string {
  return lang === 'en' && category.nameEn ? category.nameEn : category.nameZh;
}
