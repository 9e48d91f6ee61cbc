import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, decideAddress, parseAllowList } from './address-policy.ts';
import { formatIp, parseCidr, parseIp } from './ip-address.ts';

const ip = (text: string) => {
  const p = parseIp(text);
  if (!p) throw new Error(`not an address: ${text}`);
  return p;
};
const allow = (text: string) => parseAllowList(text).cidrs;
const decide = (address: string, list = '') => decideAddress(ip(address), allow(list));

describe('parseIp', () => {
  it('reads IPv4 and IPv6, with brackets and zones, and refuses near misses', () => {
    expect(formatIp(ip('10.1.2.3'))).toBe('10.1.2.3');
    expect(formatIp(ip('[::1]'))).toBe('0:0:0:0:0:0:0:1');
    expect(formatIp(ip('fe80::1%eth0'))).toBe('fe80:0:0:0:0:0:0:1');
    expect(formatIp(ip('::ffff:127.0.0.1'))).toBe('0:0:0:0:0:ffff:7f00:1');
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1::2::3',
      'g::1',
      ':::',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('agrees with node:net on what is an address (property)', () => {
    const v4 = fc.ipV4().map((s) => s);
    const v6 = fc.ipV6();
    fc.assert(
      fc.property(fc.oneof(v4, v6, fc.string({ maxLength: 20 })), (s) => {
        expect(parseIp(s) !== null).toBe(isIP(s) !== 0);
      }),
    );
  });
});

describe('classifyAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['febf::1', 'link_local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['1.2.3.4', 'public'],
    ['2400:3200::1', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(ip(address))).toBe(cls);
  });
});

describe('decideAddress', () => {
  it('refuses everything but public addresses by default', () => {
    for (const a of [
      '127.0.0.1',
      '::1',
      '0.0.0.0',
      '::',
      '169.254.169.254',
      '10.0.0.1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect(decide(a).allowed, a).toBe(false);
    }
    expect(decide('8.8.8.8')).toEqual({ allowed: true, cls: 'public' });
  });

  it('private ranges open with any allow-list block that contains them', () => {
    expect(decide('10.0.0.1', '10.0.0.0/8')).toEqual({ allowed: true, cls: 'private' });
    expect(decide('::ffff:10.0.0.1', '10.0.0.0/8').allowed).toBe(true);
    expect(decide('10.0.0.1', '192.168.0.0/16').allowed).toBe(false);
    expect(decide('10.0.0.1', '0.0.0.0/0').allowed).toBe(true);
  });

  it('loopback, metadata, link-local and unspecified open only when named explicitly', () => {
    expect(decide('127.0.0.1', '127.0.0.1/32').allowed).toBe(true);
    expect(decide('127.0.0.2', '127.0.0.1/32').allowed).toBe(false);
    expect(decide('::ffff:127.0.0.1', '127.0.0.1').allowed).toBe(true);
    expect(decide('127.0.0.1', '0.0.0.0/0').allowed).toBe(false);
    expect(decide('::1', '::/0').allowed).toBe(false);
    expect(decide('::1', '::1/128').allowed).toBe(true);
    expect(decide('169.254.169.254', '169.254.0.0/16').allowed).toBe(false); // metadata is its own range
    expect(decide('169.254.169.254', '0.0.0.0/0,10.0.0.0/8').allowed).toBe(false);
    expect(decide('100.100.100.200', '100.64.0.0/10').allowed).toBe(false);
    expect(decide('0.0.0.0', '0.0.0.0/8').allowed).toBe(false);
  });

  it('a block that does not contain a loopback address never opens it (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 7 }), (a, prefix) => {
        // Blocks of /7 or wider are never inside 127/8, so they never open a loopback address.
        const c = parseCidr(`${a}/${prefix}`)!;
        expect(decideAddress(ip('127.0.0.1'), [c]).allowed).toBe(false);
        expect(decideAddress(ip('169.254.169.254'), [c]).allowed).toBe(false);
      }),
    );
  });

  it('with an empty allow-list only public addresses pass (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (a) => {
        const d = decideAddress(ip(a), []);
        expect(d.allowed).toBe(d.cls === 'public');
      }),
    );
  });
});

describe('parseAllowList', () => {
  it('reads a comma-separated list and reports what is not a CIDR', () => {
    const r = parseAllowList(' 10.0.0.0/8, 192.168.1.5 ,fd00::/8,,bad, 10.0.0.0/33');
    expect(r.cidrs.map((c) => c.prefix)).toEqual([8, 32, 8]);
    expect(r.invalid).toEqual(['bad', '10.0.0.0/33']);
  });
});
