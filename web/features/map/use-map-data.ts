import type { GeoJSONSource, MapGeoJSONFeature, MapLayerMouseEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useRef } from 'react';
import { labelCandidates, type LabelKind } from '../../map/labels.ts';
import {
  baseToggles,
  dataLayerSpecs,
  LAYER,
  layerSourceId,
  SOURCE,
  styleLayersOfToggle,
} from '../../map/style.ts';
import { dataLayerToggle, type Toggles } from './LayerPanel.tsx';
import type { SpatialLayer } from './spatial-api.ts';
import type { MapHandle } from './use-maplibre.ts';

const setVisible = (handle: MapHandle, layerId: string, on: boolean) => {
  if (handle.map.getLayer(layerId))
    handle.map.setLayoutProperty(layerId, 'visibility', on ? 'visible' : 'none');
};

/** Pushes regions, grids and the label candidates into the map whenever the data changes. */
export function useMapSources(
  handle: MapHandle | null,
  regions: FeatureCollection,
  grids: FeatureCollection,
  english: boolean,
) {
  useEffect(() => {
    (handle?.map.getSource(SOURCE.regions) as GeoJSONSource | undefined)?.setData(regions);
  }, [handle, regions]);
  useEffect(() => {
    (handle?.map.getSource(SOURCE.grids) as GeoJSONSource | undefined)?.setData(grids);
  }, [handle, grids]);
  const candidates = useMemo(
    () => labelCandidates(regions.features, grids.features, english),
    [regions, grids, english],
  );
  useEffect(() => handle?.labels.setCandidates(candidates), [handle, candidates]);
}

/** Legend switches → layer visibility; thematic layers are added the first time their features arrive. */
export function useMapToggles(
  handle: MapHandle | null,
  toggles: Toggles,
  layers: SpatialLayer[],
  layerFeatures: Record<string, FeatureCollection>,
) {
  useEffect(() => {
    if (!handle) return;
    for (const key of baseToggles)
      for (const id of styleLayersOfToggle(key)) setVisible(handle, id, toggles[key] ?? true);
    const hidden = new Set<LabelKind>();
    if (!toggles.labels) hidden.add('district').add('street').add('community').add('grid');
    if (!toggles.grids) hidden.add('grid');
    for (const level of ['district', 'street', 'community'] as const) if (!toggles[level]) hidden.add(level);
    handle.labels.setHidden(hidden);
  }, [handle, toggles]);

  useEffect(() => {
    if (!handle) return;
    const { map } = handle;
    for (const layer of layers) {
      const on = toggles[dataLayerToggle(layer.id)] ?? false;
      const data = layerFeatures[layer.id];
      const { fill, line } = dataLayerSpecs(layer.id, layer.kind);
      const source = map.getSource(layerSourceId(layer.id)) as GeoJSONSource | undefined;
      if (data && !source) {
        map.addSource(layerSourceId(layer.id), { type: 'geojson', data });
        map.addLayer(fill, LAYER.gridLine);
        map.addLayer(line, LAYER.gridHighlight);
      } else if (data && source) {
        source.setData(data);
      }
      setVisible(handle, fill.id, on);
      setVisible(handle, line.id, on);
    }
  }, [handle, layers, layerFeatures, toggles]);
}

/** Hover highlight and click-to-select on the grid fill; the selection shows as feature state too. */
export function useGridInteraction(
  handle: MapHandle | null,
  selected: string | null,
  onSelect: (code: string, feature: MapGeoJSONFeature) => void,
) {
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    if (!handle) return;
    const { map } = handle;
    let hover: string | number | undefined;
    const clear = () => {
      if (hover !== undefined) map.setFeatureState({ source: SOURCE.grids, id: hover }, { hover: false });
      hover = undefined;
    };
    const move = (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.id;
      if (id === hover) return;
      clear();
      if (id === undefined) return;
      hover = id;
      map.setFeatureState({ source: SOURCE.grids, id }, { hover: true });
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      clear();
      map.getCanvas().style.cursor = '';
    };
    const click = (e: MapLayerMouseEvent) => {
      const feature = e.features?.[0];
      const code = feature?.properties?.code;
      if (feature && code) onSelectRef.current(String(code), feature);
    };
    map.on('mousemove', LAYER.gridFill, move);
    map.on('mouseleave', LAYER.gridFill, leave);
    map.on('click', LAYER.gridFill, click);
    return () => {
      map.off('mousemove', LAYER.gridFill, move);
      map.off('mouseleave', LAYER.gridFill, leave);
      map.off('click', LAYER.gridFill, click);
    };
  }, [handle]);

  useEffect(() => {
    if (!handle || !selected) return;
    const target = { source: SOURCE.grids, id: selected };
    handle.map.setFeatureState(target, { selected: true });
    return () => {
      if (handle.map.getSource(SOURCE.grids)) handle.map.setFeatureState(target, { selected: false });
    };
  }, [handle, selected]);
}
