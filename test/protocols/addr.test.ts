import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BROADCAST_MAC,
  formatCidr,
  formatIpv4,
  formatMac,
  inSubnet,
  isMulticastMac,
  parseCidr,
  parseIpv4,
  parseMac,
  prefixToMask,
  readMac,
  writeMac,
} from '../../src/protocols/addr';
import { ipv4Addr, macAddr } from './arbitraries';

describe('IPv4 addresses', () => {
  it('parses and formats dotted quads', () => {
    expect(parseIpv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('192.168.0.199')).toBe(0xc0a800c7);
    expect(formatIpv4(0xc0a800c7)).toBe('192.168.0.199');
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1..2.3',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.-4',
    'a.b.c.d',
    '1.2.3.4/24',
    '1.2.3.',
    '.1.2.3',
    '1.2.3.0x1',
    '1.2.3.1000',
  ])('rejects %j', (s) => expect(parseIpv4(s)).toBeUndefined());

  it('round-trips every address (property)', () => {
    fc.assert(fc.property(ipv4Addr, (n) => parseIpv4(formatIpv4(n)) === n));
  });

  it('parses CIDR and derives network and broadcast', () => {
    expect(parseCidr('10.0.0.1/24')).toEqual({
      addr: 0x0a000001,
      prefix: 24,
      mask: 0xffffff00,
      network: 0x0a000000,
      broadcast: 0x0a0000ff,
    });
    expect(parseCidr('10.1.2.3/0')).toMatchObject({ mask: 0, network: 0, broadcast: 0xffffffff });
    expect(parseCidr('10.1.2.3/32')).toMatchObject({ mask: 0xffffffff, network: 0x0a010203, broadcast: 0x0a010203 });
    expect(parseCidr('172.16.5.4/12')).toMatchObject({ network: 0xac100000, broadcast: 0xac1fffff });
    for (const bad of ['10.0.0.1', '10.0.0.1/33', '10.0.0.1/', '10.0.0.1/024', '10.0.0/8', '10.0.0.1/8/8', '10.0.0.1/-1']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
    expect(formatCidr(0x0a000001, 24)).toBe('10.0.0.1/24');
  });

  it('masks and subnet membership agree (property)', () => {
    fc.assert(
      fc.property(ipv4Addr, ipv4Addr, fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const c = parseCidr(formatCidr(a, prefix))!;
        expect(c.mask).toBe(prefixToMask(prefix));
        expect(inSubnet(a, c.network, prefix)).toBe(true);
        expect(inSubnet(c.broadcast, c.network, prefix)).toBe(true);
        const sameNet = a >>> (32 - prefix) === b >>> (32 - prefix) || prefix === 0;
        expect(inSubnet(b, a, prefix)).toBe(sameNet);
      }),
    );
    expect(inSubnet(0x0a000105, 0x0a000100, 24)).toBe(true);
    expect(inSubnet(0x0a000205, 0x0a000100, 24)).toBe(false);
  });
});

describe('MAC addresses', () => {
  it('parses, formats, reads and writes', () => {
    expect(parseMac('02:00:00:00:01:01')).toBe(0x020000000101);
    expect(parseMac('FF:ff:FF:ff:FF:ff')).toBe(BROADCAST_MAC);
    expect(formatMac(0x020000000101)).toBe('02:00:00:00:01:01');
    expect(formatMac(BROADCAST_MAC)).toBe('ff:ff:ff:ff:ff:ff');
    const buf = new Uint8Array(8);
    writeMac(buf, 1, 0x0a0b0c0d0e0f);
    expect([...buf]).toEqual([0, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0]);
    expect(readMac(buf, 1)).toBe(0x0a0b0c0d0e0f);
  });

  it.each(['', '02:00:00:00:01', '02:00:00:00:01:011', '02-00-00-00-01-01', '0g:00:00:00:01:01', '02:00:00:00:01:1 ', '2:00:00:00:01:01:'])('rejects %j', (s) =>
    expect(parseMac(s)).toBeUndefined(),
  );

  it('round-trips through text and bytes (property)', () => {
    fc.assert(
      fc.property(macAddr, fc.integer({ min: 0, max: 4 }), (m, off) => {
        expect(parseMac(formatMac(m))).toBe(m);
        const buf = new Uint8Array(10);
        writeMac(buf, off, m);
        expect(readMac(buf, off)).toBe(m);
        expect(isMulticastMac(m)).toBe((buf[off] & 1) === 1);
      }),
    );
  });

  it('knows group addresses', () => {
    expect(isMulticastMac(BROADCAST_MAC)).toBe(true);
    expect(isMulticastMac(parseMac('01:00:5e:00:00:01')!)).toBe(true);
    expect(isMulticastMac(parseMac('02:00:00:00:01:01')!)).toBe(false);
  });
});
