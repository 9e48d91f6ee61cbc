import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createRegionBodySchema,
  regionCodeParamSchema,
  regionQuerySchema,
  regionSchema,
} from '../../../contracts/org.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const regionRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['regions'];

  app.get(
    '/regions',
    {
      config: { permission: 'region.view' },
      schema: { tags, querystring: regionQuerySchema, response: { 200: z.array(regionSchema) } },
    },
    (req) => services.regions.list(actorOf(req), req.query.parentCode),
  );

  app.get(
    '/regions/:code',
    {
      config: { permission: 'region.view' },
      schema: { tags, params: regionCodeParamSchema, response: { 200: regionSchema } },
    },
    (req) => services.regions.get(actorOf(req), req.params.code),
  );

  app.post(
    '/regions',
    {
      config: { permission: 'region.manage' },
      schema: { tags, body: createRegionBodySchema, response: { 201: regionSchema } },
    },
    async (req, reply) => reply.code(201).send(await services.regions.create(actorOf(req), req.body)),
  );
};
