import { CheckOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, List, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { notificationKinds, useMarkAllRead, type Notification } from './notification-api.ts';
import { NotificationItem, useOpenNotification } from './NotificationBell.tsx';

/** All of the caller's notifications, newest first, filtered by kind and read state. */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const list = usePagedList<Notification>('notifications', '/api/v1/notifications');
  const markAll = useMarkAllRead();
  const openOne = useOpenNotification();
  const { current, pageSize, total, showSizeChanger, pageSizeOptions, showTotal, onChange } = list.pagination;

  return (
    <div data-testid="page-notifications">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('notification.heading')}
      </Typography.Title>
      <Card>
        <FilterBar
          onApply={(f) => list.applyFilters(f)}
          actions={
            <Button
              icon={<CheckOutlined />}
              loading={markAll.isPending}
              onClick={() =>
                markAll.mutate(undefined, {
                  onSuccess: (r) => void message.success(t('notification.markedAll', { count: r.updated })),
                  onError: (e) => void message.error(errorMessage(e)),
                })
              }
            >
              {t('notification.markAllRead')}
            </Button>
          }
        >
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('notification.kindLabel')}
              style={{ width: 160 }}
              options={notificationKinds.map((k) => ({ value: k, label: t(`notification.kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="unread">
            <Select
              allowClear
              placeholder={t('notification.readState')}
              style={{ width: 140 }}
              options={[
                { value: 'true', label: t('notification.unread') },
                { value: 'false', label: t('notification.read') },
              ]}
            />
          </Form.Item>
        </FilterBar>
        <ProblemAlert error={list.query.error} />
        <List
          loading={list.query.isFetching}
          dataSource={list.items}
          locale={{ emptyText: t('notification.empty') }}
          renderItem={(n) => <NotificationItem key={n.id} n={n} onOpen={openOne} />}
          pagination={{ current, pageSize, total, showSizeChanger, pageSizeOptions, showTotal, onChange }}
        />
      </Card>
    </div>
  );
}
