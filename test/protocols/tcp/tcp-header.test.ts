import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerBuiltinProtocols } from '../../../src/protocols/builtin';
import { dissectFrame } from '../../../src/protocols/dissect';
import {
  describeTcp,
  encodeTcpSegment,
  tcp,
  TCP_ACK,
  TCP_SYN,
  tcpHeaderLength,
  tcpSummary,
  verifyTcpChecksum,
  type TcpHeader,
} from '../../../src/protocols/tcp/tcp-header';
import { ipv4Addr, u16 } from '../arbitraries';

registerBuiltinProtocols();

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const header: fc.Arbitrary<TcpHeader> = fc.record({
  srcPort: u16,
  dstPort: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 0xff }),
  window: u16,
  checksum: u16,
  urgent: u16,
  options: fc.record(
    {
      mss: u16,
      windowScale: fc.integer({ min: 0, max: 14 }),
      sackPermitted: fc.constant(true),
      timestamps: fc.record({ value: u32, echo: u32 }),
    },
    { requiredKeys: [] },
  ),
});

describe('TCP header codec', () => {
  it('round-trips any header with options', () => {
    fc.assert(
      fc.property(header, (h) => {
        const bytes = tcp.encode(h);
        expect(bytes.length).toBe(tcp.byteLength(h));
        expect(bytes.length % 4).toBe(0);
        const d = tcp.decode(bytes);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.length).toBe(bytes.length);
        expect(d.value).toEqual(h);
      }),
    );
  });

  it('computes a pseudo-header checksum that verifies, and detects a flipped bit', () => {
    fc.assert(
      fc.property(ipv4Addr, ipv4Addr, header, fc.uint8Array({ maxLength: 64 }), fc.nat(), (src, dst, h, payload, flip) => {
        const seg = encodeTcpSegment(src, dst, h, payload);
        expect(verifyTcpChecksum(src, dst, seg)).toBe(true);
        const bad = seg.slice();
        const bit = flip % (bad.length * 8);
        bad[bit >> 3] ^= 1 << (bit & 7);
        expect(verifyTcpChecksum(src, dst, bad)).toBe(false);
      }),
    );
  });

  it('writes the MSS option as kind 2 length 4 on a SYN (RFC 9293 §3.2)', () => {
    const h = { srcPort: 40000, dstPort: 5001, seq: 1, ack: 0, flags: TCP_SYN, window: 65535, checksum: 0, urgent: 0, options: { mss: 1460 } };
    const b = tcp.encode(h);
    expect(tcpHeaderLength(h.options)).toBe(24);
    expect(b[12] >> 4).toBe(6);
    expect([...b.subarray(20, 24)]).toEqual([2, 4, 0x05, 0xb4]);
  });

  it('describes fields with Wireshark keys and a checksum verdict', () => {
    const seg = encodeTcpSegment(
      0x0a000001,
      0x0a000002,
      { srcPort: 40000, dstPort: 5001, seq: 100, ack: 200, flags: TCP_SYN | TCP_ACK, window: 1000, urgent: 0, options: { mss: 1460 } },
      new Uint8Array(0),
    );
    const layer = describeTcp(seg, 0, seg.length, { src: 0x0a000001, dst: 0x0a000002 });
    if ('error' in layer) throw new Error(layer.error);
    const byKey = Object.fromEntries(layer.fields.map((f) => [f.key, f.value]));
    expect(byKey['tcp.srcport']).toBe('40000');
    expect(byKey['tcp.seq_raw']).toBe('100');
    expect(byKey['tcp.flags']).toBe('0x012 (SYN, ACK)');
    expect(byKey['tcp.checksum']).toMatch(/\[correct\]/);
    expect(layer.notes?.length).toBeGreaterThan(0);
    expect(tcpSummary(tcp.decode(seg).ok ? (tcp.decode(seg) as { value: TcpHeader }).value : (null as never), 0)).toBe(
      '40000 → 5001 [SYN, ACK] Seq=100 Ack=200 Win=1000 Len=0 MSS=1460',
    );
  });

  it('rejects a header length that runs past the bytes, without throwing', () => {
    const b = tcp.encode({ srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0, window: 0, checksum: 0, urgent: 0, options: {} });
    b[12] = 15 << 4;
    const d = tcp.decode(b);
    expect(d.ok).toBe(false);
    expect(dissectFrame(new Uint8Array(10)).error).toBeDefined();
  });
});
