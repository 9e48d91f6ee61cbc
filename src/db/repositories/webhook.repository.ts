import { sql, type Expression, type SqlBool, type Updateable } from 'kysely';
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
  scopeRegionCode: string | null;
  scopeDepartmentId: string | null;
  personalData: boolean;
  at: Date;
}

export interface EndpointPatch {
  name?: string;
  url?: string;
  events?: readonly string[];
  active?: boolean;
  secret?: string;
  scopeRegionCode?: string | null;
  scopeDepartmentId?: string | null;
  personalData?: boolean;
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
  /** Whether the endpoint may receive personal data in clear (now, at sending). */
  personal_data: boolean;
}

/** An endpoint with the names of its scope's region and department. */
export type EndpointViewRow = WebhookEndpointRow & {
  region_name: string | null;
  department_name: string | null;
};

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

function endpointView(ex: Executor) {
  return ex
    .selectFrom('webhook_endpoint')
    .leftJoin('department', 'department.id', 'webhook_endpoint.scope_department_id')
    .leftJoin('region', 'region.code', 'webhook_endpoint.scope_region_code')
    .selectAll('webhook_endpoint')
    .select(['region.name as region_name', 'department.name as department_name']);
}

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
        scope_region_code: e.scopeRegionCode,
        scope_department_id: e.scopeDepartmentId,
        personal_data: e.personalData,
        created_at: e.at,
        updated_at: e.at,
      })
      .execute();
  },

  /**
   * One endpoint, if `scope` (a condition over `webhook_endpoint` and its scope department, joined as `department`;
   * see scopeHolderFilter) holds for it.
   */
  findEndpoint(
    ex: Executor,
    id: string,
    scope: Expression<SqlBool> = sql<SqlBool>`true`,
  ): Promise<EndpointViewRow | undefined> {
    return endpointView(ex).where('webhook_endpoint.id', '=', id).where(scope).executeTakeFirst();
  },

  async listEndpoints(
    ex: Executor,
    scope: Expression<SqlBool>,
    page: PageRequest,
  ): Promise<{ rows: EndpointViewRow[]; total: number }> {
    const total = await ex
      .selectFrom('webhook_endpoint')
      .leftJoin('department', 'department.id', 'webhook_endpoint.scope_department_id')
      .where(scope)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await endpointView(ex)
      .where(scope)
      .orderBy('webhook_endpoint.created_at')
      .orderBy('webhook_endpoint.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  async updateEndpoint(ex: Executor, id: string, patch: EndpointPatch, at: Date): Promise<void> {
    await ex
      .updateTable('webhook_endpoint')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: [...patch.events] } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
        ...(patch.scopeRegionCode !== undefined ? { scope_region_code: patch.scopeRegionCode } : {}),
        ...(patch.scopeDepartmentId !== undefined ? { scope_department_id: patch.scopeDepartmentId } : {}),
        ...(patch.personalData !== undefined ? { personal_data: patch.personalData } : {}),
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

  /** Active endpoints subscribed to `event`, with their scope and personal-data flag. */
  subscribers(
    ex: Executor,
    event: string,
  ): Promise<
    {
      id: string;
      scope_region_code: string | null;
      scope_department_id: string | null;
      personal_data: boolean;
    }[]
  > {
    return ex
      .selectFrom('webhook_endpoint')
      .select(['id', 'scope_region_code', 'scope_department_id', 'personal_data'])
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
        'e.personal_data',
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
