import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema, pageOf } from '../../../contracts/common.schema.ts';
import {
  createResponsibilityRuleBodySchema,
  previewBodySchema,
  previewResultSchema,
  responsibilityRuleQuerySchema,
  responsibilityRuleSchema,
  updateResponsibilityRuleBodySchema,
} from '../../../contracts/taxonomy.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** The responsibility list (责任清单): category × region → department, and a preview of the suggestion. */
export const responsibilityRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  const tags = ['responsibility'];

  app.get(
    '/responsibility-rules',
    {
      config: { permission: 'org.view' },
      schema: {
        tags,
        querystring: responsibilityRuleQuerySchema,
        response: { 200: pageOf(responsibilityRuleSchema) },
      },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.responsibility.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.post(
    '/responsibility-rules',
    {
      config: { permission: 'catalogue.manage' },
      schema: {
        tags,
        body: createResponsibilityRuleBodySchema,
        response: { 201: responsibilityRuleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await services.responsibility.create(actorOf(req), req.body)),
  );

  app.patch(
    '/responsibility-rules/:id',
    {
      config: { permission: 'catalogue.manage' },
      schema: {
        tags,
        params: idParamSchema,
        body: updateResponsibilityRuleBodySchema,
        response: { 200: responsibilityRuleSchema },
      },
    },
    (req) => services.responsibility.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/responsibility-rules/:id',
    {
      config: { permission: 'catalogue.manage' },
      schema: { tags, params: idParamSchema },
    },
    async (req, reply) => {
      await services.responsibility.remove(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/responsibility-rules/preview',
    {
      config: { permission: 'org.view' },
      schema: { tags, body: previewBodySchema, response: { 200: previewResultSchema } },
    },
    (req) => services.responsibility.preview(actorOf(req), req.body),
  );
};
