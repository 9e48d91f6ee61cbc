import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { caseExportQuerySchema } from '../../../contracts/case-bulk.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { langOf } from '../../i18n/messages.ts';
import { actorOf } from '../../plugins/auth.ts';

/** RFC 6266 / RFC 5987: an ASCII fallback name plus the UTF-8 name percent-encoded. */
export function contentDisposition(ascii: string, utf8: string): string {
  const encoded = encodeURIComponent(utf8).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/**
 * GET /cases/export: every case matching the list filters in the caller's scope, as .xlsx (default) or CSV,
 * headers and labels in the caller's language (Accept-Language; Chinese by default).
 */
export const caseExportRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/cases/export',
    {
      config: { permission: 'case.view' },
      schema: {
        tags: ['cases'],
        querystring: caseExportQuerySchema,
        description:
          'The file itself (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv); ' +
          'at most 100,000 rows, more answer 400 with the count.',
      },
    },
    async (req, reply) => {
      const file = await services.caseExport.export(
        actorOf(req),
        req.query,
        langOf(req.headers['accept-language']),
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.filename, file.localFilename))
        .header('cache-control', 'no-store')
        .header('x-export-rows', String(file.rows))
        .send(file.body);
    },
  );
};
