import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/protocols/addr';
import {
  describeUdp,
  encodeUdpDatagram,
  readUdpHeader,
  udp,
  udpChecksum,
  udpSummary,
  UDP_HEADER_BYTES,
  verifyUdpChecksum,
  writeUdpDatagram,
  writeUdpHeader,
  type UdpHeader,
} from '../../src/protocols/udp/udp';
import { bytes, hex, ipv4Addr, u16 } from './arbitraries';

const A = parseIpv4('10.0.0.1')!;
const B = parseIpv4('10.0.0.2')!;
// 10.0.0.1:5000 -> 10.0.0.2:5001, payload 01 02 03 04; tshark 4.0 reports the checksum 0xc0bc Good.
const KNOWN = hex('13 88 13 89 00 0c c0 bc 01 02 03 04');

const header: fc.Arbitrary<UdpHeader> = fc.record({ srcPort: u16, dstPort: u16, length: fc.integer({ min: 8, max: 0xffff }), checksum: u16 });

describe('UDP', () => {
  it('computes the known checksum', () => {
    expect([...encodeUdpDatagram(A, B, 5000, 5001, new Uint8Array([1, 2, 3, 4]))]).toEqual([...KNOWN]);
    expect(verifyUdpChecksum(A, B, KNOWN)).toBe(true);
    expect(verifyUdpChecksum(A, parseIpv4('10.0.0.3')!, KNOWN)).toBe(false);
    expect(udp.decode(KNOWN)).toEqual({ ok: true, value: { srcPort: 5000, dstPort: 5001, length: 12, checksum: 0xc0bc }, length: 8 });
  });

  it('sends a computed 0 as 0xffff and accepts 0 as "no checksum"', () => {
    // Find a payload whose checksum computes to 0: choose the last word to cancel the sum.
    const d = encodeUdpDatagram(A, B, 1, 2, new Uint8Array(2));
    const c = (d[6] << 8) | d[7];
    const payload = new Uint8Array([c >>> 8, c & 0xff]);
    const e = encodeUdpDatagram(A, B, 1, 2, payload);
    expect((e[6] << 8) | e[7]).toBe(0xffff);
    expect(verifyUdpChecksum(A, B, e)).toBe(true);
    const none = KNOWN.slice();
    none[6] = 0;
    none[7] = 0;
    expect(verifyUdpChecksum(A, B, none)).toBe(true);
    const layer = describeUdp(none, 0, none.length, { src: A, dst: B });
    expect('error' in layer ? layer.error : layer.fields[3].value).toBe('0x0000 [zero-value ignored]');
  });

  it('describes with Wireshark filter names and summarises', () => {
    const layer = describeUdp(KNOWN, 0, KNOWN.length, { src: A, dst: B });
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.title).toBe('User Datagram Protocol, Src Port: 5000, Dst Port: 5001');
    expect(Object.fromEntries(layer.fields.map((f) => [f.key, f.value]))).toEqual({
      'udp.srcport': '5000',
      'udp.dstport': '5001',
      'udp.length': '12',
      'udp.checksum': '0xc0bc [correct]',
      'udp.payload': '(4 bytes)',
    });
    const bad = KNOWN.slice();
    bad[11] = 5;
    const badLayer = describeUdp(bad, 0, bad.length, { src: A, dst: B });
    expect('error' in badLayer ? '' : badLayer.fields[3].value).toBe('0xc0bc [incorrect, should be 0xc0bb]');
    const plain = udp.describe(KNOWN);
    expect('error' in plain ? '' : plain.fields[3].value).toBe('0xc0bc [unverified]');
    expect(udpSummary({ srcPort: 40000, dstPort: 7, length: 520, checksum: 0 })).toBe('40000 → 7 Len=512');
  });

  it('round-trips the header codec (property)', () => {
    fc.assert(
      fc.property(header, fc.integer({ min: 0, max: 10 }), (h, off) => {
        const b = udp.encode(h);
        expect(b.length).toBe(udp.byteLength(h));
        expect(udp.decode(b)).toEqual({ ok: true, value: h, length: UDP_HEADER_BYTES });
        const buf = new Uint8Array(off + 8);
        writeUdpHeader(buf, off, h);
        expect(readUdpHeader(buf, off)).toEqual(h);
      }),
    );
  });

  it('encodes datagrams that verify, at any offset, allocation-free path included (property)', () => {
    fc.assert(
      fc.property(ipv4Addr, ipv4Addr, u16, u16, bytes(300), fc.integer({ min: 0, max: 9 }), (s, d, sp, dp, payload, off) => {
        const dg = encodeUdpDatagram(s, d, sp, dp, payload);
        expect(dg.length).toBe(8 + payload.length);
        expect(verifyUdpChecksum(s, d, dg)).toBe(true);
        expect(udp.decode(dg)).toMatchObject({ ok: true, value: { srcPort: sp, dstPort: dp, length: dg.length } });
        expect((dg[6] << 8) | dg[7]).toBe(udpChecksum(s, d, dg, 0, dg.length));
        const buf = new Uint8Array(off + dg.length);
        buf.set(payload, off + 8);
        expect(writeUdpDatagram(buf, off, s, d, sp, dp, payload.length)).toBe(buf.length);
        expect([...buf.subarray(off)]).toEqual([...dg]);
        expect(verifyUdpChecksum(s, d, buf, off)).toBe(true);
        // Any single-bit corruption is detected.
        if (payload.length > 0) {
          dg[8] ^= 1;
          expect(verifyUdpChecksum(s, d, dg)).toBe(false);
        }
      }),
    );
  });

  it('rejects truncated headers and bad lengths', () => {
    for (let n = 0; n < 8; n++) expect(udp.decode(KNOWN.subarray(0, n)).ok).toBe(false);
    const short = KNOWN.slice();
    short[5] = 7;
    expect(udp.decode(short)).toMatchObject({ ok: false, error: expect.stringMatching(/length 7/) });
    const long = KNOWN.slice();
    long[5] = 13;
    expect(verifyUdpChecksum(A, B, long)).toBe(false);
    expect(() => udp.encode({ srcPort: 1, dstPort: 2, length: 7, checksum: 0 })).toThrow(RangeError);
    expect(() => udp.encode({ srcPort: 65536, dstPort: 2, length: 8, checksum: 0 })).toThrow(RangeError);
  });

  it('never throws on any bytes at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -2, max: 42 }), (b, off) => {
        udp.decode(b, off);
        udp.describe(b, off);
        verifyUdpChecksum(A, B, b, off);
        describeUdp(b, off, b.length, { src: A, dst: B });
      }),
    );
  });
});
