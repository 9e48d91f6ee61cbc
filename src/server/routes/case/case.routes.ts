import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import {
  caseDetailSchema,
  caseEventBodySchema,
  casePageSchema,
  caseQuerySchema,
  createCaseBodySchema,
  worklistCountsSchema,
} from '../../../contracts/case.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

const createHeadersSchema = z.object({
  /** Retrying with the same key and body returns the first response instead of creating a second case. */
  'idempotency-key': z
    .string()
    .regex(/^[\w.:-]{8,200}$/)
    .optional(),
});

export const caseRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['cases'];

  app.post(
    '/cases',
    {
      config: { permission: 'case.create' },
      schema: {
        tags,
        headers: createHeadersSchema,
        body: createCaseBodySchema,
        response: { 201: caseDetailSchema },
      },
      // The hot intake path: the answer is built field by field from the schema's own type (case-view.ts), so it
      // is written as it is, without encoding it through the schema again (case.routes.test.ts checks the two agree).
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await services.cases.create(actorOf(req), req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/cases',
    {
      config: { permission: 'case.view' },
      schema: { tags, querystring: caseQuerySchema, response: { 200: casePageSchema } },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.cases.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.get(
    '/cases/worklists',
    {
      config: { permission: 'case.view' },
      schema: { tags, response: { 200: worklistCountsSchema } },
    },
    (req) => services.cases.worklistCounts(actorOf(req)),
  );

  app.get(
    '/cases/:id',
    {
      config: { permission: 'case.view' },
      schema: { tags, params: idParamSchema, response: { 200: caseDetailSchema } },
    },
    (req) => services.cases.get(actorOf(req), req.params.id),
  );

  app.post(
    '/cases/:id/events',
    {
      config: { permission: 'case.act' },
      schema: { tags, params: idParamSchema, body: caseEventBodySchema, response: { 200: caseDetailSchema } },
    },
    (req) => services.cases.act(actorOf(req), req.params.id, req.body),
  );
};
