import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/net/ip.js';

describe('checkAddress', () => {
  it.each([
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'in the carrier-grade NAT (shared) range'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'a broadcast address'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'a loopback address'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private (unique local)'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['64:ff9b::a00:5', 'private'],
    ['2002:a00:5::1', 'private'],
    ['2001::1', 'a Teredo tunnel address'],
    ['2001:db8::1', 'reserved'],
    ['not-an-ip', 'not a valid IP address'],
  ])('given %s, then it is refused as %s', (address, description) => {
    const r = checkAddress(address);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.description).toBe(description);
  });

  it.each(['8.8.8.8', '1.1.1.1', '162.159.128.233', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('given public %s, then it is allowed', (a) => {
    expect(checkAddress(a).ok).toBe(true);
  });

  it('given loopback and the test-only option, then loopback alone is let through', () => {
    expect(checkAddress('127.0.0.1', { allowLoopback: true }).ok).toBe(true);
    expect(checkAddress('::1', { allowLoopback: true }).ok).toBe(true);
    expect(checkAddress('10.0.0.5', { allowLoopback: true }).ok).toBe(false);
    expect(checkAddress('169.254.169.254', { allowLoopback: true }).ok).toBe(false);
  });
});
