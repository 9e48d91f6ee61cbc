import { Drawer, Form, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { deliveryStatuses, webhookEvents, type Delivery, type Webhook } from './notification-api.ts';

const statusColor: Record<Delivery['status'], string> = {
  pending: 'blue',
  delivered: 'green',
  failed: 'red',
};

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const list = usePagedList<Delivery>(
    `webhook-deliveries-${webhook.id}`,
    `/api/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries`,
  );
  return (
    <>
      <FilterBar onApply={(f) => list.applyFilters(f)}>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('webhooks.status')}
            style={{ width: 130 }}
            options={deliveryStatuses.map((s) => ({ value: s, label: t(`webhooks.deliveryStatus.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="event">
          <Select
            allowClear
            placeholder={t('webhooks.events')}
            style={{ width: 170 }}
            options={[...webhookEvents, 'ping' as const].map((e) => ({
              value: e,
              label: t(`webhooks.event.${e}`),
            }))}
          />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (d) => (
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>
                {JSON.stringify(d.payload, null, 2)}
              </pre>
            </Typography.Paragraph>
          ),
        }}
        columns={[
          {
            title: t('webhooks.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('webhooks.events'),
            dataIndex: 'event',
            render: (e: string) => t(`webhooks.event.${e}`, { defaultValue: e }),
          },
          {
            title: t('webhooks.status'),
            dataIndex: 'status',
            render: (s: Delivery['status']) => (
              <Tag color={statusColor[s]}>{t(`webhooks.deliveryStatus.${s}`)}</Tag>
            ),
          },
          { title: t('webhooks.attempts'), dataIndex: 'attempts' },
          {
            title: t('webhooks.lastResult'),
            key: 'last',
            render: (_, d) => {
              const status = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : null;
              if (!d.lastError) return status ?? t('common.none');
              // A fixed reason: `timeout`, `address_refused:loopback`, … (never the receiver's answer).
              const [reason, cls] = d.lastError.split(':');
              const text = t(`webhooks.reason.${reason}`, {
                defaultValue: d.lastError,
                cls: cls ? t(`webhooks.addressClass.${cls}`, { defaultValue: cls }) : '',
              });
              return status ? `${status} · ${text}` : text;
            },
          },
          {
            title: t('webhooks.nextAttempt'),
            dataIndex: 'nextAttemptAt',
            render: (v: string | null) => formatDateTime(v),
          },
        ]}
      />
    </>
  );
}

/** The delivery log of one endpoint. */
export function WebhookDeliveriesDrawer({
  webhook,
  onClose,
}: {
  webhook: Webhook | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={webhook !== null}
      onClose={onClose}
      size="large"
      title={webhook ? t('webhooks.deliveriesOf', { name: webhook.name }) : ''}
      destroyOnHidden
    >
      {webhook && <Deliveries webhook={webhook} />}
    </Drawer>
  );
}
