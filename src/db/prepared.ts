import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Put first in a statement's text to have PostgreSQL parse and plan it once per connection (a named prepared
 * statement) instead of on every execution. For hot statements whose planning costs as much as their execution;
 * the text (whatever follows the marker) may vary, each distinct text gets its own name. Embedded PGlite ignores
 * the marker (it is a comment).
 */
export const PREPARE = '/* prepare */';

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `zz_${createHash('sha1').update(text).digest('base64url')}`;
    // A handful of texts in practice; the bound only guards against a caller that builds unbounded variants.
    if (names.size >= 256) names.clear();
    names.set(text, name);
  }
  return name;
}

type Query = (...args: unknown[]) => unknown;

/** Installed on each new pool client (`pool.on('connect', prepareMarked)`). */
export function prepareMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (text: unknown, ...rest: unknown[]) =>
    typeof text === 'string' && text.startsWith(PREPARE) && Array.isArray(rest[0])
      ? query({ name: nameOf(text), text, values: rest[0] }, ...rest.slice(1))
      : query(text, ...rest);
}
