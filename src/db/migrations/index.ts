import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-spatial-layers.ts';
import * as m0003 from './0003-cases.ts';
import * as m0004 from './0004-case-escalation.ts';

/** Forward-only migrations, in order. Add new files here; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-spatial-layers': m0002,
  '0003-cases': m0003,
  '0004-case-escalation': m0004,
};
