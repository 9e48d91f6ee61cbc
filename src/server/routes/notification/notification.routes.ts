import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import {
  notificationPageSchema,
  notificationQuerySchema,
  notificationSchema,
  readAllSchema,
  unreadCountSchema,
} from '../../../contracts/notification.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** The caller's own notifications: any signed-in user (no permission beyond being signed in). */
export const notificationRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  const tags = ['notifications'];

  app.get(
    '/notifications',
    { schema: { tags, querystring: notificationQuerySchema, response: { 200: notificationPageSchema } } },
    (req) => {
      const { page, pageSize, ...filter } = req.query;
      return services.notifications.list(actorOf(req), filter, { page, pageSize });
    },
  );

  app.get('/notifications/unread-count', { schema: { tags, response: { 200: unreadCountSchema } } }, (req) =>
    services.notifications.unreadCount(actorOf(req)),
  );

  app.post(
    '/notifications/:id/read',
    { schema: { tags, params: idParamSchema, response: { 200: notificationSchema } } },
    (req) => services.notifications.markRead(actorOf(req), req.params.id),
  );

  app.post('/notifications/read-all', { schema: { tags, response: { 200: readAllSchema } } }, (req) =>
    services.notifications.markAllRead(actorOf(req)),
  );
};
