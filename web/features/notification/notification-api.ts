import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '../../../src/contracts/notification.schema.ts';
import { get, post } from '../../app/api.ts';
import type { Paged } from '../../app/api-types.ts';

import type { Delivery, NotificationKind, WebhookEvent } from '../../../src/contracts/notification.schema.ts';

export type {
  Delivery,
  Notification,
  NotificationKind,
  Webhook,
  WebhookEvent,
} from '../../../src/contracts/notification.schema.ts';

// Copies of the contract's lists (importing its values would pull zod into the bundle); `Exhaustive` fails the
// type check when the contract gains a value these lack.
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
export const notificationKinds = ['assignment', 'overdue', 'reply', 'supervise', 'merged'] as const;
export const webhookEvents = ['case.assigned', 'case.overdue', 'case.replied', 'case.supervised'] as const;
export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
const complete: [
  Exhaustive<NotificationKind, (typeof notificationKinds)[number]>,
  Exhaustive<WebhookEvent, (typeof webhookEvents)[number]>,
  Exhaustive<Delivery['status'], (typeof deliveryStatuses)[number]>,
] = [true, true, true];
void complete;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  latest: ['notifications', 'latest'] as const,
};

/** The badge count; polled while the app is open. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => get<{ unread: number }>('/api/v1/notifications/unread-count'),
    refetchInterval: 30_000,
  });
}

/** The newest few, for the bell's list. */
export function useLatestNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.latest,
    queryFn: () => get<Paged<Notification>>('/api/v1/notifications', { page: 1, pageSize: 8 }),
    enabled,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<Notification>(`/api/v1/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => post<{ updated: number }>('/api/v1/notifications/read-all'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
