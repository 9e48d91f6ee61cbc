import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-spatial-layers.ts';
import * as m0003 from './0003-cases.ts';
import * as m0004 from './0004-case-escalation.ts';
import * as m0005 from './0005-attachments.ts';
import * as m0006 from './0006-notifications.ts';
import * as m0008 from './0008-devices.ts';
import * as m0010 from './0010-calendar-source.ts';
import * as m0012 from './0012-intake-version.ts';
import * as m0013 from './0013-import-jobs.ts';
import * as m0014 from './0014-rate-limits.ts';
import * as m0015 from './0015-webhook-scope.ts';

/** Forward-only migrations, in order. Add new files here; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-spatial-layers': m0002,
  '0003-cases': m0003,
  '0004-case-escalation': m0004,
  '0005-attachments': m0005,
  '0006-notifications': m0006,
  '0008-devices': m0008,
  '0010-calendar-source': m0010,
  '0012-intake-version': m0012,
  '0013-import-jobs': m0013,
  '0014-rate-limits': m0014,
  '0015-webhook-scope': m0015,
};
