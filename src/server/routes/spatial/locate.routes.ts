import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { locateQuerySchema, locateResultSchema } from '../../../contracts/locate.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const locateRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/spatial/locate',
    {
      config: { permission: 'map.view' },
      schema: { tags: ['spatial'], querystring: locateQuerySchema, response: { 200: locateResultSchema } },
    },
    (req) => services.locate.locate(actorOf(req), req.query),
  );
};
