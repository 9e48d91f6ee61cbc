import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema, pageOf } from '../../../contracts/common.schema.ts';
import {
  createDeviceBodySchema,
  deviceQuerySchema,
  deviceSchema,
  deviceWithTokenSchema,
  updateDeviceBodySchema,
} from '../../../contracts/device.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** Sensor registry (感知设备) for administrators. Create and token rotation answer with the token, once. */
export const deviceRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['devices'];
  const config = { permission: 'device.manage' } as const;

  app.get(
    '/devices',
    { config, schema: { tags, querystring: deviceQuerySchema, response: { 200: pageOf(deviceSchema) } } },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.devices.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.post(
    '/devices',
    { config, schema: { tags, body: createDeviceBodySchema, response: { 201: deviceWithTokenSchema } } },
    async (req, reply) => reply.code(201).send(await services.devices.create(actorOf(req), req.body)),
  );

  app.patch(
    '/devices/:id',
    {
      config,
      schema: { tags, params: idParamSchema, body: updateDeviceBodySchema, response: { 200: deviceSchema } },
    },
    (req) => services.devices.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/devices/:id/token',
    { config, schema: { tags, params: idParamSchema, response: { 200: deviceWithTokenSchema } } },
    (req) => services.devices.rotateToken(actorOf(req), req.params.id),
  );
};
