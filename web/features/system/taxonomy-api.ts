import { useQuery } from '@tanstack/react-query';
import type {
  CalendarYearView,
  CatalogueItem,
  CatalogueVersionSummary,
  CatalogueVersionView,
  PreviewResult,
  ResponsibilityRuleView,
} from '../../../src/contracts/taxonomy.schema.ts';
import { get } from '../../app/api.ts';
import type { Paged } from '../../app/api-types.ts';

// Response types come from src/contracts (type-only, so zod stays out of the bundle).
export type {
  CalendarYearView,
  CatalogueItem,
  CatalogueVersionSummary,
  CatalogueVersionView,
  PreviewResult,
  ResponsibilityRuleView,
};

export const taxonomyKeys = {
  versions: ['categories', 'versions'] as const,
  version: (v: number) => ['categories', 'versions', v] as const,
  calendarYears: ['calendar', 'years'] as const,
  calendarYear: (y: number) => ['calendar', 'years', y] as const,
  rules: ['responsibility-rules'] as const,
};

export function useCatalogueVersions() {
  return useQuery({
    queryKey: taxonomyKeys.versions,
    queryFn: () =>
      get<Paged<CatalogueVersionSummary>>('/api/v1/categories/versions', { page: 1, pageSize: 200 }),
  });
}

export function useCatalogueVersion(version: number | null) {
  return useQuery({
    queryKey: taxonomyKeys.version(version ?? 0),
    queryFn: () => get<CatalogueVersionView>(`/api/v1/categories/versions/${version}`),
    enabled: version !== null,
    staleTime: Infinity, // versions never change
  });
}

export function useCalendarYears() {
  return useQuery({
    queryKey: taxonomyKeys.calendarYears,
    queryFn: () =>
      get<{ items: { year: number; holidays: number; makeupWorkdays: number; source: string }[] }>(
        '/api/v1/calendar/years',
      ),
  });
}

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: taxonomyKeys.calendarYear(year),
    queryFn: () => get<CalendarYearView>(`/api/v1/calendar/years/${year}`),
  });
}

/** The catalogue's name for a category code or prefix in the UI language. */
export function itemLabel(item: Pick<CatalogueItem, 'name' | 'nameEn'>, language: string): string {
  return (language === 'en' && item.nameEn) || item.name;
}
