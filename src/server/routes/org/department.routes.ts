import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema, pageOf } from '../../../contracts/common.schema.ts';
import {
  createDepartmentBodySchema,
  departmentQuerySchema,
  departmentSchema,
  updateDepartmentBodySchema,
} from '../../../contracts/org.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const departmentRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['departments'];

  app.get(
    '/departments',
    {
      config: { permission: 'org.view' },
      schema: { tags, querystring: departmentQuerySchema, response: { 200: pageOf(departmentSchema) } },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.departments.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.get(
    '/departments/:id',
    {
      config: { permission: 'org.view' },
      schema: { tags, params: idParamSchema, response: { 200: departmentSchema } },
    },
    (req) => services.departments.get(actorOf(req), req.params.id),
  );

  app.post(
    '/departments',
    {
      config: { permission: 'org.manage' },
      schema: { tags, body: createDepartmentBodySchema, response: { 201: departmentSchema } },
    },
    async (req, reply) => reply.code(201).send(await services.departments.create(actorOf(req), req.body)),
  );

  app.patch(
    '/departments/:id',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags,
        params: idParamSchema,
        body: updateDepartmentBodySchema,
        response: { 200: departmentSchema },
      },
    },
    (req) => services.departments.update(actorOf(req), req.params.id, req.body),
  );
};
