import type { FastifyInstance } from 'fastify';
import { DomainError, type FieldIssue } from '../../domain/shared/domain-error.ts';

/**
 * Text that no field may hold: NUL (PostgreSQL's text type cannot store it) and lone UTF-16 surrogates (they
 * cannot be encoded as UTF-8). Both are refused once, here, for every route's path parameters, query and JSON
 * body, with a 400 that names the field — instead of failing deep inside a service or the database driver.
 */
// Without the `u` flag a regular expression sees UTF-16 code units, so it can find unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

function isBadText(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

const MAX_DEPTH = 64;

/** Collects the dotted paths of the strings (keys included) that hold forbidden characters. */
function findBadText(value: unknown, path: string, out: string[], depth = 0): void {
  if (out.length >= 10 || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (isBadText(value)) out.push(path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => findBadText(item, `${path}.${i}`, out, depth + 1));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A bad key is named in a form that can itself be shown and logged.
      if (isBadText(key)) out.push(`${path}.${encodeURIComponent(key.replace(LONE_SURROGATES, '\uFFFD'))}`);
      else findBadText(item, `${path}.${key}`, out, depth + 1);
    }
  }
}

/** Throws one 400 naming every field (`params.id`, `query.q`, `body.reporter.name`) that holds forbidden text. */
export function assertCleanText(inputs: Record<string, unknown>): void {
  const bad: string[] = [];
  for (const [context, value] of Object.entries(inputs)) findBadText(value, context, bad);
  if (bad.length === 0) return;
  const issues: FieldIssue[] = bad.map((field) => ({
    field,
    reason: 'invalid_characters',
    message: 'invalid_characters',
  }));
  throw new DomainError('validation.failed', 'forbidden characters in text', {}, issues);
}

/** Every route's parameters, query and JSON body; multipart readers call `assertCleanText` on their fields. */
export function registerTextInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    assertCleanText({ params: req.params, query: req.query, body: req.body });
  });
}
