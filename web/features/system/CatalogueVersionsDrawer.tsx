import { Drawer, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { useCatalogueVersions, type CatalogueVersionSummary } from './taxonomy-api.ts';

/** Version history (版本记录): each version's note, time and what changed against the one before. */
export function CatalogueVersionsDrawer({
  onOpen,
  onClose,
}: {
  onOpen: (version: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const versions = useCatalogueVersions();
  return (
    <Drawer
      open
      size="large"
      title={t('catalogue.history')}
      onClose={onClose}
      data-testid="catalogue-history"
    >
      <ProblemAlert error={versions.error} />
      <Table<CatalogueVersionSummary>
        rowKey="version"
        size="small"
        loading={versions.isFetching}
        dataSource={versions.data?.items ?? []}
        pagination={false}
        onRow={(v) => ({ onClick: () => onOpen(v.version), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('catalogue.version'),
            dataIndex: 'version',
            render: (v: number, r) => (
              <>
                v{v} {r.current && <Tag color="blue">{t('catalogue.current')}</Tag>}
              </>
            ),
          },
          { title: t('catalogue.note'), dataIndex: 'note' },
          {
            title: t('catalogue.effectiveAt'),
            dataIndex: 'effectiveAt',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('catalogue.counts'),
            key: 'counts',
            render: (_, r) => t('catalogue.countsValue', { active: r.active, total: r.categories }),
          },
          {
            title: t('catalogue.diff'),
            key: 'diff',
            render: (_, r) =>
              r.version === 1
                ? t('common.none')
                : t('catalogue.diffValue', { added: r.added, changed: r.changed, removed: r.removed }),
          },
        ]}
      />
    </Drawer>
  );
}
