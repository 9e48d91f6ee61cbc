import { Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../src/contracts/spatial.schema.ts';

type Finding = ImportReport['errors'][number];

/** The validation report: errors and warnings, each naming the feature by index, code and reason. */
export function ImportReportTable({ report }: { report: ImportReport }) {
  const { t, i18n } = useTranslation();
  const columns = [
    {
      title: t('spatial.index'),
      dataIndex: 'index',
      width: 100,
      render: (i: number | null) => (i === null ? '—' : i),
    },
    { title: t('spatial.code'), dataIndex: 'code', width: 180, render: (c?: string) => c ?? '—' },
    {
      title: t('spatial.reason'),
      dataIndex: 'reason',
      width: 220,
      render: (r: string) => (
        <Tag title={r}>{i18n.exists(`spatial.reasons.${r}`) ? t(`spatial.reasons.${r}`) : r}</Tag>
      ),
    },
    { title: t('spatial.message'), dataIndex: 'message' },
  ];
  const table = (rows: Finding[]) => (
    <Table<Finding>
      size="small"
      rowKey={(r) => `${r.index}-${r.reason}-${r.message}`}
      columns={columns}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t('spatial.noFindings') }}
    />
  );
  return (
    <div data-testid="import-report">
      <Typography.Paragraph>{t('spatial.counts', report.counts)}</Typography.Paragraph>
      <Tabs
        items={[
          {
            key: 'errors',
            label: `${t('spatial.errors')} (${report.counts.errors})`,
            children: table(report.errors),
          },
          {
            key: 'warnings',
            label: `${t('spatial.warnings')} (${report.counts.warnings})`,
            children: table(report.warnings),
          },
        ]}
      />
    </div>
  );
}
