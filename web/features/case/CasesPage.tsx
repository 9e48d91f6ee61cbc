import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Form, Input, Select, Table, Tabs, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { caseStates } from '../../../src/domain/case/case-workflow.ts';
import { urgencies } from '../../../src/domain/sla/time-limit.ts';
import { useAuth } from '../../app/auth.tsx';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
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
import { downloadCsv } from './csv.ts';

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

  const exportPage = () => {
    downloadCsv(
      `cases-${new Date().toISOString().slice(0, 10)}.csv`,
      [
        t('case.field.code'),
        t('case.field.title'),
        t('case.field.category'),
        t('case.field.urgency'),
        t('case.field.state'),
        t('case.field.street'),
        t('case.field.community'),
        t('case.field.grid'),
        t('case.field.address'),
        t('case.field.deadline'),
        t('case.field.light'),
        t('case.field.createdAt'),
      ],
      list.items.map((c) => [
        c.code,
        c.title,
        c.categoryName ?? c.categoryCode,
        t(`case.urgency.${c.urgency}`),
        t(`case.state.${c.state}`),
        c.streetName ?? '',
        c.communityName ?? '',
        c.gridCode ?? '',
        c.address ?? '',
        c.stageDeadline ? formatDateTime(c.stageDeadline) : '',
        c.light ? t(`case.light.${c.light}`) : '',
        formatDateTime(c.createdAt),
      ]),
    );
  };

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
            <Button icon={<DownloadOutlined />} onClick={exportPage} disabled={list.items.length === 0}>
              {t('case.exportPage')}
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
    </div>
  );
}
