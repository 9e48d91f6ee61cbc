import { cidrContains, cidrWithin, parseCidr, type Cidr, type IpAddress } from './ip-address.ts';

/**
 * Where the server may open outbound connections (webhook receivers). Every address falls in one class:
 * - `public` — allowed;
 * - `private` — RFC 1918, shared/CGNAT 100.64/10, benchmarking 198.18/15, IPv6 unique-local fc00::/7 and the old
 *   site-local fec0::/10: allowed only when an allow-list block contains the address (intranet receivers are normal
 *   in 政务外网 deployments);
 * - `loopback`, `unspecified`, `link_local`, `metadata` (cloud instance metadata: 169.254.169.254, Alibaba Cloud's
 *   100.100.100.200, AWS's fd00:ec2::254), `multicast`, `reserved` — refused unless the allow-list names them
 *   explicitly: a block that contains the address AND lies wholly inside the class's own range (127.0.0.1/32 opens
 *   that loopback address; 0.0.0.0/0 opens no loopback, link-local or metadata address). Tests allow their local
 *   receiver that way; production should not.
 * IPv6 forms that reach an IPv4 host — IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16 — are
 * judged as that IPv4 address. Pure.
 */
export const addressClasses = [
  'public',
  'private',
  'loopback',
  'unspecified',
  'link_local',
  'metadata',
  'multicast',
  'reserved',
] as const;
export type AddressClass = (typeof addressClasses)[number];

interface Range {
  cidr: Cidr;
  cls: Exclude<AddressClass, 'public'>;
}

// Most specific first: the first range that contains an address classifies it.
const table: [string, Range['cls']][] = [
  ['0.0.0.0/32', 'unspecified'],
  ['0.0.0.0/8', 'reserved'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.169.254/32', 'metadata'],
  ['169.254.0.0/16', 'link_local'],
  ['100.100.100.200/32', 'metadata'],
  ['100.64.0.0/10', 'private'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['fd00:ec2::254/128', 'metadata'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
];
const ranges: Range[] = table.map(([text, cls]) => ({ cidr: parseCidr(text)!, cls }));

const mapped = parseCidr('::ffff:0:0/96')!;
const nat64 = parseCidr('64:ff9b::/96')!;
const sixToFour = parseCidr('2002::/16')!;

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), else the address itself. */
export function effectiveAddress(ip: IpAddress): IpAddress {
  if (ip.family === 6) {
    if (cidrContains(mapped, ip) || cidrContains(nat64, ip)) {
      return { family: 4, value: ip.value & 0xffffffffn };
    }
    if (cidrContains(sixToFour, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  }
  return ip;
}

function rangeOf(ip: IpAddress): Range | null {
  return ranges.find((r) => cidrContains(r.cidr, ip)) ?? null;
}

export function classifyAddress(ip: IpAddress): AddressClass {
  return rangeOf(effectiveAddress(ip))?.cls ?? 'public';
}

export type AddressDecision = { allowed: true; cls: AddressClass } | { allowed: false; cls: AddressClass };

/** Whether a connection to `ip` may be opened, given the allow-list (see the module comment). */
export function decideAddress(ip: IpAddress, allow: readonly Cidr[]): AddressDecision {
  const target = effectiveAddress(ip);
  const range = rangeOf(target);
  if (!range) return { allowed: true, cls: 'public' };
  const listed =
    range.cls === 'private'
      ? allow.some((c) => cidrContains(c, target))
      : allow.some((c) => cidrContains(c, target) && cidrWithin(c, range.cidr));
  return { allowed: listed, cls: range.cls };
}

/** Parses a comma-separated allow-list (`10.0.0.0/8, 192.168.10.5`); the entries that are not CIDRs. */
export function parseAllowList(text: string): { cidrs: Cidr[]; invalid: string[] } {
  const cidrs: Cidr[] = [];
  const invalid: string[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const c = parseCidr(entry);
    if (c) cidrs.push(c);
    else invalid.push(entry);
  }
  return { cidrs, invalid };
}
