import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, List, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useFormatDateTime } from '../../ui/format.ts';
import {
  useLatestNotifications,
  useMarkAllRead,
  useMarkRead,
  useUnreadCount,
  type Notification,
} from './notification-api.ts';
import { useNotificationText } from './notification-text.ts';

/** Opens the notification's case and marks it read. */
export function useOpenNotification(): (n: Notification) => void {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  return (n) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.caseId) navigate(`/cases/${encodeURIComponent(n.caseId)}`);
  };
}

export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const text = useNotificationText()(n);
  const formatDateTime = useFormatDateTime();
  return (
    <List.Item
      onClick={() => onOpen(n)}
      style={{ cursor: n.caseId ? 'pointer' : 'default', paddingInline: 4 }}
      data-testid={`notification-${n.id}`}
    >
      <Flex gap={8} align="flex-start" style={{ width: '100%', minWidth: 0 }}>
        <Badge status={n.readAt ? 'default' : 'processing'} style={{ marginTop: 4 }} />
        <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text strong={!n.readAt} ellipsis>
            {text.title}
          </Typography.Text>
          {text.body && (
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
              {text.body}
            </Typography.Text>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(n.createdAt)}
          </Typography.Text>
        </Flex>
      </Flex>
    </List.Item>
  );
}

/** The header's bell: unread count, the newest notifications, and the way to the full list. */
export function NotificationBell({ size }: { size?: 'small' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useLatestNotifications(open);
  const markAll = useMarkAllRead();
  const openOne = useOpenNotification();
  const count = unread.data?.unread ?? 0;
  const items = latest.data?.items ?? [];

  const content = (
    <div style={{ width: 320, maxWidth: '80vw' }} data-testid="notification-popover">
      {latest.isPending ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <NotificationItem
              key={n.id}
              n={n}
              onOpen={(x) => {
                setOpen(false);
                openOne(x);
              }}
            />
          )}
        />
      )}
      <Flex justify="space-between" style={{ marginTop: 8 }}>
        <Button size="small" type="link" disabled={count === 0} onClick={() => markAll.mutate()}>
          {t('notification.markAllRead')}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
          data-testid="notification-all"
        >
          {t('notification.viewAll')}
        </Button>
      </Flex>
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('notification.heading')}
      content={content}
      open={open}
      onOpenChange={setOpen}
    >
      <Button
        type="text"
        shape="circle"
        size={size}
        aria-label={t('notification.bell', { count })}
        data-testid="notification-bell"
      >
        <Badge count={count} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
