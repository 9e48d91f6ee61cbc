import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bulkEventBodySchema, bulkEventResultSchema } from '../../../contracts/case-bulk.schema.ts';
import type { Services } from '../../../services/compose.ts';
import { issueMessage, langOf, titleOf } from '../../i18n/messages.ts';
import { actorOf } from '../../plugins/auth.ts';

/** POST /cases/bulk-events: one event (批量派遣) for up to 200 cases, each in its own transaction. */
export const caseBulkRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/cases/bulk-events',
    {
      config: { permission: 'case.act' },
      schema: { tags: ['cases'], body: bulkEventBodySchema, response: { 200: bulkEventResultSchema } },
    },
    async (req) => {
      const lang = langOf(req.headers['accept-language']);
      const outcomes = await services.caseBulk.run(actorOf(req), req.body);
      const items = outcomes.map((o) => {
        if (o.ok) return { caseId: o.caseId, ok: true, version: o.version, departmentId: o.departmentId };
        const code = o.code ?? 'internal';
        const reasons = (o.issues ?? []).map((i) => issueMessage(i.message, lang, o.details));
        const title = titleOf(code, lang);
        return {
          caseId: o.caseId,
          ok: false,
          code,
          error: reasons.length ? `${title}: ${reasons.join('; ')}` : title,
        };
      });
      const succeeded = items.filter((i) => i.ok).length;
      return { succeeded, failed: items.length - succeeded, items };
    },
  );
};
