import { randomBytes, randomUUID } from 'node:crypto';
import type { IdSource } from '../domain/shared/clock.ts';

export const cryptoIds: IdSource = {
  uuid: () => randomUUID(),
  secret: (bytes = 32) => randomBytes(bytes).toString('hex'),
};
