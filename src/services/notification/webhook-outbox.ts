import type { IdSource } from '../../domain/shared/clock.ts';
import type { Executor } from '../../db/executor.ts';
import { webhookRepository } from '../../db/repositories/webhook.repository.ts';
import type { DeliveryEvent, WebhookEvent } from '../../contracts/notification.schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { scopeContainsCase } from '../scope/scope-guard.ts';
import { maskPersonal, type WebhookPersonal } from './webhook-personal.ts';

/** The case an event is about, as far as endpoint scopes go: where it lies and which departments handle it. */
export interface EventTarget {
  regionCode: string;
  departmentIds: readonly string[];
}

/**
 * The outbox side of webhooks: `enqueue` writes one delivery per active endpoint subscribed to the event whose
 * scope contains the case, in the caller's transaction — so a delivery exists exactly when the change it reports
 * committed. `personal` (names, phone numbers) is stored encrypted apart from the payload and merged into the body
 * only when sending; an endpoint without the personal-data flag gets it masked (and the worker masks again at
 * sending, should the flag have been turned off since).
 */
export function createWebhookOutbox(deps: { ids: IdSource; cipher: FieldCipher }) {
  const { ids, cipher } = deps;

  function seal(personal: WebhookPersonal | undefined, allowed: boolean): string | null {
    if (!personal) return null;
    return cipher.encrypt(JSON.stringify(allowed ? personal : maskPersonal(personal)));
  }

  return {
    /** Queues `event` for every subscriber in scope; returns how many deliveries were written. */
    async enqueue(
      ex: Executor,
      event: WebhookEvent,
      at: Date,
      target: EventTarget,
      payload: Record<string, unknown>,
      personal?: WebhookPersonal,
    ): Promise<number> {
      const endpoints = (await webhookRepository.subscribers(ex, event)).filter((e) =>
        scopeContainsCase({ regionCode: e.scope_region_code, departmentId: e.scope_department_id }, target),
      );
      await webhookRepository.insertDeliveries(
        ex,
        endpoints.map((e) => ({
          id: ids.uuid(),
          endpointId: e.id,
          event,
          payload,
          personal: seal(personal, e.personal_data),
          at,
        })),
      );
      return endpoints.length;
    },

    /** Queues one delivery to one endpoint (the administrator's `ping`). */
    async enqueueTo(
      ex: Executor,
      endpointId: string,
      event: DeliveryEvent,
      at: Date,
      payload: Record<string, unknown>,
    ): Promise<string> {
      const id = ids.uuid();
      await webhookRepository.insertDeliveries(ex, [{ id, endpointId, event, payload, personal: null, at }]);
      return id;
    },
  };
}

export type WebhookOutbox = ReturnType<typeof createWebhookOutbox>;
