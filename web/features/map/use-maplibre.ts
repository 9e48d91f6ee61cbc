import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useState, type RefObject } from 'react';
import { buildMapStyle } from '../../map/style.ts';
import { LabelOverlay } from './label-overlay.ts';

// Bundled, the library cannot find its worker next to itself: Vite ships the worker as its own file.
setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The live map, for browser tests and debugging. */
    __zhizhiMap?: MapLibreMap;
  }
}

export interface MapHandle {
  map: MapLibreMap;
  labels: LabelOverlay;
}

/** Creates the map in `container` once and hands it out after the style has loaded. */
export function useMapLibre(container: RefObject<HTMLDivElement | null>) {
  const [handle, setHandle] = useState<MapHandle | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container: el,
        style: buildMapStyle(),
        center: [116.37, 39.91],
        zoom: 12,
        minZoom: 8,
        maxZoom: 20,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxPitch: 0,
        fadeDuration: 0,
      });
    } catch {
      setFailed(true); // no WebGL
      return;
    }
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    let labels: LabelOverlay | null = null;
    map.once('load', () => {
      labels = new LabelOverlay(map);
      setHandle({ map, labels });
    });
    window.__zhizhiMap = map;
    return () => {
      labels?.destroy();
      map.remove();
      if (window.__zhizhiMap === map) delete window.__zhizhiMap;
      setHandle(null);
    };
  }, [container]);

  return { handle, failed };
}
