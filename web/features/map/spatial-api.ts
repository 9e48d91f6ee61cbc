import { useQueries, useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection } from 'geojson';
import { useCallback, useMemo } from 'react';
import { codePrefix, levelOfCode } from '../../../src/domain/region/region-code.ts';
import { get } from '../../app/api.ts';
import type { SearchHitType } from '../../map/camera.ts';
import type { BBox } from '../../map/geometry.ts';
import type { SpatialLayerKind } from '../../map/style.ts';
import { withTints } from '../../map/tints.ts';

// Response shapes of /api/v1/spatial/*, mirrored here until src/contracts exports them.

export type MapRegionLevel = 'district' | 'street' | 'community';

export interface SpatialLayer {
  id: string;
  kind: SpatialLayerKind;
  code: string;
  name: string;
  nameEn?: string | null;
  featureCount: number;
}

export interface GridDetail {
  code: string;
  name: string;
  legacyCode?: string | null;
  areaM2: number;
  community: { code: string; name: string } | null;
  street: { code: string; name: string } | null;
  workers: { id: string; displayName: string }[];
  /** Responsible departments, through the responsibility zone / supervision unit features covering the grid. */
  departments: { id: string | null; name: string; featureName?: string; layerKind?: SpatialLayerKind }[];
}

/** A search hit as the server sends it: `type` is 'grid', a region level or 'layer_feature'. */
export interface SearchHitView {
  type: string;
  code: string;
  name: string;
  bbox: BBox | null;
}

export interface SearchHit extends SearchHitView {
  /** What the camera should do with it. */
  kind: SearchHitType;
}

export function toSearchHit(view: SearchHitView): SearchHit {
  const kind: SearchHitType =
    view.type === 'grid' ? 'grid' : view.type === 'layer_feature' ? 'layer_feature' : 'region';
  return { ...view, kind };
}

const base = '/api/v1/spatial';
const mapLevels: MapRegionLevel[] = ['district', 'street', 'community'];
const emptyFc: FeatureCollection = { type: 'FeatureCollection', features: [] };
const STALE = 5 * 60_000;

/** The region a feature belongs to keeps it on the map when it is inside the scope or one of its ancestors. */
export function inScopeOrAncestor(code: string, scope: string | null): boolean {
  if (!scope) return true;
  const scopeLevel = levelOfCode(scope);
  const level = levelOfCode(code);
  if (!scopeLevel || !level) return true;
  return code.startsWith(codePrefix(scope, scopeLevel)) || scope.startsWith(codePrefix(code, level));
}

type Result<T> = { data?: T; isPending: boolean; error: unknown };

function mergeCollections(results: Result<FeatureCollection>[]) {
  return {
    features: results.flatMap((r) => r.data?.features ?? []),
    pending: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
  };
}

/** Regions (district, street and community outlines) and grids of the user's scope, and the data layers. */
export function useSpatialData(scopeCode: string | null) {
  const regionResult = useQueries({
    queries: mapLevels.map((level) => ({
      queryKey: ['spatial', 'regions', level],
      queryFn: () => get<FeatureCollection>(`${base}/regions.geojson`, { level }),
      staleTime: STALE,
    })),
    combine: mergeCollections,
  });
  const regions = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: regionResult.features.filter((f) =>
        inScopeOrAncestor(String(f.properties?.code ?? ''), scopeCode),
      ),
    }),
    [regionResult.features, scopeCode],
  );

  // Without a scope (a system-wide account) the grids of every district are loaded.
  const gridRoots = scopeCode
    ? [scopeCode]
    : regionResult.features
        .filter((f: Feature) => f.properties?.level === 'district')
        .map((f) => String(f.properties?.code ?? ''));
  const gridResult = useQueries({
    queries: gridRoots.map((regionCode) => ({
      queryKey: ['spatial', 'grids', regionCode],
      queryFn: () => get<FeatureCollection>(`${base}/grids.geojson`, { regionCode }),
      staleTime: STALE,
    })),
    combine: mergeCollections,
  });
  const grids = useMemo<FeatureCollection>(
    () => withTints({ ...emptyFc, features: gridResult.features }),
    [gridResult.features],
  );

  const layers = useQuery({
    queryKey: ['spatial', 'layers'],
    queryFn: () => get<SpatialLayer[]>(`${base}/layers`),
    staleTime: STALE,
  });

  const error = regionResult.error ?? gridResult.error ?? layers.error;
  const loading = regionResult.pending || gridResult.pending || gridRoots.length === 0;
  return { regions, grids, layers: layers.data ?? [], loading: loading && !error, error };
}

/** Features of the data layers switched on, by layer id. */
export function useLayerFeatures(layerIds: readonly string[]) {
  return useQueries({
    queries: layerIds.map((id) => ({
      queryKey: ['spatial', 'layer-features', id],
      queryFn: () => get<FeatureCollection>(`${base}/layers/${encodeURIComponent(id)}/features.geojson`),
      staleTime: STALE,
    })),
    combine: useCallback(
      (results: Result<FeatureCollection>[]) => {
        const out: Record<string, FeatureCollection> = {};
        results.forEach((r, i) => {
          if (r.data) out[layerIds[i]!] = r.data;
        });
        return out;
      },
      // A new list of the same ids keeps the combined result stable.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [layerIds.join('|')],
    ),
  });
}

export function useGridDetail(code: string | null) {
  return useQuery({
    queryKey: ['spatial', 'grid', code],
    queryFn: () => get<GridDetail>(`${base}/grids/${encodeURIComponent(code!)}`),
    enabled: Boolean(code),
  });
}

export function useSpatialSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['spatial', 'search', text],
    queryFn: async () => (await get<SearchHitView[]>(`${base}/search`, { q: text })).map(toSearchHit),
    enabled: text.length >= 1,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}
