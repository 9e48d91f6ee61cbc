import type { Kysely } from 'kysely';
import type {
  CreateWebhookInput,
  Delivery,
  DeliveryEvent,
  UpdateWebhookInput,
  Webhook,
  WebhookEvent,
} from '../../contracts/notification.schema.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor, PageRequest } from '../../db/executor.ts';
import { webhookRepository, type DeliveryStatus } from '../../db/repositories/webhook.repository.ts';
import type { DB, WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Actor, Principal } from '../identity/principal.ts';
import { requirePermission, requireSystemWide } from '../scope/scope-guard.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

function toWebhook(r: WebhookEndpointRow): Webhook {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events as WebhookEvent[],
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toDelivery(r: WebhookDeliveryRow): Delivery {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    event: r.event as DeliveryEvent,
    status: r.delivered_at ? 'delivered' : r.failed_at ? 'failed' : 'pending',
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    attempts: r.attempts,
    nextAttemptAt: r.delivered_at || r.failed_at ? null : iso(r.next_attempt_at),
    deliveredAt: iso(r.delivered_at),
    failedAt: iso(r.failed_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * An endpoint receives the events of every case, whatever its region: only a system-wide administrator registers,
 * changes or reads one (its delivery log holds those events).
 */
async function requireWebhookAdmin(ex: Executor, p: Principal): Promise<void> {
  requirePermission(p, 'webhook.manage');
  await requireSystemWide(ex, p, 'webhooks');
}

/** Only the origin goes to the audit log: a receiver's URL may carry a key in its path or query. */
const originOf = (url: string) => new URL(url).origin;

/**
 * Webhook endpoints (administrators, `webhook.manage`): register a receiver, choose its events, rotate its signing
 * secret (shown once), queue a `ping`, read the delivery log. Every change is audited in its transaction.
 */
export function createWebhookService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  cipher: FieldCipher;
  audit: AuditService;
  outbox: WebhookOutbox;
}) {
  const { db, clock, ids, cipher, audit, outbox } = deps;
  const newSecret = () => `whsec_${ids.secret(24)}`;

  async function endpoint(ex: Executor, id: string): Promise<WebhookEndpointRow> {
    const row = await webhookRepository.findEndpoint(ex, id);
    if (!row) throw new DomainError('resource.not_found', 'webhook not found', { id });
    return row;
  }

  return {
    async list(actor: Actor, page: PageRequest) {
      await requireWebhookAdmin(db, actor.principal);
      const { rows, total } = await webhookRepository.listEndpoints(db, page);
      return { items: rows.map(toWebhook), total, ...page };
    },

    async get(actor: Actor, id: string): Promise<Webhook> {
      await requireWebhookAdmin(db, actor.principal);
      return toWebhook(await endpoint(db, id));
    },

    async create(actor: Actor, input: CreateWebhookInput): Promise<Webhook & { secret: string }> {
      await requireWebhookAdmin(db, actor.principal);
      const id = ids.uuid();
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        await webhookRepository.insertEndpoint(trx, {
          id,
          name: input.name,
          url: input.url,
          secret: cipher.encrypt(secret)!,
          events: input.events,
          active: input.active,
          at: clock.now(),
        });
        await audit.record(trx, actor, {
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: id,
          details: {
            name: input.name,
            origin: originOf(input.url),
            events: input.events,
            active: input.active,
          },
        });
        return { ...toWebhook(await endpoint(trx, id)), secret };
      });
    },

    async update(actor: Actor, id: string, input: UpdateWebhookInput): Promise<Webhook> {
      await requireWebhookAdmin(db, actor.principal);
      return db.transaction().execute(async (trx) => {
        const before = await endpoint(trx, id);
        await webhookRepository.updateEndpoint(trx, id, input, clock.now());
        await audit.record(trx, actor, {
          action: 'webhook.update',
          targetType: 'webhook',
          targetId: id,
          details: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.url !== undefined
              ? { origin: originOf(input.url), urlChanged: input.url !== before.url }
              : {}),
            ...(input.events !== undefined ? { events: input.events } : {}),
            ...(input.active !== undefined ? { active: input.active } : {}),
          },
        });
        return toWebhook(await endpoint(trx, id));
      });
    },

    /** Removes the endpoint with its delivery log (undelivered deliveries are dropped). */
    async remove(actor: Actor, id: string): Promise<void> {
      await requireWebhookAdmin(db, actor.principal);
      await db.transaction().execute(async (trx) => {
        const before = await endpoint(trx, id);
        await webhookRepository.deleteEndpoint(trx, id);
        await audit.record(trx, actor, {
          action: 'webhook.delete',
          targetType: 'webhook',
          targetId: id,
          details: { name: before.name, origin: originOf(before.url) },
        });
      });
    },

    /** A new signing secret, effective for every delivery sent from now on (pending retries included). */
    async rotateSecret(actor: Actor, id: string): Promise<Webhook & { secret: string }> {
      await requireWebhookAdmin(db, actor.principal);
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        await endpoint(trx, id);
        await webhookRepository.updateEndpoint(trx, id, { secret: cipher.encrypt(secret)! }, clock.now());
        await audit.record(trx, actor, {
          action: 'webhook.rotate_secret',
          targetType: 'webhook',
          targetId: id,
        });
        return { ...toWebhook(await endpoint(trx, id)), secret };
      });
    },

    /** Queues a `ping` to the endpoint (sent even while it is paused), to check URL and signature. */
    async test(actor: Actor, id: string): Promise<Delivery> {
      await requireWebhookAdmin(db, actor.principal);
      return db.transaction().execute(async (trx) => {
        const e = await endpoint(trx, id);
        const now = clock.now();
        const deliveryId = await outbox.enqueueTo(trx, id, 'ping', now, {
          webhook: { id: e.id, name: e.name },
          message: 'ping from Zhizhi 智治',
        });
        await audit.record(trx, actor, {
          action: 'webhook.test',
          targetType: 'webhook',
          targetId: id,
          details: { deliveryId },
        });
        return toDelivery((await webhookRepository.findDelivery(trx, deliveryId))!);
      });
    },

    async deliveries(
      actor: Actor,
      id: string,
      filter: { status?: DeliveryStatus | undefined; event?: DeliveryEvent | undefined },
      page: PageRequest,
    ) {
      await requireWebhookAdmin(db, actor.principal);
      await endpoint(db, id);
      const { rows, total } = await webhookRepository.listDeliveries(db, id, filter, page);
      return { items: rows.map(toDelivery), total, ...page };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
