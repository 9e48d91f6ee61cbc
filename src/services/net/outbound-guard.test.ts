import { describe, expect, it } from 'vitest';
import { createOutboundGuard } from './outbound-guard.ts';

const check = (url: string, allowCidrs = '', answers: Record<string, string[]> = {}) =>
  createOutboundGuard({
    allowCidrs,
    resolve: async (host) => {
      const found = answers[host];
      if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  }).check(new URL(url));

describe('outbound guard', () => {
  it('refuses local and metadata targets and, by default, private ones', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://0.0.0.0/',
      'http://169.254.169.254/',
      'http://10.0.0.1/',
    ]) {
      expect((await check(url)).ok, url).toBe(false);
    }
    expect(await check('http://169.254.169.254/')).toEqual({
      ok: false,
      reason: 'address_refused',
      cls: 'metadata',
    });
  });

  it('allows a private target inside the allow-list', async () => {
    expect(await check('http://10.0.0.1:8080/x', '10.0.0.0/8')).toEqual({
      ok: true,
      host: '10.0.0.1',
      address: '10.0.0.1',
      family: 4,
    });
  });

  it('resolves names and refuses when ANY address is refused', async () => {
    const answers = { 'gw.example': ['8.8.8.8'], 'both.example': ['8.8.8.8', '::1'] };
    expect(await check('https://gw.example/hook', '', answers)).toMatchObject({
      ok: true,
      address: '8.8.8.8',
    });
    expect(await check('https://both.example/hook', '', answers)).toMatchObject({
      ok: false,
      cls: 'loopback',
    });
    expect(await check('https://nowhere.example/', '', answers)).toEqual({
      ok: false,
      reason: 'unresolvable',
    });
  });

  it('localhost, resolved by the system, is loopback', async () => {
    expect(await createOutboundGuard({}).check(new URL('http://localhost:3000/'))).toMatchObject({
      ok: false,
      cls: 'loopback',
    });
  });

  it('refuses an allow-list that is not CIDRs', () => {
    expect(() => createOutboundGuard({ allowCidrs: '10.0.0.0/8,intranet' })).toThrow(/intranet/);
  });
});
