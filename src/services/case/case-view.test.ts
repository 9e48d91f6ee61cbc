import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lightOfRow, maskName, maskPhone } from './case-view.ts';
import { requestHash } from './case-create.ts';

describe('case view helpers', () => {
  it('masks mobile numbers as 138****5678 and names to the first character', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone(maskPhone('13812345678'))).toBe('138****5678'); // masking twice changes nothing
    expect(maskName(maskName('欧阳娜娜'))).toBe('欧***');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
  });

  it('light: green up to the 80 % mark, yellow up to the deadline, red after; none without a clock', () => {
    const row = {
      stage: 'handle',
      stage_warn_at: new Date('2026-11-22T08:00:00Z'),
      stage_deadline: new Date('2026-11-22T10:00:00Z'),
    };
    expect(lightOfRow(row, new Date('2026-11-22T08:00:00Z'))).toBe('green');
    expect(lightOfRow(row, new Date('2026-11-22T08:00:01Z'))).toBe('yellow');
    expect(lightOfRow(row, new Date('2026-11-22T10:00:00Z'))).toBe('yellow');
    expect(lightOfRow(row, new Date('2026-11-22T10:00:01Z'))).toBe('red');
    expect(lightOfRow({ ...row, stage: null }, new Date())).toBeNull();
  });

  it('request hashes ignore key order and undefined fields', () => {
    expect(requestHash({ a: 1, b: { c: 2, d: undefined } })).toBe(requestHash({ b: { c: 2 }, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('request hashes are those stored keys were made with (sorted, undefined-free JSON)', () => {
    // The definition idempotency keys already stored were hashed under: a retry must still match.
    const canon = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(canon)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v as Record<string, unknown>)
                .filter(([, x]) => x !== undefined)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [k, canon(x)]),
            )
          : v;
    const reference = (v: unknown) =>
      createHash('sha256')
        .update(JSON.stringify(canon(v)))
        .digest('hex');
    const member = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(member, fc.array(member), fc.dictionary(fc.string(), member))),
        (v) => {
          expect(requestHash(v)).toBe(reference(v));
        },
      ),
      { numRuns: 300 },
    );
  });
});
