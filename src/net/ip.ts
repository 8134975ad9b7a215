/**
 * Which addresses an image may be fetched from: public unicast only (DESIGN §5). ipaddr.js knows the special ranges;
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, SIIT, 6to4) are judged by that IPv4 address.
 */
import ipaddr from 'ipaddr.js';

export type AddressCheck =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; address: string; range: string; description: string };

const DESCRIPTIONS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'a broadcast address',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'a loopback address',
  carrierGradeNat: 'in the carrier-grade NAT (shared) range',
  private: 'private',
  uniqueLocal: 'private (unique local)',
  reserved: 'reserved',
  teredo: 'a Teredo tunnel address',
  benchmarking: 'reserved for benchmarking',
  deprecatedSiteLocal: 'site-local (deprecated)',
  discard: 'a discard-only address',
  invalid: 'not a valid IP address',
};

/** Human words for a range name: "the address 10.0.0.5 is private". */
export function describeRange(range: string): string {
  return DESCRIPTIONS[range] ?? `special-purpose (${range})`;
}

/** The IPv4 address an IPv6 address embeds, for the forms that route to it; null otherwise. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = v6.range();
  const b = v6.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    return new ipaddr.IPv4([b[12]!, b[13]!, b[14]!, b[15]!]);
  }
  if (range === '6to4') return new ipaddr.IPv4([b[2]!, b[3]!, b[4]!, b[5]!]);
  return null;
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
    return { ok: false, address, range: 'invalid', description: describeRange('invalid') };
  }
  const shown = parsed.toString();
  let judged: ipaddr.IPv4 | ipaddr.IPv6 = parsed;
  if (parsed.kind() === 'ipv6') {
    const v4 = embeddedIPv4(parsed as ipaddr.IPv6);
    if (v4) judged = v4;
  }
  const range = judged.range();
  if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback === true)) {
    return { ok: true, address: shown, family: parsed.kind() === 'ipv4' ? 4 : 6 };
  }
  return { ok: false, address: shown, range, description: describeRange(range) };
}

/** Is this string an IP literal (not a host name)? */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
}
