import { describe, expect, it } from 'vitest';
import { cameraFor, GRID_FOCUS_ZOOM } from './camera.ts';
import { LABEL_ZOOMS } from './labels.ts';

const desktop = { width: 1280, height: 800 };

describe('cameraFor', () => {
  it('lands a grid hit past the zoom where grid codes appear', () => {
    const t = cameraFor([116.36, 39.91, 116.3612, 39.9109], 'grid', desktop)!;
    expect(t.maxZoom).toBe(GRID_FOCUS_ZOOM);
    expect(GRID_FOCUS_ZOOM).toBeGreaterThan(LABEL_ZOOMS.grid[0]);
  });

  it('grows a point bbox so there is something to fit', () => {
    const t = cameraFor([116.36, 39.91, 116.36, 39.91], 'layer_feature', desktop)!;
    expect(t.bounds[1][0] - t.bounds[0][0]).toBeGreaterThan(0);
  });

  it('keeps the target clear of the legend, and of the info drawer when it is open', () => {
    const closed = cameraFor([0, 0, 1, 1], 'region', desktop)!;
    const open = cameraFor([0, 0, 1, 1], 'region', desktop, { panelOpen: true })!;
    expect(closed.padding.left).toBeGreaterThan(closed.padding.right);
    expect(open.padding.right).toBeGreaterThan(closed.padding.right);
    const phone = cameraFor(
      [0, 0, 1, 1],
      'region',
      { width: 375, height: 700 },
      { phone: true, panelOpen: true },
    )!;
    expect(phone.padding.bottom).toBeGreaterThan(phone.padding.top);
    expect(phone.padding.left + phone.padding.right).toBeLessThan(375 - 40);
    expect(phone.padding.top + phone.padding.bottom).toBeLessThanOrEqual(700 - 40);
  });

  it('gives no target for an empty or broken bbox', () => {
    expect(cameraFor([Infinity, Infinity, -Infinity, -Infinity], 'scope', desktop)).toBeNull();
    expect(cameraFor([Number.NaN, 0, 1, 1], 'scope', desktop)).toBeNull();
  });
});
