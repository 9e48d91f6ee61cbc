import { describe, expect, it } from 'vitest';
import { createFieldCipher, testFieldKey } from './field-cipher.ts';

describe('field cipher', () => {
  const cipher = createFieldCipher(testFieldKey());

  it('round-trips text and never stores the plain value', () => {
    const stored = cipher.encrypt('13800138000')!;
    expect(stored.startsWith('enc:v1:')).toBe(true);
    expect(stored).not.toContain('13800138000');
    expect(cipher.decrypt(stored)).toBe('13800138000');
    expect(cipher.encrypt('13800138000')).not.toBe(stored);
    expect(cipher.decrypt(cipher.encrypt('张三'))).toBe('张三');
  });

  it('gives every value its own IV, across refills of the IV pool', () => {
    const ivs = Array.from({ length: 1500 }, () => cipher.encrypt('x')!.split(':')[2]);
    expect(new Set(ivs).size).toBe(1500);
    expect(ivs.every((iv) => Buffer.from(iv!, 'base64url').length === 12)).toBe(true);
  });

  it('passes null through and reads values stored before encryption', () => {
    expect(cipher.encrypt(null)).toBeNull();
    expect(cipher.decrypt(null)).toBeNull();
    expect(cipher.decrypt('13800138000')).toBe('13800138000');
  });

  it('refuses a tampered value or the wrong key', () => {
    const stored = cipher.encrypt('13800138000')!;
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'B' : 'A') + stored.slice(-1);
    expect(() => cipher.decrypt(tampered)).toThrow();
    const other = createFieldCipher(Buffer.alloc(32, 7));
    expect(() => other.decrypt(stored)).toThrow();
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow();
  });
});
