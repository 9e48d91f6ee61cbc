import { timingSafeEqual } from 'node:crypto';
import type { IdSource } from '../../domain/shared/clock.ts';
import { sha256 } from '../identity/auth.service.ts';

/** Device tokens: `zzd_` + 256 random bits in hex. Only the SHA-256 is stored, and a prefix to find the row. */
const TOKEN = /^zzd_[0-9a-f]{64}$/;
const PREFIX_LENGTH = 12;

export interface IssuedToken {
  token: string;
  hash: string;
  prefix: string;
}

export function issueDeviceToken(ids: IdSource): IssuedToken {
  const token = `zzd_${ids.secret(32)}`;
  return { token, hash: sha256(token), prefix: token.slice(0, PREFIX_LENGTH) };
}

/** The prefix to look a presented token up by, or null when it cannot be a device token at all. */
export function tokenPrefixOf(token: string): string | null {
  return TOKEN.test(token) ? token.slice(0, PREFIX_LENGTH) : null;
}

/** Compares the presented token's hash with a stored one in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Device <token>` header, or null. */
export function deviceTokenOf(header: string | undefined): string | null {
  const m = /^Device\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}
