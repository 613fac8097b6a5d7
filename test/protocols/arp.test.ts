import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseMac } from '../../src/protocols/addr';
import { arp, arpSummary, ARP_BYTES, describeArp, readArp, writeArp, type ArpPacket } from '../../src/protocols/arp/arp';
import { hex, ipv4Addr, macAddr } from './arbitraries';

const packet: fc.Arbitrary<ArpPacket> = fc.record({
  op: fc.constantFrom(1 as const, 2 as const),
  senderMac: macAddr,
  senderIp: ipv4Addr,
  targetMac: macAddr,
  targetIp: ipv4Addr,
});

// ARP reply 10.0.0.2 is at 02:00:00:00:02:01, as Wireshark shows its bytes.
const REPLY = hex('00 01 08 00 06 04 00 02 02 00 00 00 02 01 0a 00 00 02 02 00 00 00 01 01 0a 00 00 01');

describe('ARP', () => {
  it('decodes a known reply', () => {
    const r = arp.decode(REPLY);
    expect(r).toEqual({
      ok: true,
      value: {
        op: 2,
        senderMac: parseMac('02:00:00:00:02:01'),
        senderIp: parseIpv4('10.0.0.2'),
        targetMac: parseMac('02:00:00:00:01:01'),
        targetIp: parseIpv4('10.0.0.1'),
      },
      length: 28,
    });
    expect([...arp.encode((r as { value: ArpPacket }).value)]).toEqual([...REPLY]);
  });

  it('summarises like Wireshark', () => {
    const a = parseIpv4('10.0.0.1')!;
    const b = parseIpv4('10.0.0.2')!;
    const m = parseMac('02:00:00:00:02:01')!;
    expect(arpSummary({ op: 1, senderMac: 1, senderIp: a, targetMac: 0, targetIp: b })).toBe('Who has 10.0.0.2? Tell 10.0.0.1');
    expect(arpSummary({ op: 2, senderMac: m, senderIp: b, targetMac: 1, targetIp: a })).toBe('10.0.0.2 is at 02:00:00:00:02:01');
    expect(arpSummary({ op: 1, senderMac: 1, senderIp: 0, targetMac: 0, targetIp: b })).toBe('Who has 10.0.0.2? (ARP Probe)');
    expect(arpSummary({ op: 1, senderMac: 1, senderIp: a, targetMac: 0, targetIp: a })).toBe('ARP Announcement for 10.0.0.1');
    expect(arpSummary({ op: 2, senderMac: 1, senderIp: a, targetMac: 0, targetIp: a })).toBe('Gratuitous ARP for 10.0.0.1 (Reply)');
  });

  it('describes with Wireshark filter names', () => {
    const layer = describeArp(REPLY);
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.title).toBe('Address Resolution Protocol (reply)');
    expect(Object.fromEntries(layer.fields.map((f) => [f.key, f.value]))).toEqual({
      'arp.hw.type': 'Ethernet (1)',
      'arp.proto.type': 'IPv4 (0x0800)',
      'arp.hw.size': '6',
      'arp.proto.size': '4',
      'arp.opcode': 'reply (2)',
      'arp.src.hw_mac': '02:00:00:00:02:01',
      'arp.src.proto_ipv4': '10.0.0.2',
      'arp.dst.hw_mac': '02:00:00:00:01:01',
      'arp.dst.proto_ipv4': '10.0.0.1',
    });
    expect(layer.fields.find((f) => f.key === 'arp.src.proto_ipv4')).toMatchObject({ offset: 14, length: 4 });
  });

  it('round-trips encode -> decode (property)', () => {
    fc.assert(
      fc.property(packet, fc.integer({ min: 0, max: 16 }), (p, off) => {
        const b = arp.encode(p);
        expect(b.length).toBe(arp.byteLength(p));
        expect(arp.decode(b)).toEqual({ ok: true, value: p, length: ARP_BYTES });
        const buf = new Uint8Array(off + ARP_BYTES);
        expect(writeArp(buf, off, p)).toBe(off + ARP_BYTES);
        expect(readArp(buf, off)).toEqual(p);
      }),
    );
  });

  it('rejects truncated and non-Ethernet/IPv4 packets', () => {
    for (let n = 0; n < 28; n++) expect(arp.decode(REPLY.subarray(0, n)).ok).toBe(false);
    const bad = (i: number, v: number) => {
      const b = REPLY.slice();
      b[i] = v;
      return arp.decode(b);
    };
    expect(bad(1, 6)).toMatchObject({ ok: false, error: expect.stringMatching(/hardware type 6/) });
    expect(bad(2, 0x86)).toMatchObject({ ok: false });
    expect(bad(4, 8)).toMatchObject({ ok: false });
    expect(bad(7, 3)).toMatchObject({ ok: false, error: expect.stringMatching(/opcode 3/) });
  });

  it('never throws on any bytes at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -2, max: 42 }), (b, off) => {
        arp.decode(b, off);
        arp.describe(b, off);
      }),
    );
  });
});
