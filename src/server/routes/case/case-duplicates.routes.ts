import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import {
  duplicateCandidatesBodySchema,
  duplicateListSchema,
  duplicateSettingsSchema,
} from '../../../contracts/case-duplicates.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** Duplicate detection (重复件): candidates at intake and around a case, and the radius/time settings. */
export const caseDuplicateRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  const tags = ['cases'];

  app.post(
    '/cases/duplicate-candidates',
    {
      config: { permission: 'case.view' },
      schema: { tags, body: duplicateCandidatesBodySchema, response: { 200: duplicateListSchema } },
    },
    (req) => services.caseDuplicates.candidates(actorOf(req), req.body),
  );

  app.get(
    '/cases/:id/duplicates',
    {
      config: { permission: 'case.view' },
      schema: { tags, params: idParamSchema, response: { 200: duplicateListSchema } },
    },
    (req) => services.caseDuplicates.aroundCase(actorOf(req), req.params.id),
  );

  app.get(
    '/cases/duplicate-settings',
    { config: { permission: 'case.view' }, schema: { tags, response: { 200: duplicateSettingsSchema } } },
    (req) => services.caseDuplicates.getSettings(actorOf(req)),
  );

  app.put(
    '/cases/duplicate-settings',
    {
      config: { permission: 'system.manage' },
      schema: { tags, body: duplicateSettingsSchema, response: { 200: duplicateSettingsSchema } },
    },
    (req) => services.caseDuplicates.updateSettings(actorOf(req), req.body),
  );
};
