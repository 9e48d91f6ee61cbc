import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamSchema, pageQuerySchema } from '../../../contracts/common.schema.ts';
import {
  createWebhookBodySchema,
  deliveryPageSchema,
  deliveryQuerySchema,
  deliverySchema,
  updateWebhookBodySchema,
  webhookPageSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../../../contracts/notification.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** Outbound webhooks (administrators): endpoints, secret rotation, test pings and the delivery log. */
export const webhookRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['webhooks'];
  const config = { permission: 'webhook.manage' as const };

  app.get(
    '/webhooks',
    { config, schema: { tags, querystring: pageQuerySchema, response: { 200: webhookPageSchema } } },
    (req) => services.webhooks.list(actorOf(req), req.query),
  );

  app.post(
    '/webhooks',
    { config, schema: { tags, body: createWebhookBodySchema, response: { 201: webhookWithSecretSchema } } },
    async (req, reply) => reply.code(201).send(await services.webhooks.create(actorOf(req), req.body)),
  );

  app.get(
    '/webhooks/:id',
    { config, schema: { tags, params: idParamSchema, response: { 200: webhookSchema } } },
    (req) => services.webhooks.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/webhooks/:id',
    {
      config,
      schema: {
        tags,
        params: idParamSchema,
        body: updateWebhookBodySchema,
        response: { 200: webhookSchema },
      },
    },
    (req) => services.webhooks.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/webhooks/:id',
    { config, schema: { tags, params: idParamSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await services.webhooks.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    { config, schema: { tags, params: idParamSchema, response: { 200: webhookWithSecretSchema } } },
    (req) => services.webhooks.rotateSecret(actorOf(req), req.params.id),
  );

  app.post(
    '/webhooks/:id/test',
    { config, schema: { tags, params: idParamSchema, response: { 202: deliverySchema } } },
    async (req, reply) => reply.code(202).send(await services.webhooks.test(actorOf(req), req.params.id)),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        params: idParamSchema,
        querystring: deliveryQuerySchema,
        response: { 200: deliveryPageSchema },
      },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.webhooks.deliveries(actorOf(req), req.params.id, filter, { page, pageSize });
    },
  );
};
