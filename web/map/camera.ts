/** Camera targets for the map page: where to look first and where a search hit flies to. Pure. */
import { ensureSpan, isEmptyBBox, type BBox } from './geometry.ts';

export type SearchHitType = 'region' | 'grid' | 'layer_feature';

export interface CameraTarget {
  bounds: [[number, number], [number, number]];
  padding: { top: number; right: number; bottom: number; left: number };
  maxZoom: number;
}

export interface Viewport {
  width: number;
  height: number;
}

/** Zoom at which a grid search lands: past LABEL_ZOOMS.grid so the grid codes are on screen. */
export const GRID_FOCUS_ZOOM = 16.6;

const maxZoomOf: Record<SearchHitType | 'scope', number> = {
  scope: 16.5,
  region: 15.5,
  grid: GRID_FOCUS_ZOOM,
  layer_feature: 16,
};

/**
 * Bounds plus padding that keep the target clear of the overlays: the legend/search panel on the left and, when
 * open, the info drawer on the right (desktop) or at the bottom (phone).
 */
export function cameraFor(
  bbox: BBox,
  kind: SearchHitType | 'scope',
  viewport: Viewport,
  overlays: { panelOpen?: boolean; phone?: boolean; leftInset?: number } = {},
): CameraTarget | null {
  if (isEmptyBBox(bbox) || bbox.some((v) => !Number.isFinite(v))) return null;
  const [x0, y0, x1, y1] = ensureSpan(bbox);
  const base = Math.round(Math.max(16, Math.min(48, Math.min(viewport.width, viewport.height) / 12)));
  const padding = { top: base, right: base, bottom: base, left: base };
  if (overlays.phone) {
    padding.top += 88; // the search box and the folded legend
    if (overlays.panelOpen) padding.bottom += Math.round(viewport.height * 0.45);
  } else {
    // The search box and legend float over the map's left edge (312 px with their margin).
    padding.left += Math.min(overlays.leftInset ?? 312, viewport.width * 0.35);
    if (overlays.panelOpen) padding.right += Math.min(380, viewport.width / 3);
  }
  // Never pad away more than the viewport: MapLibre refuses such a fit.
  const fitX = viewport.width - padding.left - padding.right;
  const fitY = viewport.height - padding.top - padding.bottom;
  if (fitX < 40) padding.left = padding.right = Math.max(0, (viewport.width - 40) / 2);
  if (fitY < 40) padding.top = padding.bottom = Math.max(0, (viewport.height - 40) / 2);
  return {
    bounds: [
      [x0, y0],
      [x1, y1],
    ],
    padding,
    maxZoom: maxZoomOf[kind],
  };
}
