import type { Kysely } from 'kysely';
import type { Notification, NotificationKind } from '../../contracts/notification.schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { PageRequest } from '../../db/executor.ts';
import { notificationRepository } from '../../db/repositories/notification.repository.ts';
import type { DB, NotificationRow } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';

function toNotification(r: NotificationRow): Notification {
  const data = typeof r.data === 'string' ? JSON.parse(r.data) : r.data;
  return {
    id: r.id,
    kind: r.kind,
    caseId: r.case_id,
    title: r.title,
    body: r.body,
    data: (data ?? {}) as Record<string, unknown>,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
  };
}

/**
 * The caller's own notifications (消息提醒): every signed-in staff member (or a token acting for one) sees and
 * marks only their own; another person's notification answers 404, as if it did not exist.
 */
export function createNotificationService(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async list(
      actor: Actor,
      filter: { unread?: boolean | undefined; kind?: NotificationKind | undefined },
      page: PageRequest,
    ) {
      const { rows, total } = await notificationRepository.list(db, actor.principal.staffId, filter, page);
      return { items: rows.map(toNotification), total, ...page };
    },

    async unreadCount(actor: Actor): Promise<{ unread: number }> {
      return { unread: await notificationRepository.unreadCount(db, actor.principal.staffId) };
    },

    async markRead(actor: Actor, id: string): Promise<Notification> {
      const me = actor.principal.staffId;
      return db.transaction().execute(async (trx) => {
        if (!(await notificationRepository.markRead(trx, id, me, clock.now()))) {
          throw new DomainError('resource.not_found', 'notification not found', { id });
        }
        return toNotification((await notificationRepository.findForRecipient(trx, id, me))!);
      });
    },

    async markAllRead(actor: Actor): Promise<{ updated: number }> {
      return { updated: await notificationRepository.markAllRead(db, actor.principal.staffId, clock.now()) };
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
