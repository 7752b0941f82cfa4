import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIpv4 } from './ip-address';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
  ])('IPv4 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['2130706433', 'loopback'], // decimal 127.0.0.1
    ['0177.0.0.1', 'loopback'], // octal
    ['0x7f.0.0.1', 'loopback'], // hex
    ['0x7f000001', 'loopback'],
    ['127.1', 'loopback'], // short form
    ['017700000001', 'loopback'],
    ['2852039166', 'metadata'], // decimal 169.254.169.254
    ['0251.0376.0251.0376', 'metadata'],
    ['0xa9fea9fe', 'metadata'],
    ['167772161', 'private'], // 10.0.0.1
    ['0', 'unspecified'],
  ])('IPv4 written as %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'metadata'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
  ])('IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
  ])('IPv4 inside IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['example.com', 'localhost', '1.2.3.4.5', '256.1.1.1', '08.1.1.1', '', 'fe80::g'])(
    '%s is no address literal (null: resolve it first)',
    (text) => {
      expect(classifyAddress(text)).toBeNull();
    },
  );

  it('reads inet_aton forms the way the URL parser does', () => {
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001']) {
      expect(new URL(`http://${host}/`).hostname).toBe('127.0.0.1');
      expect(parseIpv4(host)).toBe(0x7f000001);
    }
  });
});
