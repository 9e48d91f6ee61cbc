import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageOf } from '../../../contracts/common.schema.ts';
import {
  catalogueVersionQuerySchema,
  catalogueVersionSchema,
  catalogueVersionSummarySchema,
  publishCatalogueBodySchema,
  versionParamSchema,
} from '../../../contracts/taxonomy.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';

/** Catalogue versions (事项分类目录版本): history, one version's items, publishing the next one. */
export const catalogueRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['categories'];

  app.get(
    '/categories/versions',
    {
      config: { permission: 'case.view' },
      schema: {
        tags,
        querystring: catalogueVersionQuerySchema,
        response: { 200: pageOf(catalogueVersionSummarySchema) },
      },
    },
    (req) => services.categories.versions(actorOf(req), req.query),
  );

  app.get(
    '/categories/versions/:v',
    {
      config: { permission: 'case.view' },
      schema: { tags, params: versionParamSchema, response: { 200: catalogueVersionSchema } },
    },
    (req) => services.categories.getVersion(actorOf(req), req.params.v),
  );

  app.post(
    '/categories/versions',
    {
      config: { permission: 'catalogue.manage' },
      schema: { tags, body: publishCatalogueBodySchema, response: { 201: catalogueVersionSchema } },
    },
    async (req, reply) => reply.code(201).send(await services.categories.publish(actorOf(req), req.body)),
  );
};
