import type { IdSource } from '../../domain/shared/clock.ts';
import type { Executor } from '../../db/executor.ts';
import { webhookRepository } from '../../db/repositories/webhook.repository.ts';
import type { DeliveryEvent, WebhookEvent } from '../../contracts/notification.schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';

/**
 * The outbox side of webhooks: `enqueue` writes one delivery per active endpoint subscribed to the event, in the
 * caller's transaction — so a delivery exists exactly when the change it reports committed. `personal` (names,
 * phone numbers) is stored encrypted apart from the payload and merged into the body only when sending.
 */
export function createWebhookOutbox(deps: { ids: IdSource; cipher: FieldCipher }) {
  const { ids, cipher } = deps;

  function seal(personal: Record<string, unknown> | undefined): string | null {
    return personal ? cipher.encrypt(JSON.stringify(personal)) : null;
  }

  return {
    /** Queues `event` for every subscriber; returns how many deliveries were written. */
    async enqueue(
      ex: Executor,
      event: WebhookEvent,
      at: Date,
      payload: Record<string, unknown>,
      personal?: Record<string, unknown>,
    ): Promise<number> {
      const endpoints = await webhookRepository.subscribers(ex, event);
      await webhookRepository.insertDeliveries(
        ex,
        endpoints.map((e) => ({
          id: ids.uuid(),
          endpointId: e.id,
          event,
          payload,
          personal: seal(personal),
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
