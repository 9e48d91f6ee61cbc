import {
  DeleteOutlined,
  EditOutlined,
  HistoryOutlined,
  KeyOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, post } from '../../app/api.ts';
import { useScopeLabel } from '../../app/HeaderBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import type { Webhook } from '../notification/notification-api.ts';
import { WebhookDeliveriesDrawer } from '../notification/WebhookDeliveriesDrawer.tsx';
import { WebhookFormModal } from '../notification/WebhookFormModal.tsx';
import { WebhookSecretModal } from '../notification/WebhookSecretModal.tsx';

/** 系统管理 → Webhook: receivers of signed case events (SMS gateways, messaging bots). */
export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const formatDateTime = useFormatDateTime();
  const scopeLabel = useScopeLabel();
  const queryClient = useQueryClient();
  const list = usePagedList<Webhook>('webhooks', '/api/v1/webhooks');
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const onError = (error: unknown) => void message.error(errorMessage(error));

  const test = useMutation({
    mutationFn: (id: string) => post(`/api/v1/webhooks/${encodeURIComponent(id)}/test`),
    onSuccess: () => void message.success(t('webhooks.testQueued')),
    onError,
  });
  const rotate = useMutation({
    mutationFn: (id: string) =>
      post<{ secret: string }>(`/api/v1/webhooks/${encodeURIComponent(id)}/rotate-secret`),
    onSuccess: (r) => setSecret(r.secret),
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/webhooks/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      void message.success(t('webhooks.deleted'));
      await refresh();
    },
    onError,
  });

  return (
    <div data-testid="page-system-webhooks">
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 720 }}>
          {t('webhooks.intro')}
        </Typography.Paragraph>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          data-testid="webhook-create"
        >
          {t('webhooks.create')}
        </Button>
      </Flex>
      <ProblemAlert error={list.query.error} />
      <Table<Webhook>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('webhooks.name'), dataIndex: 'name' },
          {
            title: t('webhooks.url'),
            dataIndex: 'url',
            render: (v: string) => (
              <Typography.Text code ellipsis style={{ maxWidth: 280 }} title={v}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('webhooks.events'),
            dataIndex: 'events',
            render: (events: string[]) => (
              <Flex wrap gap={4} style={{ maxWidth: 300 }}>
                {events.map((e) => (
                  <Tag key={e} style={{ marginInlineEnd: 0 }}>
                    {t(`webhooks.event.${e}`, { defaultValue: e })}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            title: t('webhooks.scope'),
            key: 'scope',
            render: (_, w) => scopeLabel(w.scope),
          },
          {
            title: t('webhooks.personalData'),
            dataIndex: 'personalData',
            render: (on: boolean) =>
              on ? (
                <Tag color="orange">{t('webhooks.personalClear')}</Tag>
              ) : (
                <Tag>{t('webhooks.personalMasked')}</Tag>
              ),
          },
          {
            title: t('webhooks.active'),
            dataIndex: 'active',
            render: (active: boolean) =>
              active ? <Tag color="green">{t('common.enabled')}</Tag> : <Tag>{t('common.disabled')}</Tag>,
          },
          {
            title: t('webhooks.updatedAt'),
            dataIndex: 'updatedAt',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, w) => (
              <Space size={0} wrap>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(w)}>
                  {t('common.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  icon={<SendOutlined />}
                  loading={test.isPending && test.variables === w.id}
                  onClick={() => test.mutate(w.id)}
                >
                  {t('webhooks.test')}
                </Button>
                <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setLog(w)}>
                  {t('webhooks.deliveries')}
                </Button>
                <Popconfirm
                  title={t('webhooks.rotateConfirm', { name: w.name })}
                  onConfirm={() => rotate.mutate(w.id)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Button type="link" size="small" icon={<KeyOutlined />}>
                    {t('webhooks.rotate')}
                  </Button>
                </Popconfirm>
                <Popconfirm
                  title={t('webhooks.deleteConfirm', { name: w.name })}
                  onConfirm={() => remove.mutate(w.id)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    {t('webhooks.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <WebhookFormModal editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
      {secret && <WebhookSecretModal secret={secret} onClose={() => setSecret(null)} />}
      <WebhookDeliveriesDrawer webhook={log} onClose={() => setLog(null)} />
    </div>
  );
}
