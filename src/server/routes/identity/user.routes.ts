import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema, pageOf } from '../../../contracts/common.schema.ts';
import {
  createUserBodySchema,
  resetPasswordResponseSchema,
  updateUserBodySchema,
  userQuerySchema,
  userSchema,
} from '../../../contracts/identity.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const userRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['users'];

  app.get(
    '/users',
    {
      config: { permission: 'user.manage' },
      schema: { tags, querystring: userQuerySchema, response: { 200: pageOf(userSchema) } },
    },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.users.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.post(
    '/users',
    {
      config: { permission: 'user.manage' },
      schema: { tags, body: createUserBodySchema, response: { 201: userSchema } },
    },
    async (req, reply) => reply.code(201).send(await services.users.create(actorOf(req), req.body)),
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'user.manage' },
      schema: { tags, params: idParamSchema, response: { 200: userSchema } },
    },
    (req) => services.users.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'user.manage' },
      schema: { tags, params: idParamSchema, body: updateUserBodySchema, response: { 200: userSchema } },
    },
    (req) => services.users.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { permission: 'user.manage' },
      schema: { tags, params: idParamSchema, response: { 200: resetPasswordResponseSchema } },
    },
    (req) => services.users.resetPassword(actorOf(req), req.params.id),
  );
};
