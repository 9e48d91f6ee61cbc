import { describe, expect, it } from 'vitest';
import {
  childLevelOf,
  codePrefix,
  gridCode,
  isGridCode,
  isRegionCode,
  levelOfCode,
  parentCodeOf,
} from './region-code.ts';

describe('region codes', () => {
  it('knows the level of each well-formed code', () => {
    expect(levelOfCode('990000000000')).toBe('province');
    expect(levelOfCode('990100000000')).toBe('city');
    expect(levelOfCode('990102000000')).toBe('district');
    expect(levelOfCode('990102001000')).toBe('street');
    expect(levelOfCode('990102001001')).toBe('community');
  });

  it('rejects malformed codes and codes with a zero segment above a non-zero one', () => {
    for (const bad of ['12345', '99010200100', '9901020010011', '99010200100a', '', ' 990102001001']) {
      expect(isRegionCode(bad), bad).toBe(false);
      expect(levelOfCode(bad), bad).toBeNull();
    }
    expect(levelOfCode('000000000000')).toBeNull(); // no province
    expect(levelOfCode('990102000001')).toBeNull(); // community under street 000
    expect(levelOfCode('990100001000')).toBeNull(); // street under county 00
    expect(levelOfCode('990002000000')).toBeNull(); // county under city 00
  });

  it('derives the parent one level up', () => {
    expect(parentCodeOf('990102001001')).toBe('990102001000');
    expect(parentCodeOf('990102001000')).toBe('990102000000');
    expect(parentCodeOf('990102000000')).toBe('990100000000');
    expect(parentCodeOf('990100000000')).toBe('990000000000');
    expect(parentCodeOf('990000000000')).toBeNull();
    expect(parentCodeOf('990102000001')).toBeNull();
    expect(parentCodeOf('12345')).toBeNull();
  });

  it('gives the shared prefix of a subtree and the level below', () => {
    expect(codePrefix('990102001000', 'street')).toBe('990102001');
    expect(codePrefix('990102000000', 'district')).toBe('990102');
    expect(codePrefix('990000000000', 'province')).toBe('99');
    expect(childLevelOf('district')).toBe('street');
    expect(childLevelOf('community')).toBeNull();
  });

  it('builds 15-digit grid codes from a community and a sequence 1–999', () => {
    expect(gridCode('990102001001', 1)).toBe('990102001001001');
    expect(gridCode('990102001001', 999)).toBe('990102001001999');
    expect(() => gridCode('990102001001', 0)).toThrow(RangeError);
    expect(() => gridCode('990102001001', 1000)).toThrow(RangeError);
    expect(() => gridCode('990102001001', 1.5)).toThrow(RangeError);
    expect(() => gridCode('990102001000', 1)).toThrow(RangeError); // a street, not a community
    expect(() => gridCode('12345', 1)).toThrow(RangeError);
  });

  it('recognises grid codes: 15 digits under a community, sequence not 000', () => {
    expect(isGridCode('990102001001001')).toBe(true);
    expect(isGridCode('990102001001999')).toBe(true);
    expect(isGridCode('990102001001000')).toBe(false); // sequence 000
    expect(isGridCode('990102001000001')).toBe(false); // under a street
    expect(isGridCode('990102000001001')).toBe(false); // community under street 000
    expect(isGridCode('99010200100101')).toBe(false); // legacy 14-digit variant is not a 15-digit grid code
    expect(isGridCode('9901020010010011')).toBe(false); // 16 digits
    expect(isGridCode('99010200100100a')).toBe(false);
    expect(isGridCode('990102001001')).toBe(false); // a community code
  });
});
