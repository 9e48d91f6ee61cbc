import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageOf } from '../../../contracts/common.schema.ts';
import { auditEntrySchema, auditQuerySchema } from '../../../contracts/identity.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit.view' },
      schema: { tags: ['audit'], querystring: auditQuerySchema, response: { 200: pageOf(auditEntrySchema) } },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.audit.list(actorOf(req), filter, { page, pageSize });
    },
  );
};
