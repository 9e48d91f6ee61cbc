import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentMultipartNote, attachmentUploadSchema } from '../../../contracts/attachment.schema.ts';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import {
  publicCaseBodySchema,
  publicCaseCreatedSchema,
  publicCaseViewSchema,
  publicCategoryTreeSchema,
  publicLocateQuerySchema,
  publicLocateSchema,
  ratingBodySchema,
  ratingByCodeBodySchema,
  signedPhotoQuerySchema,
  trackingTokenParamSchema,
  trackLookupBodySchema,
} from '../../../contracts/public.schema.ts';
import { featureCollectionSchema } from '../../../contracts/spatial.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { readUpload, sendImage } from '../attachment/read-upload.ts';

export interface PublicRouteOptions {
  services: Services;
  /** Requests per minute per IP on each public endpoint (photos: five times as many). */
  ratePerMinute: number;
  /** Code + phone-digit attempts per hour per IP and case code. */
  lookupsPerHour: number;
}

const idempotencyHeaders = z.object({
  /** Retrying with the same key and body returns the first answer (same code and token), never a second case. */
  'idempotency-key': z
    .string()
    .regex(/^[\w.:-]{8,200}$/)
    .optional(),
});

/**
 * The citizen side, no account needed (公众): photo upload, reporting, tracking, rating, and what the report form
 * needs (categories, community outlines, an inside-the-jurisdiction check). Every route is rate limited per IP;
 * guessing a case's phone digits is limited per IP and case code as well.
 */
export const publicRoutes: FastifyPluginAsyncZod<PublicRouteOptions> = async (app, opts) => {
  const { services, ratePerMinute, lookupsPerHour } = opts;
  const tags = ['public'];
  const perIp = { max: ratePerMinute, windowMs: 60_000 };
  const open = { public: true, rateLimit: perIp };
  // Code + phone tail: besides the per-IP limit, guesses are counted per IP and case code (in the database, so
  // across server processes and restarts). That key needs the parsed body, so it is counted in preHandler.
  const perCode = { bucket: 'public.track_guess', max: lookupsPerHour, windowMs: 3_600_000 };
  const guess = {
    config: open,
    preHandler: async (req: FastifyRequest) => {
      const code = (req.body as { code?: string } | null)?.code ?? '';
      await services.rateLimiter.take(perCode, `${req.ip}|${code}`);
    },
  };

  app.post(
    '/public/attachments',
    {
      config: open,
      schema: {
        tags,
        description: attachmentMultipartNote,
        consumes: ['multipart/form-data'],
        response: { 201: attachmentUploadSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.attachments.uploadPublic(await readUpload(req))),
  );

  app.get(
    '/public/photos/:id',
    {
      config: { public: true, rateLimit: { max: ratePerMinute * 5, windowMs: 60_000 } },
      schema: {
        tags,
        description:
          'A photo behind a signed link from a tracking view; expired or altered links answer 404.',
        params: idParamSchema,
        querystring: signedPhotoQuerySchema,
      },
    },
    async (req, reply) => {
      const f = await services.attachments.readSigned(req.params.id, req.query.exp, req.query.sig);
      return sendImage(req, reply, f, f.maxAgeSeconds);
    },
  );

  app.post(
    '/public/cases',
    {
      config: open,
      schema: {
        tags,
        headers: idempotencyHeaders,
        body: publicCaseBodySchema,
        response: { 201: publicCaseCreatedSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.publicCases.report(req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/public/track/:token',
    {
      config: open,
      schema: { tags, params: trackingTokenParamSchema, response: { 200: publicCaseViewSchema } },
    },
    (req) => services.publicCases.track(req.params.token),
  );

  app.post(
    '/public/track/lookup',
    {
      ...guess,
      schema: { tags, body: trackLookupBodySchema, response: { 200: publicCaseViewSchema } },
    },
    (req) => services.publicCases.lookup(req.body),
  );

  app.post(
    '/public/track/:token/rating',
    {
      config: open,
      schema: {
        tags,
        params: trackingTokenParamSchema,
        body: ratingBodySchema,
        response: { 200: publicCaseViewSchema },
      },
    },
    (req) => services.publicCases.rateByToken(req.params.token, req.body),
  );

  app.post(
    '/public/track/rating',
    {
      ...guess,
      schema: { tags, body: ratingByCodeBodySchema, response: { 200: publicCaseViewSchema } },
    },
    (req) => services.publicCases.rateByCode(req.body),
  );

  app.get(
    '/public/categories',
    { config: open, schema: { tags, response: { 200: publicCategoryTreeSchema } } },
    () => services.publicGeo.categories(),
  );

  app.get(
    '/public/regions.geojson',
    { config: open, schema: { tags, response: { 200: featureCollectionSchema } } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return services.publicGeo.communities();
    },
  );

  app.get(
    '/public/locate',
    {
      config: open,
      schema: { tags, querystring: publicLocateQuerySchema, response: { 200: publicLocateSchema } },
    },
    (req) => services.publicGeo.locate(req.query.lng, req.query.lat),
  );
};
