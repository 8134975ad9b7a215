/**
 * Which addresses an image may be fetched from: globally reachable unicast only (DESIGN §5).
 *
 * The rule is a table of our own, written from the IANA IPv4 and IPv6 special-purpose address registries, not
 * ipaddr.js's `range()` names: that function calls anything it has no name for "unicast", so `[::127.0.0.1]`
 * (which the URL parser writes as `[::7f00:1]`) passed as a public address. IPv6 is therefore judged by an
 * allow-list: only the global unicast block 2000::/3 can pass, minus its special-purpose ranges. IPv6 forms that
 * carry an IPv4 address (IPv4-mapped, IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4
 * address; the other embedding forms (IPv4-compatible ::/96, local-use NAT64 64:ff9b:1::/48, Teredo) are refused.
 */
import ipaddr from 'ipaddr.js';

export type AddressCheck =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; address: string; range: string; description: string };

interface Range {
  cidr: [ipaddr.IPv4 | ipaddr.IPv6, number];
  name: string;
  description: string;
}

const range = (cidr: string, name: string, description: string): Range => ({ cidr: ipaddr.parseCIDR(cidr), name, description });

/** IPv4 ranges that are not globally reachable (first match wins, so the narrower entries come first). */
const IPV4_REFUSED: readonly Range[] = [
  range('0.0.0.0/32', 'unspecified', 'unspecified'),
  range('0.0.0.0/8', 'thisNetwork', 'in the "this network" range (0.0.0.0/8)'),
  range('10.0.0.0/8', 'private', 'private'),
  range('100.64.0.0/10', 'carrierGradeNat', 'in the carrier-grade NAT (shared) range'),
  range('127.0.0.0/8', 'loopback', 'a loopback address'),
  range('169.254.0.0/16', 'linkLocal', 'link-local'),
  range('172.16.0.0/12', 'private', 'private'),
  // Includes the few anycast service addresses of this block (192.0.0.9, .10): no image is served from them.
  range('192.0.0.0/24', 'ietfProtocol', 'reserved for IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation', 'reserved for documentation'),
  range('192.88.99.0/24', 'deprecated6to4Relay', 'the deprecated 6to4 relay anycast range'),
  range('192.168.0.0/16', 'private', 'private'),
  range('198.18.0.0/15', 'benchmarking', 'reserved for benchmarking'),
  range('198.51.100.0/24', 'documentation', 'reserved for documentation'),
  range('203.0.113.0/24', 'documentation', 'reserved for documentation'),
  range('224.0.0.0/4', 'multicast', 'multicast'),
  range('255.255.255.255/32', 'broadcast', 'a broadcast address'),
  range('240.0.0.0/4', 'reserved', 'reserved'),
];

/** Inside 2000::/3, the ranges that are not globally reachable (or are judged by the IPv4 address they carry). */
const IPV6_GLOBAL_EXCEPTIONS: readonly Range[] = [
  range('2001::/32', 'teredo', 'a Teredo tunnel address'),
  range('2001::/23', 'ietfProtocol', 'reserved for IETF protocol assignments'),
  range('2001:db8::/32', 'documentation', 'reserved for documentation'),
  range('3fff::/20', 'documentation', 'reserved for documentation'),
];

/** Outside 2000::/3 everything is refused; these give the refusal a precise name. */
const IPV6_NAMED: readonly Range[] = [
  range('::/128', 'unspecified', 'unspecified'),
  range('::1/128', 'loopback', 'a loopback address'),
  range('::/96', 'ipv4Compatible', 'an IPv4-compatible address (deprecated)'),
  range('64:ff9b:1::/48', 'localNat64', 'in the local-use IPv4/IPv6 translation range'),
  range('100::/64', 'discard', 'a discard-only address'),
  range('5f00::/16', 'segmentRouting', 'a segment routing identifier'),
  range('fc00::/7', 'uniqueLocal', 'private (unique local)'),
  range('fe80::/10', 'linkLocal', 'link-local'),
  range('fec0::/10', 'siteLocal', 'site-local (deprecated)'),
  range('ff00::/8', 'multicast', 'multicast'),
];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NOT_GLOBAL_V6 = { name: 'notGlobal', description: 'not a global unicast address' };

/** Forms that carry an IPv4 address the packets really go to: [prefix, byte offset of the IPv4 address]. */
const EMBEDDING: ReadonlyArray<[[ipaddr.IPv6, number], number]> = [
  [ipaddr.parseCIDR('::ffff:0:0/96') as [ipaddr.IPv6, number], 12], // IPv4-mapped
  [ipaddr.parseCIDR('::ffff:0:0:0/96') as [ipaddr.IPv6, number], 12], // IPv4-translated (SIIT)
  [ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number], 12], // NAT64 well-known prefix
  [ipaddr.parseCIDR('2002::/16') as [ipaddr.IPv6, number], 2], // 6to4
];

function firstMatch(address: ipaddr.IPv4 | ipaddr.IPv6, table: readonly Range[]): Range | undefined {
  return table.find((r) => address.kind() === r.cidr[0].kind() && address.match(r.cidr));
}

/** The IPv4 address an IPv6 address embeds, for the forms that route to it; null otherwise. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const b = v6.toByteArray();
  for (const [prefix, at] of EMBEDDING) {
    if (v6.match(prefix)) return new ipaddr.IPv4(b.slice(at, at + 4));
  }
  return null;
}

/** Why an address is refused (name and words), or null when it is globally reachable unicast. */
function refusal(address: ipaddr.IPv4 | ipaddr.IPv6): { name: string; description: string } | null {
  if (address.kind() === 'ipv4') return firstMatch(address, IPV4_REFUSED) ?? null;
  const v6 = address as ipaddr.IPv6;
  if (!v6.match(GLOBAL_UNICAST_V6)) return firstMatch(v6, IPV6_NAMED) ?? NOT_GLOBAL_V6;
  return firstMatch(v6, IPV6_GLOBAL_EXCEPTIONS) ?? null;
}

export interface AddressPolicy {
  /** Tests only: let loopback addresses (127.0.0.0/8, ::1, and their mapped forms) through. */
  allowLoopback?: boolean;
}

/** Check one resolved address (or an IP literal from a URL, brackets removed). */
export function checkAddress(address: string, policy: AddressPolicy = {}): AddressCheck {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return { ok: false, address, range: 'invalid', description: 'not a valid IP address' };
  }
  const shown = parsed.toString();
  const judged = parsed.kind() === 'ipv6' ? (embeddedIPv4(parsed as ipaddr.IPv6) ?? parsed) : parsed;
  const refused = refusal(judged);
  if (!refused || (refused.name === 'loopback' && policy.allowLoopback === true)) {
    return { ok: true, address: shown, family: parsed.kind() === 'ipv4' ? 4 : 6 };
  }
  return { ok: false, address: shown, range: refused.name, description: refused.description };
}

/** Is this string an IP literal (not a host name)? */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
}
