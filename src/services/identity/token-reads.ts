import type { Kysely } from 'kysely';
import {
  apiTokenRepository,
  type TokenOwner,
  type TokenState,
} from '../../db/repositories/api-token.repository.ts';
import type { DB } from '../../db/schema.ts';

export type TokenRead = { token: TokenState; staff: TokenOwner } | undefined;

interface Waiting {
  resolve: (r: TokenRead) => void;
  reject: (e: unknown) => void;
}

/**
 * Reads tokens (with their owners) by hash. The reads asked for in one turn of the event loop are made together,
 * in one query, at the end of that turn: each read still starts after its request arrived — a token revoked or a
 * user disabled before then is seen as such — while a busy API pays one round trip for many requests.
 */
export function createTokenReader(db: Kysely<DB>): (hash: string) => Promise<TokenRead> {
  let waiting: Map<string, Waiting[]> | null = null;

  function flush(): void {
    const batch = waiting!;
    waiting = null;
    apiTokenRepository.findByHashesWithOwner(db, [...batch.keys()]).then(
      (found) => {
        for (const [hash, list] of batch) for (const w of list) w.resolve(found.get(hash));
      },
      (err: unknown) => {
        for (const list of batch.values()) for (const w of list) w.reject(err);
      },
    );
  }

  return (hash) =>
    new Promise<TokenRead>((resolve, reject) => {
      if (!waiting) {
        waiting = new Map();
        setImmediate(flush);
      }
      const list = waiting.get(hash);
      if (list) list.push({ resolve, reject });
      else waiting.set(hash, [{ resolve, reject }]);
    });
}
