import argon2 from 'argon2';
import { DomainError } from '../../domain/shared/domain-error.ts';

/** argon2id with OWASP-recommended parameters (19 MiB, 2 passes). */
const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, options);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal valid usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-zhizhi');
  return dummyHash;
}

/** At least 10 characters with letters and digits; the policy is deliberately simple and stated in the docs. */
export function assertPasswordPolicy(plain: string, field = 'password'): void {
  const ok = plain.length >= 10 && plain.length <= 128 && /[A-Za-z]/.test(plain) && /\d/.test(plain);
  if (!ok) {
    throw new DomainError('validation.failed', 'weak password', {}, [
      { field, reason: 'weak_password', message: 'password.weak' },
    ]);
  }
}
