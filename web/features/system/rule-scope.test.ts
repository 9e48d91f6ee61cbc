import { describe, expect, it } from 'vitest';
import { canWriteRule } from './rule-scope.ts';

const street = { systemWide: false, scope: { regionCode: '990102001000' } };
const department = { systemWide: false, scope: { regionCode: null } };
const district = { systemWide: true, scope: { regionCode: '990102000000' } };

describe('canWriteRule', () => {
  it('a street administrator writes rules inside the street only, never one for everywhere', () => {
    expect(canWriteRule(street, '990102001000')).toBe(true);
    expect(canWriteRule(street, '990102001002')).toBe(true);
    expect(canWriteRule(street, '990102002000')).toBe(false);
    expect(canWriteRule(street, '990102000000')).toBe(false);
    expect(canWriteRule(street, '')).toBe(false);
  });

  it('a department-only scope writes none; a scope covering the deployment writes all', () => {
    expect(canWriteRule(department, '990102001000')).toBe(false);
    expect(canWriteRule(district, '')).toBe(true);
    expect(canWriteRule(district, '990102002000')).toBe(true);
  });
});
