import { sql, type Updateable } from 'kysely';
import { offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { WebhookDeliveryRow, WebhookDeliveryTable, WebhookEndpointRow } from '../schema.ts';

export interface NewEndpoint {
  id: string;
  name: string;
  url: string;
  /** Already encrypted. */
  secret: string;
  events: readonly string[];
  active: boolean;
  at: Date;
}

export interface NewDelivery {
  id: string;
  endpointId: string;
  event: string;
  payload: Record<string, unknown>;
  /** Already encrypted, or null. */
  personal: string | null;
  at: Date;
}

/** A delivery claimed for sending, with what the worker needs of its endpoint. */
export interface ClaimedDelivery {
  id: string;
  event: string;
  payload: unknown;
  personal: string | null;
  /** The attempt being made now (1 for the first). */
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Webhook endpoints and the delivery outbox. */
export const webhookRepository = {
  async insertEndpoint(ex: Executor, e: NewEndpoint): Promise<void> {
    await ex
      .insertInto('webhook_endpoint')
      .values({
        id: e.id,
        name: e.name,
        url: e.url,
        secret: e.secret,
        events: [...e.events],
        active: e.active,
        created_at: e.at,
        updated_at: e.at,
      })
      .execute();
  },

  findEndpoint(ex: Executor, id: string): Promise<WebhookEndpointRow | undefined> {
    return ex.selectFrom('webhook_endpoint').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async listEndpoints(
    ex: Executor,
    page: PageRequest,
  ): Promise<{ rows: WebhookEndpointRow[]; total: number }> {
    const total = await ex
      .selectFrom('webhook_endpoint')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await ex
      .selectFrom('webhook_endpoint')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  async updateEndpoint(
    ex: Executor,
    id: string,
    patch: { name?: string; url?: string; events?: readonly string[]; active?: boolean; secret?: string },
    at: Date,
  ): Promise<void> {
    await ex
      .updateTable('webhook_endpoint')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: [...patch.events] } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  },

  /** Deletes the endpoint and (cascade) its delivery log. */
  async deleteEndpoint(ex: Executor, id: string): Promise<boolean> {
    const r = await ex.deleteFrom('webhook_endpoint').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },

  /** Active endpoints subscribed to `event`. */
  subscribers(ex: Executor, event: string): Promise<{ id: string }[]> {
    return ex
      .selectFrom('webhook_endpoint')
      .select('id')
      .where('active', '=', true)
      .where(sql<boolean>`${event} = ANY(events)`)
      .orderBy('id')
      .execute();
  },

  async insertDeliveries(ex: Executor, rows: readonly NewDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await ex
      .insertInto('webhook_delivery')
      .values(
        rows.map((d) => ({
          id: d.id,
          endpoint_id: d.endpointId,
          event: d.event,
          payload: JSON.stringify(d.payload),
          personal: d.personal,
          attempts: 0,
          next_attempt_at: d.at,
          created_at: d.at,
        })),
      )
      .execute();
  },

  /**
   * Claims up to `limit` due deliveries (run inside a transaction): locks them with `FOR UPDATE SKIP LOCKED`, so
   * a concurrent claimer skips them, and leases them until `leaseUntil` (their next attempt time) with the attempt
   * counted — once this commits, no other worker sees them as due until the lease runs out. Deliveries of
   * inactive endpoints wait, except `ping` (an administrator's test).
   */
  async claimDue(ex: Executor, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const { rows } = await sql<{ id: string }>`
      SELECT d.id
      FROM webhook_delivery d
      JOIN webhook_endpoint e ON e.id = d.endpoint_id
      WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ${now}
        AND (e.active OR d.event = 'ping')
      ORDER BY d.next_attempt_at, d.id
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    `.execute(ex);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await ex
      .updateTable('webhook_delivery')
      .set({ attempts: sql`attempts + 1`, next_attempt_at: leaseUntil })
      .where('id', 'in', ids)
      .execute();
    return ex
      .selectFrom('webhook_delivery as d')
      .innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id')
      .select([
        'd.id',
        'd.event',
        'd.payload',
        'd.personal',
        'd.attempts',
        'd.created_at',
        'e.url',
        'e.secret',
      ])
      .where('d.id', 'in', ids)
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .execute();
  },

  /**
   * Records an attempt's outcome, only if the delivery is still the one this worker claimed (same attempt, not
   * finished): a worker whose lease ran out cannot overwrite a later attempt's result.
   */
  async recordAttempt(
    ex: Executor,
    id: string,
    attempt: number,
    patch: Updateable<WebhookDeliveryTable>,
  ): Promise<boolean> {
    const r = await ex
      .updateTable('webhook_delivery')
      .set(patch)
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async listDeliveries(
    ex: Executor,
    endpointId: string,
    filter: { status?: DeliveryStatus | undefined; event?: string | undefined },
    page: PageRequest,
  ): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
    let q = ex.selectFrom('webhook_delivery').where('endpoint_id', '=', endpointId);
    if (filter.status === 'delivered') q = q.where('delivered_at', 'is not', null);
    if (filter.status === 'failed') q = q.where('failed_at', 'is not', null);
    if (filter.status === 'pending') q = q.where('delivered_at', 'is', null).where('failed_at', 'is', null);
    if (filter.event) q = q.where('event', '=', filter.event);
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

  findDelivery(ex: Executor, id: string): Promise<WebhookDeliveryRow | undefined> {
    return ex.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
