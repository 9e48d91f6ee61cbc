import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';

/**
 * Encryption at rest for personal fields (a reporter's name and phone): AES-256-GCM with a random 96-bit IV per
 * value, stored as `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). Values written before encryption was enabled
 * (no prefix) are read as they are, so an existing database keeps working and is encrypted as rows are rewritten.
 */
export interface FieldCipher {
  encrypt(plain: string | null | undefined): string | null;
  decrypt(stored: string | null | undefined): string | null;
}

const prefix = 'enc:v1:';
const IV_BYTES = 12;

/**
 * Random IVs taken from a pool refilled by one call to the CSPRNG per 512 values: the same randomness as a call per
 * value, without the cost of a call per value on the intake path. Each IV is copied out, never reused.
 */
function ivSource(): () => Buffer {
  const pool = Buffer.alloc(IV_BYTES * 512);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const iv = Buffer.from(pool.subarray(offset, offset + IV_BYTES));
    offset += IV_BYTES;
    return iv;
  };
}

export function createFieldCipher(key: Buffer): FieldCipher {
  if (key.length !== 32) throw new Error('the field key must be 32 bytes');
  const nextIv = ivSource();
  return {
    encrypt(plain) {
      if (plain == null) return null;
      const iv = nextIv();
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `${prefix}${iv.toString('base64url')}:${c.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
    },
    decrypt(stored) {
      if (stored == null) return null;
      if (!stored.startsWith(prefix)) return stored;
      const [iv, tag, body] = stored.slice(prefix.length).split(':');
      if (!iv || !tag || body === undefined) throw new Error('malformed encrypted field');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    },
  };
}

/** A fixed key for tests and tools that must be deterministic; never used by a running server. */
export function testFieldKey(): Buffer {
  return createHash('sha256').update('zhizhi-test-field-key').digest();
}
