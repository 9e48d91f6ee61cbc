import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PREPARE, prepareMarked } from './prepared.ts';

/** A stand-in for a pool client that records what reaches `query`. */
function recordingClient() {
  const calls: unknown[][] = [];
  const client = { query: (...args: unknown[]) => calls.push(args) } as unknown as pg.PoolClient;
  prepareMarked(client);
  return { client, calls };
}

describe('statements marked PREPARE', () => {
  it('go out named after their text; others, and marked text without values, as they came', () => {
    const { client, calls } = recordingClient();
    const a = `${PREPARE} SELECT $1::int`;
    const b = `${PREPARE} SELECT $1::text`;
    void client.query(a, [1]);
    void client.query(a, [2]);
    void client.query(b, ['x']);
    void client.query('SELECT 1', []);
    void client.query(`${PREPARE} SELECT 1`);
    const [first, second, third] = calls.map(
      (c) => c[0] as { name: string; text: string; values: unknown[] },
    );
    expect(first).toMatchObject({ text: a, values: [1] });
    expect(first!.name).toMatch(/^zz_[\w-]+$/);
    expect(second!.name).toBe(first!.name);
    expect(second!.values).toEqual([2]);
    expect(third!.name).not.toBe(first!.name);
    expect(calls[3]).toEqual(['SELECT 1', []]);
    expect(calls[4]).toEqual([`${PREPARE} SELECT 1`]);
  });
});
