/**
 * The address policy against the IANA special-purpose registries (IPv4 and IPv6): every range that is not globally
 * reachable, with one address inside (refused) and one just outside (allowed), plus every IPv6 form that embeds an
 * IPv4 address, judged by that address or refused.
 */
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/net/ip.js';

/** [range, an address inside, the address just outside (globally reachable)]. */
const IPV4_REGISTRY: ReadonlyArray<[string, string, string]> = [
  ['0.0.0.0/8 this network', '0.255.255.255', '1.0.0.0'],
  ['10.0.0.0/8 private', '10.255.255.255', '11.0.0.0'],
  ['100.64.0.0/10 shared (CGNAT)', '100.127.255.255', '100.128.0.0'],
  ['100.64.0.0/10 shared (CGNAT), low end', '100.64.0.0', '100.63.255.255'],
  ['127.0.0.0/8 loopback', '127.0.0.1', '128.0.0.0'],
  ['169.254.0.0/16 link local', '169.254.169.254', '169.255.0.0'],
  ['172.16.0.0/12 private', '172.31.255.255', '172.32.0.0'],
  ['172.16.0.0/12 private, low end', '172.16.0.0', '172.15.255.255'],
  ['192.0.0.0/24 IETF protocol assignments', '192.0.0.8', '192.0.1.0'],
  ['192.0.0.0/29 DS-Lite', '192.0.0.1', '191.255.255.255'],
  ['192.0.0.170/32 NAT64 discovery', '192.0.0.170', '192.0.1.1'],
  ['192.0.2.0/24 TEST-NET-1', '192.0.2.1', '192.0.3.0'],
  ['192.88.99.0/24 6to4 relay anycast (deprecated)', '192.88.99.1', '192.88.100.0'],
  ['192.168.0.0/16 private', '192.168.1.1', '192.169.0.0'],
  ['198.18.0.0/15 benchmarking', '198.19.255.255', '198.20.0.0'],
  ['198.18.0.0/15 benchmarking, low end', '198.18.0.0', '198.17.255.255'],
  ['198.51.100.0/24 TEST-NET-2', '198.51.100.7', '198.51.101.0'],
  ['203.0.113.0/24 TEST-NET-3', '203.0.113.7', '203.0.114.0'],
  ['224.0.0.0/4 multicast', '224.0.0.1', '223.255.255.255'],
  ['240.0.0.0/4 reserved', '240.0.0.1', '223.255.255.254'],
  ['255.255.255.255/32 limited broadcast', '255.255.255.255', '223.255.255.253'],
];

const IPV6_REGISTRY: ReadonlyArray<[string, string, string]> = [
  ['::1/128 loopback', '::1', '2000::1'],
  ['::/128 unspecified', '::', '2000::'],
  ['::/96 IPv4-compatible (deprecated)', '::7f00:1', '2000::7f00:1'],
  ['::ffff:0:0/96 IPv4-mapped', '::ffff:127.0.0.1', '::ffff:8.8.8.8'],
  ['::ffff:0:0:0/96 IPv4-translated', '::ffff:0:a00:1', '::ffff:0:808:808'],
  ['64:ff9b::/96 NAT64 (judged by the IPv4 address)', '64:ff9b::a9fe:a9fe', '64:ff9b::808:808'],
  ['64:ff9b:1::/48 local-use NAT64', '64:ff9b:1::808:808', '64:ff9b::101:101'],
  ['100::/64 discard-only', '100::1', '2001:4860::1'],
  ['100:0:0:1::/64 dummy prefix', '100:0:0:1::1', '2001:4860::2'],
  ['2001::/23 IETF protocol assignments', '2001:1ff::1', '2001:200::1'],
  ['2001::/32 Teredo', '2001::1', '2001:200::2'],
  ['2001:2::/48 benchmarking', '2001:2::1', '2001:200::3'],
  ['2001:10::/28 ORCHID (deprecated)', '2001:10::1', '2001:200::4'],
  ['2001:db8::/32 documentation', '2001:db8::1', '2001:db9::1'],
  ['2002::/16 6to4 (judged by the IPv4 address)', '2002:a00:1::1', '2002:808:808::1'],
  ['3fff::/20 documentation', '3fff:fff::1', '3fff:1000::1'],
  ['5f00::/16 segment routing', '5f00::1', '2600::1'],
  ['fc00::/7 unique local', 'fd12:3456::1', '2606:4700::1111'],
  ['fe80::/10 link local', 'fe80::1', '2a00:1450::1'],
  ['fec0::/10 site local (deprecated)', 'fec0::1', '2a00:1450::2'],
  ['ff00::/8 multicast', 'ff02::1', '2a00:1450::3'],
];

describe('checkAddress against the IANA special-purpose registries', () => {
  it.each([...IPV4_REGISTRY, ...IPV6_REGISTRY])('given %s then %s inside is refused and %s just outside is allowed', (_range, inside, outside) => {
    expect(checkAddress(inside).ok).toBe(false);
    expect(checkAddress(outside).ok).toBe(true);
  });

  it.each([
    // The shapes the black-box review found: the URL parser writes [::127.0.0.1] as [::7f00:1].
    ['::7f00:1', 'an IPv4-compatible address (deprecated)'],
    ['::a9fe:a9fe', 'an IPv4-compatible address (deprecated)'],
    ['::a00:1', 'an IPv4-compatible address (deprecated)'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:0:7f00:1', 'a loopback address'],
    ['64:ff9b::7f00:1', 'a loopback address'],
    ['64:ff9b::a00:5', 'private'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:7f00:1::', 'a loopback address'],
    ['64:ff9b:1::7f00:1', 'in the local-use IPv4/IPv6 translation range'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a Teredo tunnel address'],
    ['10.0.0.5', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['fd12:3456::1', 'private (unique local)'],
    ['4000::1', 'not a global unicast address'],
    ['not-an-ip', 'not a valid IP address'],
  ])('given %s then the refusal says it is %s', (address, description) => {
    const r = checkAddress(address);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.description).toBe(description);
  });

  it.each(['8.8.8.8', '1.1.1.1', '162.159.128.233', '192.31.196.1', '192.52.193.1', '192.175.48.1', '2606:4700::1111', '2620:4f:8000::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'given the globally reachable %s then it is allowed',
    (a) => {
      expect(checkAddress(a).ok).toBe(true);
    },
  );

  it('given loopback and the test-only option, then loopback alone is let through', () => {
    expect(checkAddress('127.0.0.1', { allowLoopback: true }).ok).toBe(true);
    expect(checkAddress('::1', { allowLoopback: true }).ok).toBe(true);
    expect(checkAddress('::ffff:127.0.0.1', { allowLoopback: true }).ok).toBe(true);
    expect(checkAddress('10.0.0.5', { allowLoopback: true }).ok).toBe(false);
    expect(checkAddress('169.254.169.254', { allowLoopback: true }).ok).toBe(false);
    expect(checkAddress('::7f00:1', { allowLoopback: true }).ok).toBe(false);
  });
});
