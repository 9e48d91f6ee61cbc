import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import {
  createdTokenSchema,
  createTokenBodySchema,
  tokenSchema,
} from '../../../contracts/identity.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

export const tokenRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['tokens'];

  app.get(
    '/tokens',
    { config: { permission: 'token.manage' }, schema: { tags, response: { 200: z.array(tokenSchema) } } },
    (req) => services.tokens.list(actorOf(req)),
  );

  app.post(
    '/tokens',
    {
      config: { permission: 'token.manage' },
      schema: { tags, body: createTokenBodySchema, response: { 201: createdTokenSchema } },
    },
    async (req, reply) => reply.code(201).send(await services.tokens.create(actorOf(req), req.body)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { permission: 'token.manage' },
      schema: { tags, params: idParamSchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await services.tokens.revoke(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
