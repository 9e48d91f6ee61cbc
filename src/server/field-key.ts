import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';

/**
 * The key that encrypts personal fields at rest: `ZHIZHI_FIELD_KEY` (32 bytes, base64) when set — required when
 * several server processes share one PostgreSQL — otherwise `field.key` in the data directory, created with mode
 * 0600 on first start.
 */
export function resolveFieldKey(config: Config): Buffer {
  if (config.ZHIZHI_FIELD_KEY) {
    const key = Buffer.from(config.ZHIZHI_FIELD_KEY, 'base64');
    if (key.length !== 32) throw new ConfigError(['ZHIZHI_FIELD_KEY: must be 32 bytes, base64-encoded']);
    return key;
  }
  const file = join(config.ZHIZHI_DATA_DIR, 'field.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError([`${file}: must hold 32 bytes, base64-encoded`]);
    return key;
  }
  mkdirSync(config.ZHIZHI_DATA_DIR, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
