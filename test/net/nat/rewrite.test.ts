/**
 * NAT's packet rewrite (RFC 3022 §4.2): after the address and port change, every checksum must equal
 * the one computed from scratch over the rewritten packet: the IPv4 header checksum, the TCP and UDP
 * checksums (their pseudo-header holds the addresses), and the ICMP echo checksum (it covers the
 * identifier, and has no pseudo-header).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readU16 } from '../../../src/protocols/bytes';
import { internetChecksum, pseudoHeaderSum } from '../../../src/protocols/checksum';
import { writeIcmpEcho, ICMP_ECHO_REQUEST } from '../../../src/protocols/icmp/icmp';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, readIpv4Dst, readIpv4Src, writeIpv4Header } from '../../../src/protocols/ipv4/ipv4';
import { encodeTcpSegment } from '../../../src/protocols/tcp/tcp-header';
import { encodeUdpDatagram } from '../../../src/protocols/udp/udp';
import { rewritePacket } from '../../../src/net/nat/rewrite';

const IP = 14;

function head(protocol: number, src: number, dst: number, payloadLength: number): Uint8Array {
  const h = new Uint8Array(IP + 20);
  writeIpv4Header(h, IP, {
    tos: 0,
    totalLength: 20 + payloadLength,
    id: 0x1c46,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 63,
    protocol,
    checksum: 0,
    src,
    dst,
  });
  return h;
}

/** The checksum word at `at` recomputed from scratch, as if the field were zero. */
function fromScratch(bytes: Uint8Array, at: number, initial = 0): number {
  const copy = bytes.slice();
  copy[at] = 0;
  copy[at + 1] = 0;
  return internetChecksum(copy, 0, copy.length, initial);
}

function segment(protocol: number, src: number, dst: number, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  if (protocol === IP_PROTO_UDP) return encodeUdpDatagram(src, dst, sport, dport, payload);
  if (protocol === IP_PROTO_TCP) {
    return encodeTcpSegment(src, dst, { srcPort: sport, dstPort: dport, seq: 1000, ack: 2000, flags: 0x18, window: 65535, urgent: 0, options: {} }, payload);
  }
  const b = new Uint8Array(8 + payload.length);
  b.set(payload, 8);
  writeIcmpEcho(b, 0, ICMP_ECHO_REQUEST, sport, 1, payload.length);
  return b;
}

/** Checks every checksum of the rewritten packet against a from-scratch computation. */
function expectChecksumsFromScratch(protocol: number, h: Uint8Array, body: Uint8Array): void {
  const ipHeader = h.subarray(IP, IP + 20);
  expect(readU16(ipHeader, 10)).toBe(fromScratch(ipHeader, 10));
  const src = readIpv4Src(h, IP);
  const dst = readIpv4Dst(h, IP);
  if (protocol === IP_PROTO_ICMP) {
    expect(readU16(body, 2)).toBe(fromScratch(body, 2));
  } else {
    const at = protocol === IP_PROTO_TCP ? 16 : 6;
    let expected = fromScratch(body, at, pseudoHeaderSum(src, dst, protocol, body.length));
    if (protocol === IP_PROTO_UDP && expected === 0) expected = 0xffff;
    expect(readU16(body, at)).toBe(expected);
  }
}

const INSIDE = 0xc0a80164; // 192.168.1.100
const OUTSIDE = 0xcb007102; // 203.0.113.2
const REMOTE = 0xc6336450; // 198.51.100.80

describe('NAT rewrite keeps every checksum right (RFC 1624 incremental = from scratch)', () => {
  for (const [name, protocol] of [
    ['TCP', IP_PROTO_TCP],
    ['UDP', IP_PROTO_UDP],
    ['ICMP echo', IP_PROTO_ICMP],
  ] as const) {
    it(`${name}: source translated on the way out, destination back on the way in`, () => {
      const payload = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
      const body = segment(protocol, INSIDE, REMOTE, 44539, 80, payload);
      const h = head(protocol, INSIDE, REMOTE, body.length);
      rewritePacket(h, body, 'src', OUTSIDE, 61000);
      expect(readIpv4Src(h, IP)).toBe(OUTSIDE);
      expect(readU16(body, protocol === IP_PROTO_ICMP ? 4 : 0)).toBe(61000);
      expectChecksumsFromScratch(protocol, h, body);

      const reply = segment(protocol, REMOTE, OUTSIDE, 80, 61000, payload);
      const rh = head(protocol, REMOTE, OUTSIDE, reply.length);
      rewritePacket(rh, reply, 'dst', INSIDE, 44539);
      expect(readIpv4Dst(rh, IP)).toBe(INSIDE);
      expect(readU16(reply, protocol === IP_PROTO_ICMP ? 4 : 2)).toBe(44539);
      expectChecksumsFromScratch(protocol, rh, reply);
    });
  }

  it('UDP without a checksum (0) stays without one', () => {
    const body = segment(IP_PROTO_UDP, INSIDE, REMOTE, 5000, 53, new Uint8Array(10));
    body[6] = 0;
    body[7] = 0;
    const h = head(IP_PROTO_UDP, INSIDE, REMOTE, body.length);
    rewritePacket(h, body, 'src', OUTSIDE, 6000);
    expect(readU16(body, 6)).toBe(0);
  });

  it('for any addresses, ports and payload (property)', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const port = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(
        fc.constantFrom(IP_PROTO_TCP, IP_PROTO_UDP, IP_PROTO_ICMP),
        u32,
        u32,
        u32,
        port,
        port,
        port,
        fc.uint8Array({ maxLength: 41 }),
        fc.constantFrom<'src' | 'dst'>('src', 'dst'),
        (protocol, src, dst, to, sport, dport, newPort, payload, side) => {
          const body = segment(protocol, src, dst, sport, dport, payload);
          const h = head(protocol, src, dst, body.length);
          rewritePacket(h, body, side, to, newPort);
          expectChecksumsFromScratch(protocol, h, body);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });
});
