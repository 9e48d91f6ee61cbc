import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
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
import {
  webhookRepository,
  type DeliveryStatus,
  type EndpointViewRow,
} from '../../db/repositories/webhook.repository.ts';
import type { DB, WebhookDeliveryRow } from '../../db/schema.ts';
import type { ScopeInput } from '../../contracts/identity.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Actor, Scope } from '../identity/principal.ts';
import { refusalText, type OutboundGuard } from '../net/outbound-guard.ts';
import { resolveScopeInput } from '../scope/scope-input.ts';
import {
  assertStaffWithin,
  coversDeployment,
  requirePermission,
  scopeHolderFilter,
} from '../scope/scope-guard.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

function toWebhook(r: EndpointViewRow): Webhook {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events as WebhookEvent[],
    active: r.active,
    scope: {
      regionCode: r.scope_region_code,
      regionName: r.region_name,
      departmentId: r.scope_department_id,
      departmentName: r.department_name,
    },
    personalData: r.personal_data,
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

/** Only the origin goes to the audit log: a receiver's URL may carry a key in its path or query. */
const originOf = (url: string) => new URL(url).origin;

const scopeOfRow = (r: EndpointViewRow): Scope => ({
  regionCode: r.scope_region_code,
  departmentId: r.scope_department_id,
});

/**
 * Webhook endpoints (administrators, `webhook.manage`): register a receiver, choose its events, rotate its signing
 * secret (shown once), queue a `ping`, read the delivery log. Every change is audited in its transaction.
 *
 * Each endpoint has a scope like a staff member's (region subtree and/or department; none = the whole deployment)
 * and receives only events of cases inside it (webhook-outbox.ts). An administrator sees and manages only endpoints
 * whose scope lies inside their own — any other answers 404, as if it did not exist — and gives a new endpoint at
 * most their own scope (their own by default); an administrator of the whole deployment manages all. Names and
 * phone numbers go out in clear only to endpoints with `personalData`, which only an administrator of the whole
 * deployment may turn on or off, or re-point (URL) while it is on. Receiver URLs must pass the outbound address
 * policy (net/).
 */
export function createWebhookService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  cipher: FieldCipher;
  audit: AuditService;
  outbox: WebhookOutbox;
  guard: OutboundGuard;
}) {
  const { db, clock, ids, cipher, audit, outbox, guard } = deps;
  const newSecret = () => `whsec_${ids.secret(24)}`;

  /**
   * An administrator of the whole deployment: system-wide, or a region holding every district, street and community
   * (coversDeployment), without a department. They manage every endpoint, whole-deployment ones included (the rule
   * the responsibility list applies to rules for everywhere), and alone decide about personal data.
   */
  async function deploymentWide(ex: Executor, actor: Actor): Promise<boolean> {
    return actor.principal.scope.departmentId === null && coversDeployment(ex, actor.principal);
  }

  /** Endpoints the actor may see and manage: those whose scope lies inside the actor's. */
  async function visibleTo(ex: Executor, actor: Actor): Promise<Expression<SqlBool>> {
    if (await deploymentWide(ex, actor)) return sql<SqlBool>`true`;
    return scopeHolderFilter(actor.principal, {
      region: 'webhook_endpoint.scope_region_code',
      department: 'webhook_endpoint.scope_department_id',
      departmentRegion: 'department.region_code',
    });
  }

  /** The endpoint, if it exists and lies in the actor's scope; else 404. */
  async function endpoint(ex: Executor, actor: Actor, id: string): Promise<EndpointViewRow> {
    const row = await webhookRepository.findEndpoint(ex, id, await visibleTo(ex, actor));
    if (!row) throw new DomainError('resource.not_found', 'webhook not found', { id });
    return row;
  }

  /** Refuses a receiver URL whose host is, or resolves to, an address the outbound policy refuses. */
  async function assertTarget(url: string): Promise<void> {
    const checked = await guard.check(new URL(url));
    if (checked.ok) return;
    const message =
      checked.reason === 'address_refused'
        ? `webhook.address_refused.${checked.cls}`
        : 'webhook.unresolvable';
    throw new DomainError('validation.failed', `receiver refused: ${refusalText(checked)}`, {}, [
      { field: 'body.url', reason: checked.reason, message },
    ]);
  }

  /** The scope a new or changed endpoint gets: inside the actor's, naming a region and department that exist. */
  async function scopeFor(ex: Executor, actor: Actor, input: ScopeInput | undefined): Promise<Scope> {
    if (!input) return { ...actor.principal.scope };
    const resolved = await resolveScopeInput(ex, input);
    // The rule for anything that holds a scope (staff, endpoints): wholly inside the actor's.
    if (!(await deploymentWide(ex, actor))) assertStaffWithin(actor.principal, resolved);
    const scope = { regionCode: resolved.regionCode, departmentId: resolved.departmentId };
    return scope;
  }

  /** Personal data in clear is for administrators of the whole deployment to grant (and to re-point). */
  async function assertPersonalDataAdmin(ex: Executor, actor: Actor, what: string): Promise<void> {
    if (await deploymentWide(ex, actor)) return;
    throw new DomainError('auth.forbidden', `only an administrator of the whole deployment may ${what}`, {
      field: 'personalData',
    });
  }

  return {
    async list(actor: Actor, page: PageRequest) {
      requirePermission(actor.principal, 'webhook.manage');
      const { rows, total } = await webhookRepository.listEndpoints(db, await visibleTo(db, actor), page);
      return { items: rows.map(toWebhook), total, ...page };
    },

    async get(actor: Actor, id: string): Promise<Webhook> {
      requirePermission(actor.principal, 'webhook.manage');
      return toWebhook(await endpoint(db, actor, id));
    },

    async create(actor: Actor, input: CreateWebhookInput): Promise<Webhook & { secret: string }> {
      requirePermission(actor.principal, 'webhook.manage');
      await assertTarget(input.url);
      const id = ids.uuid();
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        const scope = await scopeFor(trx, actor, input.scope);
        if (input.personalData) await assertPersonalDataAdmin(trx, actor, 'send personal data');
        await webhookRepository.insertEndpoint(trx, {
          id,
          name: input.name,
          url: input.url,
          secret: cipher.encrypt(secret)!,
          events: input.events,
          active: input.active,
          scopeRegionCode: scope.regionCode,
          scopeDepartmentId: scope.departmentId,
          personalData: input.personalData,
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
            scope,
            personalData: input.personalData,
          },
        });
        return { ...toWebhook(await endpoint(trx, actor, id)), secret };
      });
    },

    async update(actor: Actor, id: string, input: UpdateWebhookInput): Promise<Webhook> {
      requirePermission(actor.principal, 'webhook.manage');
      if (input.url !== undefined) await assertTarget(input.url);
      return db.transaction().execute(async (trx) => {
        const before = await endpoint(trx, actor, id);
        const scope = input.scope !== undefined ? await scopeFor(trx, actor, input.scope) : undefined;
        const urlChanged = input.url !== undefined && input.url !== before.url;
        const personalChanged =
          input.personalData !== undefined && input.personalData !== before.personal_data;
        if (personalChanged) await assertPersonalDataAdmin(trx, actor, 'change the personal-data flag');
        if (urlChanged && before.personal_data && !personalChanged) {
          await assertPersonalDataAdmin(trx, actor, 're-point an endpoint that receives personal data');
        }
        const { scope: _scope, ...fields } = input;
        await webhookRepository.updateEndpoint(
          trx,
          id,
          {
            ...fields,
            ...(scope ? { scopeRegionCode: scope.regionCode, scopeDepartmentId: scope.departmentId } : {}),
          },
          clock.now(),
        );
        await audit.record(trx, actor, {
          action: 'webhook.update',
          targetType: 'webhook',
          targetId: id,
          details: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.url !== undefined ? { origin: originOf(input.url), urlChanged } : {}),
            ...(input.events !== undefined ? { events: input.events } : {}),
            ...(input.active !== undefined ? { active: input.active } : {}),
            ...(scope ? { scope, scopeBefore: scopeOfRow(before) } : {}),
            ...(personalChanged ? { personalData: input.personalData } : {}),
          },
        });
        return toWebhook(await endpoint(trx, actor, id));
      });
    },

    /** Removes the endpoint with its delivery log (undelivered deliveries are dropped). */
    async remove(actor: Actor, id: string): Promise<void> {
      requirePermission(actor.principal, 'webhook.manage');
      await db.transaction().execute(async (trx) => {
        const before = await endpoint(trx, actor, id);
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
      requirePermission(actor.principal, 'webhook.manage');
      const secret = newSecret();
      return db.transaction().execute(async (trx) => {
        await endpoint(trx, actor, id);
        await webhookRepository.updateEndpoint(trx, id, { secret: cipher.encrypt(secret)! }, clock.now());
        await audit.record(trx, actor, {
          action: 'webhook.rotate_secret',
          targetType: 'webhook',
          targetId: id,
        });
        return { ...toWebhook(await endpoint(trx, actor, id)), secret };
      });
    },

    /** Queues a `ping` to the endpoint (sent even while it is paused), to check URL and signature. */
    async test(actor: Actor, id: string): Promise<Delivery> {
      requirePermission(actor.principal, 'webhook.manage');
      return db.transaction().execute(async (trx) => {
        const e = await endpoint(trx, actor, id);
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
      requirePermission(actor.principal, 'webhook.manage');
      await endpoint(db, actor, id);
      const { rows, total } = await webhookRepository.listDeliveries(db, id, filter, page);
      return { items: rows.map(toDelivery), total, ...page };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
