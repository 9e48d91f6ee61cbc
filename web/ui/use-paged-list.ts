import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type QueryValue } from '../app/api.ts';
import type { Paged } from '../app/api-types.ts';

export type Filters = Record<string, QueryValue>;

/** Server-side paging and filtering for an antd Table over one list endpoint. */
export function usePagedList<T>(key: string, path: string, initialFilters: Filters = {}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const query = useQuery({
    queryKey: [key, 'list', { page, pageSize, ...filters }],
    queryFn: () => get<Paged<T>>(path, { page, pageSize, ...filters }),
    placeholderData: keepPreviousData,
  });
  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: query.data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    showTotal: (total) => t('common.total', { total }),
    onChange: (nextPage, nextSize) => {
      setPage(nextSize !== pageSize ? 1 : nextPage);
      setPageSize(nextSize);
    },
  };
  const applyFilters = (next: Filters) => {
    setFilters(next);
    setPage(1);
  };
  return { query, items: query.data?.items ?? [], pagination, filters, applyFilters };
}
