import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../app/api.ts';
import type { Department, Paged } from '../../app/api-types.ts';

/** Searchable department picker over the paged department list. */
export function DepartmentSelect({
  value,
  onChange,
  id,
  initialLabel,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
  initialLabel?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['departments', 'pick', q],
    queryFn: () => get<Paged<Department>>('/api/v1/departments', { page: 1, pageSize: 50, q }),
  });
  const options = (list.data?.items ?? []).map((d) => ({
    value: d.id,
    label: (i18n.language === 'en' && d.nameEn) || d.name,
  }));
  if (value && initialLabel && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: initialLabel });
  }
  return (
    <Select
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={list.isFetching}
      placeholder={t('users.departmentPlaceholder')}
      style={{ width: '100%' }}
    />
  );
}
