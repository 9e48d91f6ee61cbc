import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Popconfirm, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, itemsOf } from '../../app/api.ts';
import type { ApiToken, Paged } from '../../app/api-types.ts';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { TokenFormModal } from './TokenFormModal.tsx';

function TokenStatus({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  if (token.revokedAt) return <Tag>{t('tokens.revoked')}</Tag>;
  if (new Date(token.expiresAt) <= new Date()) return <Tag color="orange">{t('tokens.expired')}</Tag>;
  return <Tag color="green">{t('tokens.active')}</Tag>;
}

export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const formatDate = useFormatDateTime();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['tokens', 'list'],
    queryFn: () => get<ApiToken[] | Paged<ApiToken>>('/api/v1/tokens').then(itemsOf),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/api/v1/tokens/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      void message.success(t('tokens.revokedDone'));
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  return (
    <div data-testid="page-system-tokens">
      <Flex justify="flex-end" style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      </Flex>
      <ProblemAlert error={list.error} />
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.prefix'), dataIndex: 'prefix', render: (v: string) => <code>{v}…</code> },
          {
            title: t('tokens.staff'),
            dataIndex: 'staffName',
            render: (v: string | null) => v || t('common.none'),
          },
          {
            title: t('tokens.permissions'),
            dataIndex: 'permissions',
            render: (perms: string[]) => (
              <Flex wrap gap={4} style={{ maxWidth: 320 }}>
                {perms.map((p) => (
                  <Tag key={p} style={{ marginInlineEnd: 0 }}>
                    {t(`perm.${p}`, { defaultValue: p })}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          { title: t('tokens.status'), key: 'status', render: (_, tok) => <TokenStatus token={tok} /> },
          { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string) => formatDate(v) },
          {
            title: t('tokens.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => formatDate(v),
          },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDate(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, tok) =>
              tok.revokedAt ? null : (
                <Popconfirm
                  title={t('tokens.revokeConfirm', { name: tok.name })}
                  onConfirm={() => revoke.mutate(tok.id)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                >
                  <Button type="link" danger size="small" icon={<StopOutlined />}>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && <TokenFormModal onClose={() => setCreating(false)} />}
    </div>
  );
}
