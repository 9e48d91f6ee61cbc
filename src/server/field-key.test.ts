import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { resolveFieldKey } from './field-key.ts';

describe('resolveFieldKey', () => {
  it('creates a private key file on first start and reads the same key afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhizhi-key-'));
    const config = loadConfig({ ZHIZHI_DATA_DIR: dir });
    const first = resolveFieldKey(config);
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, 'field.key')).mode & 0o777).toBe(0o600);
    expect(resolveFieldKey(config).equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(join(dir, 'field.key'), 'utf8').trim(), 'base64').equals(first)).toBe(
      true,
    );
  });

  it('prefers ZHIZHI_FIELD_KEY and refuses a key of the wrong length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhizhi-key-'));
    const key = Buffer.alloc(32, 9);
    const config = loadConfig({ ZHIZHI_DATA_DIR: dir, ZHIZHI_FIELD_KEY: key.toString('base64') });
    expect(resolveFieldKey(config).equals(key)).toBe(true);
    const bad = loadConfig({ ZHIZHI_DATA_DIR: dir, ZHIZHI_FIELD_KEY: Buffer.alloc(16).toString('base64') });
    expect(() => resolveFieldKey(bad)).toThrow(/32 bytes/);
  });
});
