import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateDemoDistrict } from '../../src/domain/region/demo-district.ts';
import type { BBox, LngLat } from './geometry.ts';
import { kindsAtZoom, labelCandidates, LABEL_ZOOMS, selectLabels, type LabelCandidate } from './labels.ts';

const demo = generateDemoDistrict();
const regionFeatures: Feature[] = demo.regions
  .filter((r) => r.geometry)
  .map((r) => ({ type: 'Feature', properties: { ...r, geometry: undefined }, geometry: r.geometry! }));
const gridFeatures: Feature[] = demo.grids.map((g) => ({
  type: 'Feature',
  properties: { code: g.code, name: g.name, nameEn: g.nameEn },
  geometry: g.geometry,
}));
const candidates = labelCandidates(regionFeatures, gridFeatures);

/** A toy Web-Mercator-free projection: degrees scaled to pixels around a centre, enough for layout tests. */
function viewAt(center: LngLat, zoom: number, width = 1280, height = 800) {
  const pxPerDeg = (512 * 2 ** zoom) / 360; // MapLibre's world is 512 px wide at zoom 0
  const latScale = 1 / Math.cos((center[1] * Math.PI) / 180);
  const project = ([lng, lat]: LngLat) => ({
    x: width / 2 + (lng - center[0]) * pxPerDeg,
    y: height / 2 - (lat - center[1]) * pxPerDeg * latScale,
  });
  const halfW = width / 2 / pxPerDeg;
  const halfH = height / 2 / pxPerDeg / latScale;
  const bounds: BBox = [center[0] - halfW, center[1] - halfH, center[0] + halfW, center[1] + halfH];
  return { project, bounds, zoom, viewport: { width, height } };
}

describe('label zoom bands', () => {
  it('shows names at low zoom and grid codes only when zoomed in', () => {
    expect(kindsAtZoom(11)).toEqual(['district']);
    expect(kindsAtZoom(13.5)).toEqual(['street', 'community']);
    expect(kindsAtZoom(15.5)).toEqual(['community']);
    expect(kindsAtZoom(16.2)).toEqual(['community', 'grid']);
    expect(kindsAtZoom(16.6)).toEqual(['grid']);
    expect(kindsAtZoom(LABEL_ZOOMS.grid[0] - 0.01)).not.toContain('grid');
  });
});

describe('labelCandidates', () => {
  it('takes one candidate per region and grid, grids labelled by code with the name as detail', () => {
    const kinds = candidates.reduce<Record<string, number>>(
      (acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ district: 1, street: 4, community: 20, grid: demo.grids.length });
    const g = candidates.find((c) => c.kind === 'grid')!;
    expect(g.text).toMatch(/^\d{15}$/);
    expect(g.detail).toContain('网格');
  });

  it('uses English names when asked and falls back to the Chinese name', () => {
    const district = regionFeatures.slice(0, 1);
    expect(labelCandidates(district, [])[0]!.text).toBe('示范区');
    expect(labelCandidates(district, [], true)[0]!.text).toBe('Demo District');
    const noEnglish = [{ ...district[0]!, properties: { ...district[0]!.properties, nameEn: null } }];
    expect(labelCandidates(noEnglish, [], true)[0]!.text).toBe('示范区');
  });
});

describe('selectLabels', () => {
  it('labels the 4 streets and 20 communities of the whole district without overlaps', () => {
    const labels = selectLabels({ candidates, ...viewAt([116.371, 39.912], 13.5) });
    expect(labels.filter((l) => l.kind === 'street')).toHaveLength(4);
    expect(labels.filter((l) => l.kind === 'community').length).toBeGreaterThanOrEqual(16);
    expect(labels.some((l) => l.kind === 'grid')).toBe(false);
  });

  it('at zoom 16.6 shows only the grid codes in view, a few dozen, none overlapping', () => {
    const labels = selectLabels({ candidates, ...viewAt([116.36, 39.91], 16.6) });
    expect(labels.every((l) => l.kind === 'grid')).toBe(true);
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.length).toBeLessThan(200);
    for (const l of labels) {
      expect(l.x).toBeGreaterThan(-100);
      expect(l.x).toBeLessThan(1380);
    }
    const boxes = labels.map((l) => [l.x - 50, l.x + 50, l.y - 8, l.y + 8] as const);
    const overlapping = boxes.filter((a, i) =>
      boxes.some((b, j) => j !== i && a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3]),
    );
    expect(overlapping.length).toBe(0);
  });

  it('drops the lower-priority label where two collide, and honours hidden kinds and the cap', () => {
    const at: LngLat = [116.36, 39.91];
    const pair: LabelCandidate[] = [
      { id: 'c', kind: 'community', text: '桃园社区', at },
      { id: 's', kind: 'street', text: '西城街道', at },
    ];
    const view = viewAt(at, 14);
    expect(selectLabels({ candidates: pair, ...view }).map((l) => l.id)).toEqual(['s']);
    expect(selectLabels({ candidates: pair, ...view, hidden: new Set(['street']) }).map((l) => l.id)).toEqual(
      ['c'],
    );
    expect(selectLabels({ candidates, ...viewAt([116.36, 39.91], 17.5), max: 5 })).toHaveLength(5);
  });
});
