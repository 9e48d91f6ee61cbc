/**
 * The map's MapLibre style and layer specs, built as plain data. No basemap by default: polygons on a plain
 * background, no glyphs and no sprite (labels are HTML overlays, see labels.ts), so nothing is fetched from
 * outside the app. A raster basemap can be switched on later through MAP_TILE_URL.
 */
import type {
  ExpressionSpecification,
  FillLayerSpecification,
  LayerSpecification,
  LineLayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';

/**
 * Hook for a raster basemap ("https://tiles.example.org/{z}/{x}/{y}.png"), e.g. a county's own tile server.
 * Null keeps the plain background. The server's Content-Security-Policy must then allow that origin too.
 */
export const MAP_TILE_URL: string | null = null;

export const SOURCE = { regions: 'regions', grids: 'grids' } as const;
export const LAYER = {
  background: 'background',
  basemap: 'basemap',
  gridFill: 'grid-fill',
  gridLine: 'grid-line',
  gridHighlight: 'grid-highlight',
  community: 'region-community',
  street: 'region-street',
  district: 'region-district',
} as const;

export const palette = {
  background: '#eef1f5',
  /** Four near-white tints of the grid fill, alternating between neighbours. */
  gridTints: ['#e2ebf6', '#e8f1e6', '#f4ede0', '#ede6f2'],
  gridLine: '#9aa9bd',
  community: '#5b7aa6',
  street: '#34507a',
  district: '#1d2f4f',
  highlight: '#1f5fbf',
  selectedFill: '#bcd5f6',
  hoverFill: '#d3e3f8',
} as const;

export type SpatialLayerKind = 'responsibility_zone' | 'supervision_unit' | 'other';

export const layerKindColor: Record<SpatialLayerKind, string> = {
  responsibility_zone: '#d9731a',
  supervision_unit: '#8e44ad',
  other: '#0f8a6c',
};

/** The toggles of the legend panel that are not data layers. */
export type BaseToggle = 'grids' | 'community' | 'street' | 'district' | 'labels';
export const baseToggles: readonly BaseToggle[] = ['district', 'street', 'community', 'grids', 'labels'];

export interface StyleOptions {
  tileUrl?: string | null;
  tileAttribution?: string;
}

const byZoom = (stops: [number, number][]): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops.flat()] as unknown as ExpressionSpecification;

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

export function buildMapStyle({
  tileUrl = MAP_TILE_URL,
  tileAttribution,
}: StyleOptions = {}): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    name: 'zhizhi-plain',
    sources: {
      [SOURCE.regions]: {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
        promoteId: 'code',
      },
      [SOURCE.grids]: {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
        promoteId: 'code',
      },
    },
    layers: [{ id: LAYER.background, type: 'background', paint: { 'background-color': palette.background } }],
  };
  if (tileUrl) {
    style.sources.basemap = {
      type: 'raster',
      tiles: [tileUrl],
      tileSize: 256,
      ...(tileAttribution ? { attribution: tileAttribution } : {}),
    };
    style.layers.push({
      id: LAYER.basemap,
      type: 'raster',
      source: 'basemap',
      paint: { 'raster-opacity': 0.85 },
    });
  }
  style.layers.push(...gridLayers(Boolean(tileUrl)), ...regionLayers());
  return style;
}

function gridLayers(overBasemap: boolean): LayerSpecification[] {
  const tints = palette.gridTints.flatMap((c, i) => [i, c]);
  const fill: FillLayerSpecification = {
    id: LAYER.gridFill,
    type: 'fill',
    source: SOURCE.grids,
    paint: {
      'fill-color': [
        'case',
        selected,
        palette.selectedFill,
        hovered,
        palette.hoverFill,
        ['match', ['get', 'tint'], ...tints, palette.gridTints[0]],
      ] as unknown as ExpressionSpecification,
      'fill-opacity': overBasemap ? 0.55 : 0.95,
    },
  };
  const line: LineLayerSpecification = {
    id: LAYER.gridLine,
    type: 'line',
    source: SOURCE.grids,
    minzoom: 12,
    paint: {
      'line-color': palette.gridLine,
      'line-width': byZoom([
        [12, 0.2],
        [15, 0.6],
        [17, 1.2],
      ]),
      'line-opacity': byZoom([
        [12, 0.3],
        [14, 0.8],
      ]),
    },
  };
  return [fill, line];
}

function regionLine(
  id: string,
  level: string,
  color: string,
  widths: [number, number][],
): LineLayerSpecification {
  return {
    id,
    type: 'line',
    source: SOURCE.regions,
    filter: ['==', ['get', 'level'], level],
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': color, 'line-width': byZoom(widths) },
  };
}

function regionLayers(): LayerSpecification[] {
  return [
    regionLine(LAYER.community, 'community', palette.community, [
      [10, 0.6],
      [14, 1.4],
      [17, 2.2],
    ]),
    regionLine(LAYER.street, 'street', palette.street, [
      [10, 1.2],
      [14, 2.6],
      [17, 3.6],
    ]),
    regionLine(LAYER.district, 'district', palette.district, [
      [10, 2],
      [14, 4],
      [17, 5],
    ]),
    {
      id: LAYER.gridHighlight,
      type: 'line',
      source: SOURCE.grids,
      paint: {
        'line-color': palette.highlight,
        'line-width': byZoom([
          [12, 1.5],
          [16, 3],
        ]),
        'line-opacity': ['case', selected, 1, hovered, 0.7, 0] as unknown as ExpressionSpecification,
      },
    },
  ];
}

export const layerSourceId = (layerId: string) => `layer:${layerId}`;
export const layerFillId = (layerId: string) => `layer-fill:${layerId}`;
export const layerLineId = (layerId: string) => `layer-line:${layerId}`;

/**
 * Fill + outline of one data layer (responsibility zones, supervision units …): translucent fill under the
 * boundaries, dashed outline above them. Insert the fill before the grid outline, the line before the highlight.
 */
export function dataLayerSpecs(
  layerId: string,
  kind: SpatialLayerKind,
): { fill: FillLayerSpecification; line: LineLayerSpecification } {
  const color = layerKindColor[kind] ?? layerKindColor.other;
  return {
    fill: {
      id: layerFillId(layerId),
      type: 'fill',
      source: layerSourceId(layerId),
      paint: { 'fill-color': color, 'fill-opacity': 0.14 },
    },
    line: {
      id: layerLineId(layerId),
      type: 'line',
      source: layerSourceId(layerId),
      paint: {
        'line-color': color,
        'line-width': byZoom([
          [12, 1],
          [17, 2.2],
        ]),
        'line-dasharray': [3, 2],
      },
    },
  };
}

/** Style layer ids a legend toggle shows or hides. */
export function styleLayersOfToggle(toggle: BaseToggle): string[] {
  switch (toggle) {
    case 'grids':
      return [LAYER.gridFill, LAYER.gridLine, LAYER.gridHighlight];
    case 'community':
      return [LAYER.community];
    case 'street':
      return [LAYER.street];
    case 'district':
      return [LAYER.district];
    case 'labels':
      return [];
  }
}
