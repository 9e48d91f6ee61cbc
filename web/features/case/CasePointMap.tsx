import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import type { FeatureCollection } from 'geojson';
import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LngLatBoundsLike,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../app/api.ts';
import { bboxOfFeatures, isEmptyBBox } from '../../map/geometry.ts';
import { buildMapStyle, SOURCE } from '../../map/style.ts';

setWorkerUrl(workerUrl);

export type LngLat = [number, number];

/** Community outlines: the signed-in API, or the public one for the citizen pages (no session there). */
function useRegionOutlines(source: 'staff' | 'public') {
  return useQuery({
    queryKey: ['spatial', 'regions', 'community', source],
    queryFn: () =>
      source === 'public'
        ? get<FeatureCollection>('/api/v1/public/regions.geojson')
        : get<FeatureCollection>('/api/v1/spatial/regions.geojson', { level: 'community' }),
    staleTime: 5 * 60_000,
  });
}

/**
 * A small map showing community outlines and one point. With `onPick` a click moves the point; without it the
 * map only shows where the case is.
 */
export default function CasePointMap({
  value,
  onPick,
  height = 280,
  outlines = 'staff',
}: {
  value: LngLat | null;
  onPick?: (point: LngLat) => void;
  height?: number;
  outlines?: 'staff' | 'public';
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failed, setFailed] = useState(false);
  const markerRef = useRef<Marker | null>(null);
  const pickRef = useRef(onPick);
  const regions = useRegionOutlines(outlines);

  useEffect(() => {
    pickRef.current = onPick;
  }, [onPick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container: el,
        style: buildMapStyle(),
        center: value ?? [116.37, 39.91],
        zoom: value ? 14.5 : 12,
        minZoom: 8,
        maxZoom: 20,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxPitch: 0,
        fadeDuration: 0,
        cooperativeGestures: false,
      });
    } catch {
      setFailed(true);
      return;
    }
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    instance.on('click', (e) => pickRef.current?.([e.lngLat.lng, e.lngLat.lat]));
    instance.once('load', () => setMap(instance));
    return () => {
      markerRef.current?.remove();
      markerRef.current = null;
      instance.remove();
      setMap(null);
    };
    // The map is created once; later value changes move the marker below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Community outlines; frame them when no point is set yet.
  useEffect(() => {
    if (!map || !regions.data) return;
    (map.getSource(SOURCE.regions) as GeoJSONSource | undefined)?.setData(regions.data);
    if (!value) {
      const bbox = bboxOfFeatures(regions.data.features);
      if (!isEmptyBBox(bbox)) map.fitBounds(bbox as LngLatBoundsLike, { padding: 16, duration: 0 });
    }
    // Framing only on the first data, not on every pick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, regions.data]);

  useEffect(() => {
    if (!map) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) markerRef.current = new Marker({ color: '#d4380d' }).setLngLat(value).addTo(map);
    else markerRef.current.setLngLat(value);
    // Typed coordinates (or a click near the edge) may sit outside the comfortable middle: bring them in.
    const { x, y } = map.project(value);
    const { clientWidth: w, clientHeight: h } = map.getContainer();
    const margin = 40;
    if (x < margin || y < margin || x > w - margin || y > h - margin) {
      map.easeTo({ center: value, duration: 300 });
    }
  }, [map, value]);

  if (failed) return <Alert type="info" showIcon title={t('case.form.noMap')} />;
  return (
    <div
      ref={ref}
      data-testid="case-point-map"
      style={{
        height,
        width: '100%',
        borderRadius: 8,
        overflow: 'hidden',
        border: '1px solid #e5e8ef',
        cursor: onPick ? 'crosshair' : undefined,
      }}
    />
  );
}
