import { createHash } from 'node:crypto';
import type { DispatchRule } from '../../domain/taxonomy/category.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Executor } from '../../db/executor.ts';
import type { LocateResult } from '../../contracts/locate.schema.ts';
import { suggestionFor } from '../taxonomy/suggestion.ts';

/** A key a JavaScript object enumerates first, in numeric order (an array index). */
const isIndex = (k: string) => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;

/**
 * The JSON of `v` with the members of every object in sorted order (array-index keys first, in numeric order, as
 * an object built in sorted order enumerates them) and undefined members left out: the same text for the same
 * value, whatever the order it was written in.
 */
function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out += (i ? ',' : '') + (x === undefined ? 'null' : canonicalJson(x));
    }
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  let keys = Object.keys(o);
  if (keys.some(isIndex)) {
    const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
    keys = [...indexes, ...keys.filter((k) => !isIndex(k)).sort()];
  } else keys.sort();
  // Built by concatenation, without intermediate arrays: this runs on every create.
  let out = '';
  for (const k of keys) {
    const x = o[k];
    if (x !== undefined) out += (out ? ',' : '') + JSON.stringify(k) + ':' + canonicalJson(x);
  }
  return '{' + out + '}';
}

/** Same body → same hash, whatever the key order. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function badField(
  field: string,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
) {
  return new DomainError('validation.failed', `${field}: ${reason}`, details, [{ field, reason, message }]);
}

/** The suggested department (建议派遣部门); see `suggestionFor` for the rules and the basis it reports. */
export async function suggestDepartment(
  ex: Executor,
  category: { code: string; dispatchRule: DispatchRule; departmentHints: readonly string[] },
  loc: LocateResult,
): Promise<string | null> {
  return (await suggestionFor(ex, category, loc)).departmentId;
}
