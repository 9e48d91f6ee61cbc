import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { categoryTreeSchema } from '../../../contracts/case.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const categoryRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/categories',
    {
      config: { permission: 'case.view' },
      schema: { tags: ['categories'], response: { 200: categoryTreeSchema } },
    },
    (req) => services.categories.tree(actorOf(req)),
  );
};
