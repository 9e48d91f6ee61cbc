import { offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { NotificationRow, NotificationTable } from '../schema.ts';

export interface NewNotification {
  id: string;
  recipientId: string;
  kind: NotificationTable['kind'];
  caseId: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NotificationFilter {
  unread?: boolean | undefined;
  kind?: NotificationTable['kind'] | undefined;
}

/** A staff member as a notification recipient (the phone goes to messaging gateways). */
export interface RecipientRow {
  id: string;
  display_name: string;
  role: string;
  phone: string | null;
  scope_department_id: string | null;
}

/** Each staff member's in-app notifications (消息提醒). Every query is restricted to one recipient. */
export const notificationRepository = {
  /** The enabled handlers (处置人员) of the given departments. */
  departmentHandlers(ex: Executor, departmentIds: readonly string[]): Promise<RecipientRow[]> {
    if (departmentIds.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('staff')
      .select(['id', 'display_name', 'role', 'phone', 'scope_department_id'])
      .where('role', '=', 'handler')
      .where('disabled', '=', false)
      .where('scope_department_id', 'in', [...departmentIds])
      .orderBy('id')
      .execute();
  },

  /** The given staff members, if enabled. */
  staffByIds(ex: Executor, ids: readonly string[]): Promise<RecipientRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('staff')
      .select(['id', 'display_name', 'role', 'phone', 'scope_department_id'])
      .where('id', 'in', [...ids])
      .where('disabled', '=', false)
      .orderBy('id')
      .execute();
  },

  async insertMany(ex: Executor, rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await ex
      .insertInto('notification')
      .values(
        rows.map((n) => ({
          id: n.id,
          recipient_id: n.recipientId,
          kind: n.kind,
          case_id: n.caseId,
          title: n.title,
          body: n.body,
          data: JSON.stringify(n.data),
          created_at: n.createdAt,
        })),
      )
      .execute();
  },

  async list(
    ex: Executor,
    recipientId: string,
    filter: NotificationFilter,
    page: PageRequest,
  ): Promise<{ rows: NotificationRow[]; total: number }> {
    let q = ex.selectFrom('notification').where('recipient_id', '=', recipientId);
    if (filter.unread === true) q = q.where('read_at', 'is', null);
    if (filter.unread === false) q = q.where('read_at', 'is not', null);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  async unreadCount(ex: Executor, recipientId: string): Promise<number> {
    const r = await ex
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('recipient_id', '=', recipientId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  findForRecipient(ex: Executor, id: string, recipientId: string): Promise<NotificationRow | undefined> {
    return ex
      .selectFrom('notification')
      .selectAll()
      .where('id', '=', id)
      .where('recipient_id', '=', recipientId)
      .executeTakeFirst();
  },

  /** Marks one notification read (keeps the first read time); false when it is not the recipient's. */
  async markRead(ex: Executor, id: string, recipientId: string, at: Date): Promise<boolean> {
    const row = await notificationRepository.findForRecipient(ex, id, recipientId);
    if (!row) return false;
    if (row.read_at === null) {
      await ex.updateTable('notification').set({ read_at: at }).where('id', '=', id).execute();
    }
    return true;
  },

  async markAllRead(ex: Executor, recipientId: string, at: Date): Promise<number> {
    const r = await ex
      .updateTable('notification')
      .set({ read_at: at })
      .where('recipient_id', '=', recipientId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
