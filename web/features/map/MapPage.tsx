import { Alert, Card, Grid, Spin } from 'antd';
import type { Feature } from 'geojson';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth.tsx';
import { cameraFor, type CameraTarget } from '../../map/camera.ts';
import { bboxOfFeatures, bboxOfGeometry, isEmptyBBox, type BBox } from '../../map/geometry.ts';
import { useErrorMessage } from '../../ui/problem.tsx';
import { GridInfoPanel } from './GridInfoPanel.tsx';
import { dataLayerToggle, LayerPanel, type Toggles } from './LayerPanel.tsx';
import './map.css';
import { MapSearch } from './MapSearch.tsx';
import { useLayerFeatures, useSpatialData, type SearchHit } from './spatial-api.ts';
import { useGridInteraction, useMapSources, useMapToggles } from './use-map-data.ts';
import { useMapLibre, type MapHandle } from './use-maplibre.ts';

const initialToggles: Toggles = { district: true, street: true, community: true, grids: true, labels: true };

/** Height that fills the window below the element's top edge, minus the content padding. */
function useFillHeight(ref: RefObject<HTMLElement | null>, gap: number): number {
  const [height, setHeight] = useState(560);
  useLayoutEffect(() => {
    const update = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(360, Math.floor(window.innerHeight - top - gap)));
    };
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [ref, gap]);
  return height;
}

function fly(handle: MapHandle, target: CameraTarget | null, animate: boolean) {
  if (!target) return;
  handle.map.fitBounds(target.bounds, {
    padding: target.padding,
    maxZoom: target.maxZoom,
    duration: animate ? 700 : 0,
  });
}

export default function MapPage() {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const { user } = useAuth();
  const phone = Grid.useBreakpoint().sm === false;
  const scope = user?.scope.regionCode ?? null;
  const data = useSpatialData(scope);

  const wrapRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<HTMLDivElement>(null);
  const height = useFillHeight(wrapRef, phone ? 12 : 24);
  const { handle, failed } = useMapLibre(mapRef);

  const [toggles, setToggles] = useState<Toggles>(initialToggles);
  // Breakpoints are unknown on the first render: read the width directly so a phone starts with the legend folded.
  const [legendOpen, setLegendOpen] = useState(() => window.innerWidth >= 576);
  const [selected, setSelected] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  const enabledLayerIds = useMemo(
    () => data.layers.filter((l) => toggles[dataLayerToggle(l.id)]).map((l) => l.id),
    [data.layers, toggles],
  );
  const layerFeatures = useLayerFeatures(enabledLayerIds);

  useMapSources(handle, data.regions, data.grids, i18n.language === 'en');
  useMapToggles(handle, toggles, data.layers, layerFeatures);
  useGridInteraction(
    handle,
    selected,
    useCallback((code: string) => setSelected(code), []),
  );

  useEffect(() => {
    handle?.map.resize();
  }, [handle, height]);

  const viewport = useCallback(() => {
    const el = mapRef.current;
    return { width: el?.clientWidth ?? 1024, height: el?.clientHeight ?? 600 };
  }, []);

  const scopeBBox = useMemo<BBox>(() => {
    const grids = bboxOfFeatures(data.grids.features);
    if (!isEmptyBBox(grids)) return grids;
    return bboxOfFeatures(data.regions.features.filter((f) => !scope || f.properties?.code === scope));
  }, [data.grids, data.regions, scope]);

  const fitScope = useCallback(
    (animate: boolean) => {
      if (handle) fly(handle, cameraFor(scopeBBox, 'scope', viewport(), { phone }), animate);
    },
    [handle, scopeBBox, viewport, phone],
  );

  // First data on a loaded map: frame the user's area, then tell tests once the grids are drawn.
  const framed = useRef(false);
  useEffect(() => {
    if (!handle || data.loading || framed.current || isEmptyBBox(scopeBBox)) return;
    framed.current = true;
    fitScope(false);
    handle.map.once('idle', () => {
      handle.labels.flush();
      setReady(true);
    });
  }, [handle, data.loading, scopeBBox, fitScope]);

  const gridByCode = useMemo(() => {
    const byCode = new Map<string, Feature>();
    for (const f of data.grids.features) byCode.set(String(f.properties?.code), f);
    return byCode;
  }, [data.grids]);
  const gridBBox = (code: string): BBox | null => {
    const geometry = gridByCode.get(code)?.geometry;
    return geometry ? bboxOfGeometry(geometry) : null;
  };

  const pick = (hit: SearchHit) => {
    if (!handle) return;
    const isGrid = hit.kind === 'grid';
    const bbox = hit.bbox ?? (isGrid ? gridBBox(hit.code) : null);
    const panelOpen = isGrid || Boolean(selected);
    if (bbox) fly(handle, cameraFor(bbox, hit.kind, viewport(), { phone, panelOpen }), true);
    if (isGrid) setSelected(hit.code);
    if (phone) setLegendOpen(false);
  };

  const selectedProps = selected ? gridByCode.get(selected)?.properties : null;

  return (
    <div
      ref={wrapRef}
      className="zz-map-wrap"
      data-testid="page-map"
      style={{
        position: 'relative',
        height,
        overflow: 'hidden',
        borderRadius: phone ? 6 : 8,
        border: '1px solid #e3e8ef',
        background: '#eef1f5',
      }}
    >
      <div ref={mapRef} style={{ position: 'absolute', inset: 0 }} data-testid="map-canvas" />
      {ready && <span data-testid="map-ready" hidden />}

      <div
        style={{
          position: 'absolute',
          zIndex: 5,
          top: phone ? 8 : 12,
          left: phone ? 8 : 12,
          right: phone ? 8 : undefined,
          width: phone ? undefined : 300,
          display: 'flex',
          flexDirection: 'column',
          gap: 8,
        }}
      >
        <MapSearch onPick={pick} />
        <Card
          size="small"
          styles={{ body: { padding: '8px 12px' } }}
          style={{ boxShadow: '0 2px 8px rgba(15,30,60,.12)' }}
        >
          <LayerPanel
            toggles={toggles}
            onToggle={(key, on) => setToggles((prev) => ({ ...prev, [key]: on }))}
            layers={data.layers}
            gridCount={data.grids.features.length}
            open={legendOpen}
            onOpenChange={setLegendOpen}
            onFitScope={() => fitScope(true)}
          />
        </Card>
        {data.error ? (
          <Alert type="error" showIcon title={`${t('map.loadFailed')}：${errorMessage(data.error)}`} />
        ) : null}
        {failed && <Alert type="warning" showIcon title={t('map.webglUnavailable')} />}
      </div>

      {(data.loading || (!ready && !failed && !data.error)) && (
        <div
          style={{
            position: 'absolute',
            zIndex: 4,
            left: '50%',
            top: '50%',
            transform: 'translate(-50%,-50%)',
          }}
        >
          <Spin description={t('map.loading')} />
        </div>
      )}

      <GridInfoPanel
        code={selected}
        fallback={
          selectedProps
            ? { name: String(selectedProps.name ?? ''), areaM2: Number(selectedProps.areaM2) || undefined }
            : null
        }
        phone={phone}
        onClose={() => setSelected(null)}
      />
    </div>
  );
}
