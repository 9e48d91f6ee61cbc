import { lookup } from 'node:dns/promises';
import { decideAddress, parseAllowList, type AddressClass } from '../../domain/net/address-policy.ts';
import { parseIp, type Cidr } from '../../domain/net/ip-address.ts';

/** Name resolution: every address of a host name (A and AAAA). Injected in tests. */
export type Resolver = (host: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** Where a connection may go: the one checked address it must be pinned to. */
export interface CheckedTarget {
  ok: true;
  host: string;
  address: string;
  family: 4 | 6;
}

export type OutboundRefusal =
  { ok: false; reason: 'address_refused'; cls: AddressClass } | { ok: false; reason: 'unresolvable' };

/** Short reason for logs and API errors: `address_refused:loopback`, `unresolvable`. */
export const refusalText = (r: OutboundRefusal) =>
  r.reason === 'address_refused' ? `address_refused:${r.cls}` : r.reason;

/**
 * The outbound address check (policy: src/domain/net/address-policy.ts). A URL's host is resolved to ALL its
 * addresses and refused if ANY is refused — a name cannot smuggle a loopback address in beside a public one. The
 * caller then connects to the returned address only (see webhook-transport.ts), so the name cannot resolve
 * differently between the check and the connection (DNS rebinding). `allowCidrs` is OUTBOUND_ALLOW_CIDRS.
 */
export function createOutboundGuard(deps: { allowCidrs?: string; resolve?: Resolver }) {
  const { cidrs, invalid } = parseAllowList(deps.allowCidrs ?? '');
  if (invalid.length > 0) throw new Error(`OUTBOUND_ALLOW_CIDRS: not a CIDR: ${invalid.join(', ')}`);
  const allow: readonly Cidr[] = cidrs;
  const resolve = deps.resolve ?? systemResolver;

  async function check(url: URL): Promise<CheckedTarget | OutboundRefusal> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = parseIp(host);
    let found: readonly { address: string; family: number }[];
    if (literal) {
      found = [{ address: host, family: literal.family }];
    } else {
      try {
        found = await resolve(host);
      } catch {
        return { ok: false, reason: 'unresolvable' };
      }
    }
    let first: CheckedTarget | null = null;
    for (const f of found) {
      const ip = parseIp(f.address);
      if (!ip) return { ok: false, reason: 'unresolvable' };
      const d = decideAddress(ip, allow);
      if (!d.allowed) return { ok: false, reason: 'address_refused', cls: d.cls };
      first ??= { ok: true, host, address: f.address, family: ip.family };
    }
    return first ?? { ok: false, reason: 'unresolvable' };
  }

  return { check };
}

export type OutboundGuard = ReturnType<typeof createOutboundGuard>;
