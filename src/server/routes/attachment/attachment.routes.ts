import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attachmentMultipartNote, attachmentUploadSchema } from '../../../contracts/attachment.schema.ts';
import { idParamSchema } from '../../../contracts/common.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readUpload, sendImage } from './read-upload.ts';

/**
 * Staff photo uploads and downloads. Uploading needs `case.act`: photos are evidence for workflow events, and
 * every role that files cases (`case.create`) also acts on them, while handlers act without filing.
 */
export const attachmentRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const tags = ['attachments'];

  app.post(
    '/attachments',
    {
      config: { permission: 'case.act' },
      schema: {
        tags,
        description: attachmentMultipartNote,
        consumes: ['multipart/form-data'],
        response: { 201: attachmentUploadSchema },
      },
    },
    async (req, reply) => {
      const bytes = await readUpload(req);
      return reply.code(201).send(await services.attachments.upload(actorOf(req), bytes));
    },
  );

  app.get(
    '/attachments/:id',
    {
      config: { permission: 'case.view' },
      schema: {
        tags,
        description: 'The image bytes, for its uploader or anyone who can see the case it belongs to.',
        params: idParamSchema,
      },
    },
    async (req, reply) =>
      sendImage(req, reply, await services.attachments.read(actorOf(req), req.params.id), 86_400),
  );
};
