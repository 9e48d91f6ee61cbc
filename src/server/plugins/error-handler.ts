import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, httpStatusOf, type FieldIssue } from '../../domain/shared/domain-error.ts';
import { issueMessage, langOf, titleOf, type Lang } from '../i18n/messages.ts';

/** Is this error the database being unreachable (connection refused, terminated, pool timeout)? */
function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ENOTFOUND',
    'ETIMEDOUT',
    '57P01',
    '57P03',
    '08006',
    '08001',
    '08003',
  ];
  if (e?.code && codes.includes(e.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    e?.message ?? '',
  );
}

interface ZodLikeIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function zodIssuesToFields(context: string, issues: ZodLikeIssue[], lang: Lang): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const i of issues) {
    const path = i.instancePath.replace(/^\//, '').split('/').filter(Boolean);
    const base = [context, ...path].join('.');
    if (i.keyword === 'unrecognized_keys') {
      for (const key of (i.params.keys as string[]) ?? []) {
        out.push({
          field: `${base}.${key}`,
          reason: 'unknown_field',
          message: issueMessage('unknown_field', lang),
        });
      }
      continue;
    }
    const missing = i.keyword === 'invalid_type' && /received undefined/.test(i.message);
    const reason = missing ? 'required' : i.keyword;
    // A schema may carry its own message key (e.g. `region.code_format`); otherwise use the generic one.
    const key = /^[a-z_]+\.[a-z_]+$/.test(i.message) ? i.message : reason;
    out.push({ field: base, reason, message: issueMessage(key, lang, i.params) });
  }
  return out;
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  issues?: FieldIssue[],
  extra: Record<string, unknown> = {},
) {
  const lang = langOf(req.headers['accept-language']);
  const title = titleOf(code, lang);
  const detail =
    issues && issues.length > 0
      ? `${title}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`
      : title;
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://zhizhi.dev/problems/${code}`,
      title,
      status,
      detail,
      code,
      instance: req.url,
      requestId: req.id,
      ...(issues && issues.length > 0 ? { issues } : {}),
      ...extra,
    });
}

/** One mapping from every failure to RFC 9457 problem+json. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = langOf(req.headers['accept-language']);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const ctx = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
      const issues = zodIssuesToFields(ctx, err.validation as unknown as ZodLikeIssue[], lang);
      return sendProblem(req, reply, 400, 'validation.failed', issues);
    }
    if (err instanceof DomainError) {
      const issues = err.issues.map((i) => ({ ...i, message: issueMessage(i.message, lang, err.details) }));
      const status = httpStatusOf(err.code);
      if (status >= 500) req.log.error({ err }, 'domain error');
      const retryAfter = err.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return sendProblem(
        req,
        reply,
        status,
        err.code,
        issues,
        Object.keys(err.details).length ? { details: err.details } : {},
      );
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendProblem(req, reply, 413, 'request.body_too_large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(req, reply, 415, 'request.unsupported_media_type');
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(req, reply, 400, 'request.malformed_json', [
        { field: 'body', reason: 'malformed_json', message: titleOf('request.malformed_json', lang) },
      ]);
    }
    if (err.statusCode === 429) return sendProblem(req, reply, 429, 'rate_limited');
    if (isDatabaseDown(err)) {
      req.log.warn({ err }, 'database unavailable');
      return sendProblem(req, reply, 503, 'service.unavailable');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(req, reply, err.statusCode, 'validation.failed', [
        { field: 'request', reason: err.code ?? 'bad_request', message: err.message },
      ]);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal');
  });
}
