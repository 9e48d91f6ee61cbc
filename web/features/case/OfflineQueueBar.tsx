import { CloudSyncOutlined, DeleteOutlined, DisconnectOutlined, RedoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Flex, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useAuth } from '../../app/auth.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { caseKeys } from './case-api.ts';
import { reportQueue, useQueuedReports } from './offline-reports.ts';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/** Sends the signed-in user's waiting reports now; refreshes the case lists when some went through. */
function useSyncNow() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [syncing, setSyncing] = useState(false);
  const sync = useCallback(
    async (quiet: boolean) => {
      if (!user) return;
      setSyncing(true);
      try {
        const r = await reportQueue().sync(user.id);
        if (r.sent > 0) {
          void message.success(t('offline.synced', { count: r.sent }));
          await queryClient.invalidateQueries({ queryKey: caseKeys.all });
        }
        if (r.failed > 0) void message.error(t('offline.someFailed', { count: r.failed }));
        else if (!quiet && r.remaining > 0)
          void message.warning(t('offline.stillPending', { count: r.remaining }));
      } finally {
        setSyncing(false);
      }
    },
    [user, message, t, queryClient],
  );
  return { sync, syncing };
}

/**
 * Sends waiting reports without being asked: when the app starts (signed in), when the browser comes back
 * online, and every minute while some wait. Renders nothing.
 */
export function OfflineSync() {
  const { user } = useAuth();
  const pending = useQueuedReports(user?.id).filter((i) => i.state === 'pending').length;
  const { sync } = useSyncNow();
  const hasPending = pending > 0;

  useEffect(() => {
    if (!user) return;
    const onOnline = () => void sync(true);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [user, sync]);

  useEffect(() => {
    if (!user || !hasPending) return;
    if (navigator.onLine) void sync(true);
    const timer = window.setInterval(() => {
      if (navigator.onLine) void sync(true);
    }, 60_000);
    return () => window.clearInterval(timer);
    // Only on sign-in and when the queue turns non-empty, not after every attempt.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id, hasPending]);

  return null;
}

/** On the case pages: how many reports wait on this device, a button to send them, and their list. */
export function OfflineQueueBar() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const online = useOnline();
  const items = useQueuedReports(user?.id);
  const formatDate = useFormatDateTime();
  const { sync, syncing } = useSyncNow();
  const [open, setOpen] = useState(false);
  const pending = items.filter((i) => i.state === 'pending').length;
  const failed = items.length - pending;

  if (items.length === 0 && online) return null;
  return (
    <>
      <Alert
        data-testid="offline-queue-bar"
        type={failed > 0 ? 'error' : online ? 'info' : 'warning'}
        showIcon
        icon={online ? <CloudSyncOutlined /> : <DisconnectOutlined />}
        style={{ marginBottom: 12 }}
        title={
          <Space wrap size={[12, 4]}>
            {!online && <span data-testid="offline-indicator">{t('offline.offlineNow')}</span>}
            {pending > 0 && (
              <strong data-testid="offline-queue-count">{t('offline.pending', { count: pending })}</strong>
            )}
            {failed > 0 && (
              <span data-testid="offline-queue-failed">{t('offline.failedCount', { count: failed })}</span>
            )}
          </Space>
        }
        action={
          items.length > 0 && (
            <Space>
              <Button size="small" onClick={() => setOpen(true)} data-testid="offline-queue-open">
                {t('offline.details')}
              </Button>
              <Button
                size="small"
                type="primary"
                loading={syncing}
                disabled={!online || pending === 0}
                onClick={() => void sync(false)}
                data-testid="offline-sync"
              >
                {t('offline.syncNow')}
              </Button>
            </Space>
          )
        }
      />
      <Drawer open={open} onClose={() => setOpen(false)} title={t('offline.title')} size="default">
        <List
          dataSource={items}
          locale={{ emptyText: t('offline.empty') }}
          renderItem={(item) => (
            <List.Item
              data-testid="offline-queue-item"
              actions={[
                ...(item.state === 'failed'
                  ? [
                      <Button
                        key="retry"
                        size="small"
                        icon={<RedoOutlined />}
                        onClick={() => reportQueue().retry(item.id)}
                      >
                        {t('offline.retry')}
                      </Button>,
                    ]
                  : []),
                <Popconfirm
                  key="discard"
                  title={t('offline.discardConfirm')}
                  onConfirm={() => reportQueue().discard(item.id)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                >
                  <Button size="small" danger icon={<DeleteOutlined />}>
                    {t('offline.discard')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Flex gap={8} align="center">
                    <span>{item.title}</span>
                    {item.state === 'failed' ? (
                      <Tag color="red">{t('offline.stateFailed')}</Tag>
                    ) : (
                      <Tag color="orange">{t('offline.statePending')}</Tag>
                    )}
                  </Flex>
                }
                description={
                  <>
                    <div>
                      {t('offline.queuedAt')}：{formatDate(item.queuedAt)} · {t('offline.attempts')}：
                      {item.attempts}
                    </div>
                    {item.error && (
                      <Typography.Text type={item.state === 'failed' ? 'danger' : 'secondary'}>
                        {t('offline.lastError')}：{item.error}
                      </Typography.Text>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}

/** The case pages under one roof: the queue bar above whichever page is open. */
export function CasesOutlet() {
  return (
    <>
      <OfflineQueueBar />
      <Outlet />
    </>
  );
}
