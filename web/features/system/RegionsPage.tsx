import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Region } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth.tsx';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { RegionFormModal } from './RegionFormModal.tsx';
import { fetchRegions } from './RegionTreeSelect.tsx';

interface Row extends Region {
  children?: Row[];
}

/** The region tree of the user's scope; each level loads when its parent is expanded. */
export default function RegionsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const roots = useQuery({ queryKey: ['regions', 'children', null], queryFn: () => fetchRegions() });
  const [children, setChildren] = useState<Record<string, Region[]>>({});
  const [loadingCode, setLoadingCode] = useState<string | null>(null);
  const [parent, setParent] = useState<Region | null>(null);

  const loadChildren = async (code: string, force = false) => {
    if (!force && children[code]) return;
    setLoadingCode(code);
    try {
      if (force) await queryClient.invalidateQueries({ queryKey: ['regions', 'children', code] });
      const items = await queryClient.fetchQuery({
        queryKey: ['regions', 'children', code],
        queryFn: () => fetchRegions(code),
      });
      setChildren((prev) => ({ ...prev, [code]: items }));
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setLoadingCode(null);
    }
  };

  const toRows = (regions: Region[]): Row[] =>
    regions.map((r) => {
      const loaded = children[r.code];
      if (r.childCount === 0 && !loaded?.length) return { ...r };
      return { ...r, children: loaded ? toRows(loaded) : [] };
    });

  const canManage = can('region.manage');
  return (
    <div data-testid="page-system-regions">
      <ProblemAlert error={roots.error} />
      <Table<Row>
        rowKey="code"
        size="middle"
        loading={roots.isPending && !roots.isError}
        dataSource={toRows(roots.data ?? [])}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('regions.empty')} /> }}
        expandable={{
          onExpand: (expanded, record) => {
            if (expanded) void loadChildren(record.code);
          },
        }}
        columns={[
          {
            title: t('regions.name'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <span>
                {(i18n.language === 'en' && r.nameEn) || name}
                {loadingCode === r.code && ' …'}
              </span>
            ),
          },
          { title: t('regions.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          {
            title: t('regions.level'),
            dataIndex: 'level',
            render: (v: string) => <Tag>{t(`level.${v}`)}</Tag>,
          },
          { title: t('regions.children'), dataIndex: 'childCount' },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: Row) =>
                    r.level === 'community' ? null : (
                      <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setParent(r)}>
                        {t('regions.addChild')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {parent && (
        <RegionFormModal
          parent={parent}
          onClose={() => setParent(null)}
          onCreated={async () => {
            await queryClient.invalidateQueries({ queryKey: ['regions'] });
            await loadChildren(parent.code, true);
          }}
        />
      )}
    </div>
  );
}
