import { describe, expect, it } from 'vitest';
import {
  buildMapStyle,
  dataLayerSpecs,
  LAYER,
  layerSourceId,
  styleLayersOfToggle,
  baseToggles,
} from './style.ts';

describe('buildMapStyle', () => {
  it('needs nothing from outside the app: no glyphs, no sprite, no remote source', () => {
    const style = buildMapStyle();
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
    expect(Object.keys(style.sources)).toEqual(['regions', 'grids']);
  });

  it('draws grids under the boundaries, boundaries from fine to bold, the highlight on top', () => {
    const ids = buildMapStyle().layers.map((l) => l.id);
    expect(ids).toEqual([
      LAYER.background,
      LAYER.gridFill,
      LAYER.gridLine,
      LAYER.community,
      LAYER.street,
      LAYER.district,
      LAYER.gridHighlight,
    ]);
    const width = (id: string) => {
      const layer = buildMapStyle().layers.find((l) => l.id === id) as { paint: Record<string, unknown> };
      return (layer.paint['line-width'] as unknown[]).slice(3) as number[];
    };
    // At every stop the district line is heavier than the street line, which is heavier than the community line.
    const [c, s, d] = [width(LAYER.community), width(LAYER.street), width(LAYER.district)];
    for (let i = 1; i < c.length; i += 2) {
      expect(s[i]!).toBeGreaterThan(c[i]!);
      expect(d[i]!).toBeGreaterThan(s[i]!);
    }
  });

  it('adds a raster basemap under the polygons when a tile URL is configured', () => {
    const style = buildMapStyle({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' });
    expect(style.sources.basemap).toMatchObject({
      type: 'raster',
      tiles: ['https://tiles.example.org/{z}/{x}/{y}.png'],
    });
    expect(style.layers.map((l) => l.id).slice(0, 3)).toEqual([
      LAYER.background,
      LAYER.basemap,
      LAYER.gridFill,
    ]);
  });

  it('keys region and grid features by code so hover and selection can use feature state', () => {
    const style = buildMapStyle();
    expect(style.sources.grids).toMatchObject({ promoteId: 'code' });
    expect(style.sources.regions).toMatchObject({ promoteId: 'code' });
  });
});

describe('data layers and toggles', () => {
  it('gives each data layer its own source, a translucent fill and a dashed outline', () => {
    const { fill, line } = dataLayerSpecs('L1', 'responsibility_zone');
    expect(fill.source).toBe(layerSourceId('L1'));
    expect(line.source).toBe(layerSourceId('L1'));
    expect(fill.paint?.['fill-opacity']).toBeLessThan(0.3);
    expect(line.paint?.['line-dasharray']).toBeDefined();
    expect(dataLayerSpecs('L2', 'supervision_unit').fill.paint?.['fill-color']).not.toBe(
      fill.paint?.['fill-color'],
    );
  });

  it('maps every legend toggle to existing style layers', () => {
    const ids = new Set(buildMapStyle().layers.map((l) => l.id));
    for (const toggle of baseToggles)
      for (const id of styleLayersOfToggle(toggle)) expect(ids.has(id)).toBe(true);
    expect(styleLayersOfToggle('grids')).toContain(LAYER.gridFill);
  });
});
