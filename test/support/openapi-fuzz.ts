import { mulberry32, pick, type Rand } from '../../src/domain/shared/prng.ts';

/**
 * Hostile inputs generated from the published OpenAPI document: for each operation, a plausible valid request is
 * built from its schemas, then one place in it (a path parameter, a query parameter, a body field at any depth, or
 * the whole body) is replaced by a value from the lists below. Deterministic for a seed.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}

export interface FuzzRequest {
  method: string;
  url: string;
  /** A JSON value to send, or a raw string body (sent as application/json, possibly malformed). */
  body?: unknown;
  raw?: string;
  /** What was replaced, for the failure message. */
  target: string;
}

export const hostileStrings: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '😀'.repeat(64),
  '中文测试'.repeat(600),
  'x'.repeat(70_000),
  "' OR '1'='1",
  "1'; DROP TABLE staff; --",
  '" OR ""="',
  '\\',
  '%',
  '_%_',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '${7*7}{{7*7}}',
  '\u202eevil',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  'NaN',
  '2026-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '99999999999999999999',
  '\t\r\n',
  'ǅ\u0301\u0301\u0301',
];

export const hostileValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.000001,
  1e308,
  -1e308,
  2 ** 53 + 1,
  [],
  {},
  [null],
  ['a\u0000'],
  { a: 1 },
  Array.from({ length: 2000 }, (_, i) => i),
  deepObject(200),
];

function deepObject(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { nested: v };
  return v;
}

const rawBodies: readonly string[] = [
  '{',
  '{"a":',
  'nul',
  '[]',
  '"text"',
  '123',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

export function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

/** A value the schema accepts, as far as a generator can tell without a full solver. */
export function validValue(schema: JsonSchema | undefined, rand: Rand): unknown {
  if (!schema) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(rand, schema.enum);
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt && alt.length > 0) return validValue(pick(rand, alt), rand);
  if (schema.allOf?.[0]) return validValue(schema.allOf[0], rand);
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.maximum !== undefined ? Math.min(1, schema.maximum) : 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(schema.items, rand));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rand() < 0.5) out[key] = validValue(prop, rand);
      }
      return out;
    }
    default:
      return validString(schema);
  }
}

function validString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.format === 'date-time') return '2026-11-22T02:00:00.000Z';
  if (schema.format === 'date') return '2026-11-22';
  if (schema.pattern?.includes('[0-9]{12}') || schema.pattern?.includes('\\d{12}')) return '990102000000';
  return 'a'.repeat(Math.max(1, schema.minLength ?? 1));
}

/** Every path to a field of the body schema, e.g. ['location', 'lng']. */
function fieldPaths(schema: JsonSchema | null, prefix: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 4) return [];
  const out: string[][] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    out.push([...prefix, key]);
    out.push(...fieldPaths(prop, [...prefix, key], depth + 1));
  }
  return out;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Percent-encodes text as UTF-8, lone surrogates included (as WTF-8), which `encodeURIComponent` refuses. */
export function encodeAny(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => {
        const code = ch.charCodeAt(0);
        if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) {
          return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('');
        }
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

function hostile(rand: Rand, forUrl: boolean): unknown {
  if (forUrl || rand() < 0.6) {
    const s = pick(rand, hostileStrings);
    return forUrl ? s.slice(0, 4000) : s;
  }
  return pick(rand, hostileValues);
}

/** `count` hostile requests for one operation. */
export function fuzzRequests(op: Operation, count: number, seed: number): FuzzRequest[] {
  const rand = mulberry32(seed);
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const fields = fieldPaths(op.body);
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const params = Object.fromEntries(pathParams.map((p) => [p.name, String(validValue(p.schema, rand))]));
    const query: Record<string, string> = {};
    for (const p of queryParams)
      if (p.required || rand() < 0.3) query[p.name] = String(validValue(p.schema, rand));
    let body: unknown = op.body ? validValue(op.body, rand) : undefined;
    let raw: string | undefined;
    let target: string;
    const slots = [
      ...pathParams.map((p) => `params.${p.name}`),
      ...queryParams.map((p) => `query.${p.name}`),
      ...(op.body ? ['body', ...fields.map((f) => `body.${f.join('.')}`)] : ['query.unknownField']),
    ];
    const slot = slots.length > 0 ? slots[i % slots.length]! : 'query.unknownField';
    if (slot.startsWith('params.')) {
      params[slot.slice(7)] = String(hostile(rand, true));
      target = slot;
    } else if (slot.startsWith('query.')) {
      query[slot.slice(6)] = String(hostile(rand, true));
      target = slot;
    } else if (slot === 'body') {
      if (rand() < 0.3) raw = pick(rand, rawBodies);
      else body = hostile(rand, false);
      target = raw !== undefined ? `raw body ${JSON.stringify(raw)}` : 'body';
    } else {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) body = {};
      setAt(body as Record<string, unknown>, slot.slice(5).split('.'), hostile(rand, false));
      target = slot;
    }
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeAny(params[name] ?? 'x'));
    const qs = Object.entries(query)
      .map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`)
      .join('&');
    out.push({
      method: op.method,
      url: qs ? `${path}?${qs}` : path,
      ...(raw !== undefined ? { raw } : body !== undefined ? { body } : {}),
      target,
    });
  }
  return out;
}
