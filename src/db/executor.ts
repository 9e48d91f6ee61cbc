import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

/** Either the database or an open transaction: every repository method takes one, so services own transactions. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export function offsetOf(p: PageRequest): number {
  return (p.page - 1) * p.pageSize;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Escapes LIKE wildcards so that user text matches literally. */
export function likeContains(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern for values that start with `text`, taken literally. */
export function likeStartsWith(text: string): string {
  return `${escapeLike(text)}%`;
}
