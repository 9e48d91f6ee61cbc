import { useQuery } from '@tanstack/react-query';
import { get } from '../../app/api.ts';
import type { CaseDetail, CategoryNode, WorklistCounts } from './case-model.ts';

export * from './case-model.ts';

export const caseKeys = {
  all: ['cases'] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  worklists: ['cases', 'worklists'] as const,
};

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () =>
      get<CategoryNode[] | { items: CategoryNode[] }>('/api/v1/categories').then((d) =>
        Array.isArray(d) ? d : d.items,
      ),
    staleTime: 10 * 60_000,
  });
}

export function useWorklistCounts() {
  return useQuery({
    queryKey: caseKeys.worklists,
    queryFn: () => get<WorklistCounts>('/api/v1/cases/worklists'),
    refetchInterval: 60_000,
  });
}

export function useCaseDetail(id: string) {
  return useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: () => get<CaseDetail>(`/api/v1/cases/${encodeURIComponent(id)}`),
  });
}
