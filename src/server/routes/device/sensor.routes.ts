import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { sensorAlarmBodySchema, sensorAlarmResponseSchema } from '../../../contracts/device.schema.ts';
import { DomainError } from '../../../domain/shared/domain-error.ts';
import type { Services } from '../../../services/compose.ts';
import { deviceTokenOf } from '../../../services/device/device-token.ts';

type Device = Awaited<ReturnType<Services['sensorAlarms']['authenticate']>>;

/**
 * Alarms from sensors. No session or staff token counts here (the route is public to the session guard): the
 * device guard below admits only `Authorization: Device <token>` of an enabled device, before the body is read.
 */
export const sensorRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const devices = new WeakMap<FastifyRequest, Device>();

  app.post(
    '/sensor/alarms',
    {
      config: { public: true },
      onRequest: async (req) => {
        devices.set(req, await services.sensorAlarms.authenticate(deviceTokenOf(req.headers.authorization)));
      },
      schema: {
        tags: ['sensors'],
        summary: 'Report an alarm as a case (same alarmId again: the same case, 200)',
        security: [{ device: [] }],
        body: sensorAlarmBodySchema,
        response: { 200: sensorAlarmResponseSchema, 201: sensorAlarmResponseSchema },
      },
    },
    async (req, reply) => {
      const device = devices.get(req);
      if (!device) throw new DomainError('auth.token_invalid');
      const { created, response } = await services.sensorAlarms.receive(device, req.body);
      return reply.code(created ? 201 : 200).send(response);
    },
  );
};
