import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  featureCollectionSchema,
  generateGridsBodySchema,
  generateGridsResultSchema,
  gridCodeParamSchema,
  gridInfoSchema,
  gridsGeojsonQuerySchema,
  importAcceptedSchema,
  importJobSchema,
  jobIdParamSchema,
  layerFeaturesQuerySchema,
  layerIdParamSchema,
  layerSchema,
  regionsGeojsonQuerySchema,
  searchQuerySchema,
  searchResultSchema,
  setWorkersBodySchema,
  workersSchema,
  type FeatureCollectionView,
} from '../../../contracts/spatial.schema.ts';
import type { BBox } from '../../../domain/geo/geometry.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readImportRequest } from './import-request.ts';

/** GeoJSON out; `download=1` makes it an attachment (the export). */
function geojson(reply: FastifyReply, fc: FeatureCollectionView, download: string | undefined, name: string) {
  reply.type('application/geo+json; charset=utf-8');
  if (download === '1') reply.header('content-disposition', `attachment; filename="zhizhi-${name}.geojson"`);
  return fc;
}

const bboxOf = (text: string | undefined): BBox | undefined =>
  text ? (text.split(',').map(Number) as BBox) : undefined;

export const spatialRoutes: FastifyPluginAsyncZod<{ services: Services; uploadLimitBytes: number }> = async (
  app,
  { services, uploadLimitBytes },
) => {
  const tags = ['spatial'];

  app.post(
    '/spatial/imports',
    {
      config: { permission: 'region.manage' },
      bodyLimit: uploadLimitBytes,
      schema: {
        tags,
        consumes: ['application/json', 'multipart/form-data'],
        response: { 202: importAcceptedSchema },
      },
    },
    async (req, reply) => {
      const { source, options } = await readImportRequest(req);
      const { jobId } = await services.spatialImport.start(actorOf(req), source, options);
      return reply.code(202).send({ jobId });
    },
  );

  app.get(
    '/spatial/imports/:id',
    {
      config: { permission: 'region.manage' },
      schema: { tags, params: jobIdParamSchema, response: { 200: importJobSchema } },
    },
    async (req) => services.spatialImport.get(actorOf(req), req.params.id),
  );

  app.post(
    '/spatial/grids/generate',
    {
      config: { permission: 'region.manage' },
      schema: { tags, body: generateGridsBodySchema, response: { 200: generateGridsResultSchema } },
    },
    (req) => services.gridGeneration.generate(actorOf(req), req.body),
  );

  app.get(
    '/spatial/regions.geojson',
    {
      config: { permission: 'region.view' },
      schema: { tags, querystring: regionsGeojsonQuerySchema, response: { 200: featureCollectionSchema } },
    },
    async (req, reply) =>
      geojson(
        reply,
        await services.spatialRead.regions(actorOf(req), req.query),
        req.query.download,
        `regions-${req.query.parentCode ?? req.query.level ?? 'all'}`,
      ),
  );

  app.get(
    '/spatial/grids.geojson',
    {
      config: { permission: 'region.view' },
      schema: { tags, querystring: gridsGeojsonQuerySchema, response: { 200: featureCollectionSchema } },
    },
    async (req, reply) => {
      const fc = await services.spatialRead.grids(actorOf(req), {
        regionCode: req.query.regionCode,
        bbox: bboxOf(req.query.bbox),
      });
      return geojson(reply, fc, req.query.download, `grids-${req.query.regionCode}`);
    },
  );

  app.get(
    '/spatial/layers',
    { config: { permission: 'region.view' }, schema: { tags, response: { 200: layerSchema.array() } } },
    (req) => services.spatialRead.layers(actorOf(req)),
  );

  app.get(
    '/spatial/layers/:id/features.geojson',
    {
      config: { permission: 'region.view' },
      schema: {
        tags,
        params: layerIdParamSchema,
        querystring: layerFeaturesQuerySchema,
        response: { 200: featureCollectionSchema },
      },
    },
    async (req, reply) =>
      geojson(
        reply,
        await services.spatialRead.layerFeatures(actorOf(req), req.params.id),
        req.query.download,
        `layer-${req.params.id}`,
      ),
  );

  app.get(
    '/spatial/grids/:code',
    {
      config: { permission: 'region.view' },
      schema: { tags, params: gridCodeParamSchema, response: { 200: gridInfoSchema } },
    },
    (req) => services.spatialRead.gridInfo(actorOf(req), req.params.code),
  );

  app.get(
    '/spatial/search',
    {
      config: { permission: 'region.view' },
      schema: { tags, querystring: searchQuerySchema, response: { 200: searchResultSchema } },
    },
    (req) => services.spatialRead.search(actorOf(req), req.query.q),
  );

  app.put(
    '/spatial/grids/:code/workers',
    {
      config: { permission: 'region.manage' },
      schema: {
        tags,
        params: gridCodeParamSchema,
        body: setWorkersBodySchema,
        response: { 200: workersSchema },
      },
    },
    (req) => services.gridAssignment.setWorkers(actorOf(req), req.params.code, req.body.staffIds),
  );
};
