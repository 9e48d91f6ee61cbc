import { Form, Input, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../app/api-types.ts';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  if (typeof details === 'object' && Object.keys(details).length === 0) return '';
  return JSON.stringify(details);
}

/** Read-only view of who did what, newest first (the server orders it). */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const list = usePagedList<AuditEntry>('audit-log', '/api/v1/audit-log');
  return (
    <div data-testid="page-system-audit">
      <FilterBar onApply={list.applyFilters}>
        <Form.Item name="action">
          <Input allowClear placeholder={t('audit.actionPlaceholder')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="actor">
          <Input allowClear placeholder={t('audit.actorPlaceholder')} style={{ width: 160 }} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: (v: string) => formatDate(v) },
          {
            title: t('audit.actor'),
            dataIndex: 'actorName',
            render: (v: string | null) => v || t('common.none'),
          },
          { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <code>{v}</code> },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_, e) => [e.targetType, e.targetId].filter(Boolean).join(' · ') || t('common.none'),
          },
          {
            title: t('audit.details'),
            dataIndex: 'details',
            render: (v: unknown) => {
              const text = detailsText(v);
              return text ? (
                <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 320 }}>
                  {text}
                </Typography.Text>
              ) : (
                t('common.none')
              );
            },
          },
          { title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v || t('common.none') },
        ]}
      />
    </div>
  );
}
