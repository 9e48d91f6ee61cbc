import { DownloadOutlined, FileExcelOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { App, Badge, Button, Flex, Form, Input, Select, Table, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { caseStates } from '../../../src/domain/case/case-workflow.ts';
import { urgencies } from '../../../src/domain/sla/time-limit.ts';
import { useAuth } from '../../app/auth.tsx';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { usePagedList, type Filters } from '../../ui/use-paged-list.ts';
import { RegionTreeSelect } from '../system/RegionTreeSelect.tsx';
import {
  useCategories,
  useWorklistCounts,
  worklistsOf,
  type CaseSummary,
  type Worklist,
} from './case-api.ts';
import { LightBadge, StateTag, UrgencyTag } from './case-ui.tsx';
import { flatCategories } from './category-options.ts';
import { BulkDispatchModal } from './BulkDispatchModal.tsx';
import { downloadCaseExport } from './case-export-download.ts';

const ALL = 'all';

export default function CasesPage() {
  const { t, i18n } = useTranslation();
  const { user, can } = useAuth();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const [params, setParams] = useSearchParams();
  const counts = useWorklistCounts();
  const mine = worklistsOf(user?.role, counts.data);
  const worklist = (params.get('worklist') as Worklist | null) ?? null;
  const activeTab = worklist && mine.includes(worklist) ? worklist : ALL;

  const list = usePagedList<CaseSummary>('cases', '/api/v1/cases', {
    worklist: activeTab === ALL ? undefined : activeTab,
  });
  const categories = useCategories();
  const canCreate = can('case.create');
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  // The worklist lives in the URL (so a card on the workbench can link to it); the other filters in state.
  const worklistFilter = activeTab === ALL ? undefined : activeTab;
  const { filters, applyFilters } = list;
  useEffect(() => {
    if (filters.worklist !== worklistFilter) applyFilters({ ...filters, worklist: worklistFilter });
  }, [worklistFilter, filters, applyFilters]);

  const selectTab = (key: string) => {
    const next = new URLSearchParams(params);
    if (key === ALL) next.delete('worklist');
    else next.set('worklist', key);
    setParams(next, { replace: true });
  };

  // Export every row matching the filters (all pages), built by the server in the caller's scope.
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const exportAll = async (format: 'xlsx' | 'csv') => {
    setExporting(format);
    try {
      const rows = await downloadCaseExport(format, list.filters);
      void message.success(t('case.exported', { count: rows }));
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(null);
    }
  };

  // 批量派遣: dispatchers select rows on their 待派遣 list; the selection survives paging.
  const canBulkDispatch = user?.role === 'dispatcher' && can('case.act') && activeTab === 'to_dispatch';
  const [selected, setSelected] = useState<Map<string, CaseSummary>>(new Map());
  const [bulkOpen, setBulkOpen] = useState(false);
  useEffect(() => setSelected(new Map()), [activeTab]);

  const tabCount = (key: Worklist) => counts.data?.counts[key];

  return (
    <div data-testid="page-cases">
      <Tabs
        activeKey={activeTab}
        onChange={selectTab}
        size="small"
        items={[
          { key: ALL, label: <span data-testid="worklist-all">{t('case.all')}</span> },
          ...mine.map((key) => ({
            key,
            label: (
              <span data-testid={`worklist-${key}`}>
                {t(`case.worklist.${key}`)}{' '}
                <Badge
                  count={tabCount(key) ?? 0}
                  showZero
                  overflowCount={999}
                  color={(tabCount(key) ?? 0) === 0 ? '#bfbfbf' : key === 'overdue' ? 'red' : 'blue'}
                  size="small"
                />
              </span>
            ),
          })),
        ]}
      />
      <FilterBar
        onApply={(next: Filters) => applyFilters({ ...next, worklist: worklistFilter })}
        actions={
          <Flex gap={8} wrap>
            {canBulkDispatch && (
              <Button
                icon={<SendOutlined />}
                disabled={selected.size === 0}
                onClick={() => setBulkOpen(true)}
                data-testid="bulk-dispatch"
              >
                {selected.size
                  ? t('case.bulkDispatchCount', { count: selected.size })
                  : t('case.bulkDispatch')}
              </Button>
            )}
            <Button
              icon={<FileExcelOutlined />}
              onClick={() => void exportAll('xlsx')}
              loading={exporting === 'xlsx'}
              disabled={exporting !== null || (list.query.data?.total ?? 0) === 0}
              data-testid="export-xlsx"
            >
              {t('case.exportExcel')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void exportAll('csv')}
              loading={exporting === 'csv'}
              disabled={exporting !== null || (list.query.data?.total ?? 0) === 0}
              data-testid="export-csv"
            >
              {t('case.exportCsv')}
            </Button>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')}>
                {t('case.create')}
              </Button>
            )}
          </Flex>
        }
      >
        <Form.Item name="q">
          <Input allowClear placeholder={t('case.searchPlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('case.field.state')}
            style={{ width: 130 }}
            options={caseStates.map((s) => ({ value: s, label: t(`case.state.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="categoryCode">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('case.field.category')}
            style={{ width: 180 }}
            popupMatchSelectWidth={false}
            options={flatCategories(categories.data ?? [], i18n.language)}
          />
        </Form.Item>
        <Form.Item name="urgency">
          <Select
            allowClear
            placeholder={t('case.field.urgency')}
            style={{ width: 110 }}
            options={urgencies.map((u) => ({ value: u, label: t(`case.urgency.${u}`) }))}
          />
        </Form.Item>
        <Form.Item name="light">
          <Select
            allowClear
            placeholder={t('case.field.light')}
            style={{ width: 110 }}
            options={(['green', 'yellow', 'red'] as const).map((l) => ({
              value: l,
              label: t(`case.light.${l}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="regionCode" style={{ width: 200 }}>
          <RegionTreeSelect />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<CaseSummary>
        rowKey="id"
        {...(canBulkDispatch
          ? {
              rowSelection: {
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                onChange: (_keys: React.Key[], rows: CaseSummary[]) => {
                  const next = new Map(selected);
                  const onPage = new Set(list.items.map((c) => c.id));
                  for (const id of onPage) next.delete(id);
                  for (const c of rows) if (c && onPage.has(c.id)) next.set(c.id, c);
                  setSelected(next);
                },
              },
            }
          : {})}
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({
          'data-testid': `case-row-${c.code}`,
          onClick: () => navigate(`/cases/${encodeURIComponent(c.id)}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            title: t('case.field.code'),
            dataIndex: 'code',
            fixed: 'left',
            render: (v: string, c) => (
              <Link to={`/cases/${encodeURIComponent(c.id)}`} onClick={(e) => e.stopPropagation()}>
                <code>{v}</code>
              </Link>
            ),
          },
          {
            title: t('case.field.title'),
            dataIndex: 'title',
            render: (v: string) => (
              <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 240 }}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('case.field.category'),
            key: 'category',
            render: (_, c) => c.categoryName ?? c.categoryCode,
          },
          {
            title: t('case.field.urgency'),
            dataIndex: 'urgency',
            render: (v: string) => <UrgencyTag urgency={v} />,
          },
          {
            title: t('case.field.state'),
            dataIndex: 'state',
            render: (v: string) => <StateTag state={v} />,
          },
          {
            title: t('case.field.community'),
            key: 'community',
            render: (_, c) => c.communityName ?? t('common.none'),
          },
          {
            title: t('case.field.deadline'),
            key: 'deadline',
            render: (_, c) => <LightBadge light={c.light} deadline={c.stageDeadline} />,
          },
          {
            title: t('case.field.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span>,
          },
        ]}
      />
      {bulkOpen && (
        <BulkDispatchModal
          cases={[...selected.values()]}
          onClose={() => setBulkOpen(false)}
          onDone={(ids) => {
            const next = new Map(selected);
            for (const id of ids) next.delete(id);
            setSelected(next);
          }}
        />
      )}
    </div>
  );
}
