import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth.tsx';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { ProblemAlert } from '../../ui/problem.tsx';
import { EnabledTag } from '../../ui/StatusTag.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { DepartmentFormModal } from './DepartmentFormModal.tsx';

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = usePagedList<Department>('departments', '/api/v1/departments');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const canManage = can('org.manage');

  return (
    <div data-testid="page-system-departments">
      <FilterBar
        onApply={list.applyFilters}
        actions={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('departments.create')}
            </Button>
          )
        }
      >
        <Form.Item name="q">
          <Input allowClear placeholder={t('departments.searchPlaceholder')} style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<Department>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('departments.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          { title: t('departments.name'), dataIndex: 'name' },
          {
            title: t('departments.nameEn'),
            dataIndex: 'nameEn',
            render: (v: string | null) => v || t('common.none'),
          },
          {
            title: t('departments.region'),
            key: 'region',
            render: (_, d) => d.regionName ?? d.regionCode,
          },
          {
            title: t('departments.status'),
            dataIndex: 'disabled',
            render: (v: boolean) => <EnabledTag disabled={v} />,
          },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, d: Department) => (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <DepartmentFormModal
          department={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
