import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemInfoSchema, workbenchSummarySchema } from '../../../contracts/system.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const systemRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/system/info',
    { config: { public: true }, schema: { tags: ['system'], response: { 200: systemInfoSchema } } },
    () => services.system.info(),
  );

  app.get(
    '/workbench/summary',
    {
      config: { permission: 'workbench.view' },
      schema: { tags: ['system'], response: { 200: workbenchSummarySchema } },
    },
    (req) => services.system.workbenchSummary(actorOf(req)),
  );
};
