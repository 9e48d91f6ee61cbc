/**
 * Which labels the map shows, as HTML overlays (the style has no glyphs): street and community names at low
 * zooms, grid codes only when zoomed in far enough for them to fit, and only those in view. Overlapping labels are
 * dropped greedily in priority order, so the map never turns into a wall of text.
 */
import type { Feature } from 'geojson';
import { bboxContains, labelPoint, type BBox, type LngLat } from './geometry.ts';

export type LabelKind = 'district' | 'street' | 'community' | 'grid';

export interface LabelCandidate {
  id: string;
  kind: LabelKind;
  text: string;
  /** A second, smaller line (a grid's name under its code), shown from `LABEL_DETAIL_ZOOM`. */
  detail?: string;
  at: LngLat;
}

export interface PlacedLabel extends LabelCandidate {
  x: number;
  y: number;
  showDetail: boolean;
}

/**
 * Zoom range [from, to) in which each kind is labelled, in MapLibre zooms (512 px tiles): near 40°N a 100 m grid is
 * ~110 px wide at zoom 16, just enough for its 15-digit code; a whole district of a few km fits at 13–14.
 */
export const LABEL_ZOOMS: Record<LabelKind, readonly [number, number]> = {
  district: [0, 12.2],
  street: [11.6, 14.8],
  community: [12.8, 16.4],
  grid: [16, 25],
};
export const LABEL_DETAIL_ZOOM = 17;
export const MAX_LABELS = 400;

export const labelFont: Record<LabelKind, { size: number; weight: number }> = {
  district: { size: 17, weight: 700 },
  street: { size: 15, weight: 600 },
  community: { size: 13, weight: 500 },
  grid: { size: 11, weight: 400 },
};

const priority: Record<LabelKind, number> = { district: 0, street: 1, community: 2, grid: 3 };

export function kindsAtZoom(zoom: number): LabelKind[] {
  return (Object.keys(LABEL_ZOOMS) as LabelKind[]).filter((k) => {
    const [from, to] = LABEL_ZOOMS[k];
    return zoom >= from && zoom < to;
  });
}

/** Rough rendered size of one line: CJK characters are about one em wide, digits and Latin about 0.6 em. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.62;
  return w * fontSize;
}

export function labelBox(label: LabelCandidate, showDetail: boolean): { w: number; h: number } {
  const { size } = labelFont[label.kind];
  const pad = label.kind === 'grid' ? 3 : 6;
  let w = estimateTextWidth(label.text, size);
  let h = size * 1.3;
  if (showDetail && label.detail) {
    w = Math.max(w, estimateTextWidth(label.detail, size - 1));
    h += (size - 1) * 1.3;
  }
  return { w: w + pad * 2, h: h + 2 };
}

export interface SelectLabelsInput {
  candidates: readonly LabelCandidate[];
  zoom: number;
  /** The visible area in lng/lat; candidates outside are skipped before projecting. */
  bounds: BBox;
  project: (at: LngLat) => { x: number; y: number };
  viewport: { width: number; height: number };
  hidden?: ReadonlySet<LabelKind>;
  max?: number;
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The labels to draw now, with screen positions (label centre), higher-level names first. */
export function selectLabels({
  candidates,
  zoom,
  bounds,
  project,
  viewport,
  hidden,
  max = MAX_LABELS,
}: SelectLabelsInput): PlacedLabel[] {
  const kinds = new Set(kindsAtZoom(zoom).filter((k) => !hidden?.has(k)));
  if (kinds.size === 0) return [];
  const showDetail = zoom >= LABEL_DETAIL_ZOOM;
  const pool = candidates
    .filter((c) => kinds.has(c.kind) && bboxContains(bounds, c.at))
    .sort((a, b) => priority[a.kind] - priority[b.kind]);
  const placed: PlacedLabel[] = [];
  const taken: Rect[] = [];
  for (const c of pool) {
    if (placed.length >= max) break;
    const { x, y } = project(c.at);
    const { w, h } = labelBox(c, showDetail);
    const r = { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
    if (r.x1 < 0 || r.y1 < 0 || r.x0 > viewport.width || r.y0 > viewport.height) continue;
    if (taken.some((t) => r.x0 < t.x1 && t.x0 < r.x1 && r.y0 < t.y1 && t.y0 < r.y1)) continue;
    taken.push(r);
    placed.push({ ...c, x, y, showDetail: showDetail && Boolean(c.detail) });
  }
  return placed;
}

interface NamedProps {
  code?: unknown;
  name?: unknown;
  nameEn?: unknown;
  level?: unknown;
}

const isLabelKind = (v: unknown): v is Exclude<LabelKind, 'grid'> =>
  v === 'district' || v === 'street' || v === 'community';

/** Label candidates of the regions (by their level) and grids (code, with the name as detail). */
export function labelCandidates(
  regions: readonly Feature[],
  grids: readonly Feature[],
  english = false,
): LabelCandidate[] {
  const out: LabelCandidate[] = [];
  const name = (p: NamedProps) => String((english && p.nameEn) || p.name || p.code || '');
  for (const f of regions) {
    const p = (f.properties ?? {}) as NamedProps;
    const at = labelPoint(f.geometry);
    if (!at || !isLabelKind(p.level)) continue;
    out.push({ id: `r:${String(p.code)}`, kind: p.level, text: name(p), at });
  }
  for (const f of grids) {
    const p = (f.properties ?? {}) as NamedProps;
    const at = labelPoint(f.geometry);
    if (!at || !p.code) continue;
    out.push({ id: `g:${String(p.code)}`, kind: 'grid', text: String(p.code), detail: name(p), at });
  }
  return out;
}
