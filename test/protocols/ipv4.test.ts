import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/protocols/addr';
import { internetChecksum } from '../../src/protocols/checksum';
import {
  decrementTtl,
  describeIpv4,
  ipv4,
  ipv4HeaderChecksum,
  IPV4_HEADER_BYTES,
  IP_PROTO_ICMP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  readIpv4Dst,
  readIpv4Header,
  readIpv4Protocol,
  readIpv4Src,
  readIpv4TotalLength,
  readIpv4Ttl,
  verifyIpv4Checksum,
  writeIpv4Fields,
  writeIpv4Header,
  type Ipv4Header,
} from '../../src/protocols/ipv4/ipv4';
import { hex, ipv4Header } from './arbitraries';

// The classic example header (192.168.0.1 -> 192.168.0.199, UDP, DF, TTL 64): checksum 0xb861.
const KNOWN = hex('45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7');

const fieldMap = (bytes: Uint8Array, off = 0) => {
  const layer = describeIpv4(bytes, off);
  if ('error' in layer) throw new Error(layer.error);
  return Object.fromEntries(layer.fields.map((f) => [f.key, f.value]));
};

describe('IPv4 header', () => {
  it('has the usual protocol numbers', () => {
    expect([IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP]).toEqual([1, 6, 17]);
  });

  it('decodes the known header and re-encodes it byte for byte', () => {
    const r = ipv4.decode(KNOWN);
    const expected: Ipv4Header = {
      tos: 0,
      totalLength: 0x73,
      id: 0,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: IP_PROTO_UDP,
      checksum: 0xb861,
      src: parseIpv4('192.168.0.1')!,
      dst: parseIpv4('192.168.0.199')!,
    };
    expect(r).toEqual({ ok: true, value: expected, length: 20 });
    expect([...ipv4.encode({ ...expected, checksum: 0 })]).toEqual([...KNOWN]);
    expect(ipv4HeaderChecksum(expected)).toBe(0xb861);
    expect(verifyIpv4Checksum(KNOWN, 0)).toBe(true);
  });

  it('field readers read the known header', () => {
    expect(readIpv4TotalLength(KNOWN, 0)).toBe(115);
    expect(readIpv4Ttl(KNOWN, 0)).toBe(64);
    expect(readIpv4Protocol(KNOWN, 0)).toBe(17);
    expect(readIpv4Src(KNOWN, 0)).toBe(0xc0a80001);
    expect(readIpv4Dst(KNOWN, 0)).toBe(0xc0a800c7);
  });

  it('describes like Wireshark, checksum verdict included', () => {
    const f = fieldMap(KNOWN);
    expect(f).toMatchObject({
      'ip.version': '4',
      'ip.hdr_len': '20 bytes (5)',
      'ip.dsfield': '0x00 (DSCP: CS0, ECN: Not-ECT)',
      'ip.len': '115',
      'ip.id': '0x0000 (0)',
      'ip.flags': "0x2, Don't fragment",
      'ip.frag_offset': '0',
      'ip.ttl': '64',
      'ip.proto': 'UDP (17)',
      'ip.checksum': '0xb861 [correct]',
      'ip.src': '192.168.0.1',
      'ip.dst': '192.168.0.199',
    });
    const bad = KNOWN.slice();
    bad[11] = 0x62;
    expect(fieldMap(bad)['ip.checksum']).toBe('0xb862 [incorrect, should be 0xb861]');
    expect(verifyIpv4Checksum(bad, 0)).toBe(false);
    const layer = describeIpv4(KNOWN);
    expect(layer).toMatchObject({ protocol: 'ip', title: 'Internet Protocol Version 4, Src: 192.168.0.1, Dst: 192.168.0.199', length: 20 });
  });

  it('skips options on decode and says so', () => {
    // IHL 6 with a Router Alert option (94 04 00 00).
    const b = hex('46 00 00 18 00 01 00 00 01 02 00 00 0a 00 00 01 e0 00 00 16 94 04 00 00');
    const c = internetChecksum(b, 0, 24);
    b[10] = c >>> 8;
    b[11] = c & 0xff;
    const r = ipv4.decode(b);
    expect(r).toMatchObject({ ok: true, length: 24, value: { protocol: 2, ttl: 1, totalLength: 24 } });
    expect(verifyIpv4Checksum(b, 0)).toBe(true);
    const layer = describeIpv4(b);
    if ('error' in layer) throw new Error(layer.error);
    expect(layer.length).toBe(24);
    expect(layer.fields.find((f) => f.key === 'ip.options')).toMatchObject({ offset: 20, length: 4 });
    expect(layer.notes?.some((n) => /options.*skipped/i.test(n))).toBe(true);
    expect(fieldMap(b)['ip.checksum']).toMatch(/\[correct\]/);
  });

  it('round-trips encode -> decode (property)', () => {
    fc.assert(
      fc.property(ipv4Header, (h) => {
        const b = ipv4.encode(h);
        expect(b.length).toBe(ipv4.byteLength(h));
        const r = ipv4.decode(b);
        if (!r.ok) throw new Error(r.error);
        expect(r.value).toEqual({ ...h, checksum: r.value.checksum });
        expect(r.value.checksum).toBe(ipv4HeaderChecksum(h));
        expect(verifyIpv4Checksum(b, 0)).toBe(true);
      }),
    );
  });

  it('write/read helpers work at an offset and reuse the output object (property)', () => {
    fc.assert(
      fc.property(ipv4Header, fc.integer({ min: 0, max: 30 }), (h, off) => {
        const buf = new Uint8Array(off + 20);
        expect(writeIpv4Header(buf, off, h)).toBe(off + IPV4_HEADER_BYTES);
        expect([...buf.subarray(off)]).toEqual([...ipv4.encode(h)]);
        const out = readIpv4Header(new Uint8Array(20), 0);
        expect(readIpv4Header(buf, off, out)).toBe(out);
        expect(out).toEqual({ ...h, checksum: ipv4HeaderChecksum(h) });
      }),
    );
  });

  it('writes the known header from its fields, and its checksum is the RFC 1071 checksum of the bytes (property)', () => {
    const buf = new Uint8Array(20);
    writeIpv4Fields(buf, 0, 0, 0x73, 0, 0x4000, 64, IP_PROTO_UDP, parseIpv4('192.168.0.1')!, parseIpv4('192.168.0.199')!);
    expect(buf).toEqual(KNOWN);
    fc.assert(
      fc.property(ipv4Header, fc.integer({ min: 0, max: 30 }), (h, off) => {
        const b = new Uint8Array(off + 20);
        writeIpv4Header(b, off, h);
        const zeroed = b.slice(off);
        zeroed[10] = zeroed[11] = 0;
        expect((b[off + 10] << 8) | b[off + 11]).toBe(internetChecksum(zeroed, 0, 20));
      }),
    );
  });

  it('verification fails when any one bit of a header changes (property)', () => {
    fc.assert(
      fc.property(ipv4Header, fc.integer({ min: 0, max: 159 }), (h, bit) => {
        const b = ipv4.encode(h);
        expect(verifyIpv4Checksum(b, 0)).toBe(true);
        b[bit >> 3] ^= 0x80 >> (bit & 7);
        // Flipping a bit of the version/IHL byte may make it unreadable; either way it must not verify.
        expect(verifyIpv4Checksum(b, 0)).toBe(false);
      }),
    );
  });

  it('encode refuses out-of-range fields', () => {
    const h: Ipv4Header = readIpv4Header(KNOWN, 0);
    expect(() => ipv4.encode({ ...h, fragmentOffset: 12 })).toThrow(RangeError);
    expect(() => ipv4.encode({ ...h, ttl: 256 })).toThrow(RangeError);
    expect(() => ipv4.encode({ ...h, totalLength: 19 })).toThrow(RangeError);
    expect(() => ipv4.encode({ ...h, src: -1 })).toThrow(RangeError);
  });

  it('rejects truncated headers, wrong versions and bad lengths', () => {
    for (let n = 0; n < 20; n++) expect(ipv4.decode(KNOWN.subarray(0, n)).ok).toBe(false);
    const v6 = KNOWN.slice();
    v6[0] = 0x65;
    expect(ipv4.decode(v6)).toMatchObject({ ok: false, error: expect.stringMatching(/version 6/) });
    const ihl4 = KNOWN.slice();
    ihl4[0] = 0x44;
    expect(ipv4.decode(ihl4).ok).toBe(false);
    const ihl6 = KNOWN.slice();
    ihl6[0] = 0x46; // claims options that are not there
    expect(ipv4.decode(ihl6).ok).toBe(false);
    const short = KNOWN.slice();
    short[2] = 0;
    short[3] = 19; // total length below the header
    expect(ipv4.decode(short).ok).toBe(false);
  });

  it('never throws on any bytes at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: -2, max: 90 }), (b, off) => {
        ipv4.decode(b, off);
        ipv4.describe(b, off);
        verifyIpv4Checksum(b, off);
      }),
    );
    // Mostly-valid headers reach deeper code paths.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (b) => {
        b[0] = 0x40 | (b[0] & 0x0f);
        ipv4.decode(b);
        ipv4.describe(b);
      }),
    );
  });
});

describe('decrementTtl', () => {
  it('decrements in place with an incrementally fixed checksum', () => {
    const b = KNOWN.slice();
    expect(decrementTtl(b, 0)).toBe(63);
    expect(b[8]).toBe(63);
    expect(verifyIpv4Checksum(b, 0)).toBe(true);
    expect((b[10] << 8) | b[11]).toBe(0xb961);
  });

  it('equals full recomputation (property)', () => {
    fc.assert(
      fc.property(
        ipv4Header.filter((h) => h.ttl > 0),
        fc.integer({ min: 0, max: 8 }),
        (h, off) => {
          const buf = new Uint8Array(off + 20);
          writeIpv4Header(buf, off, h);
          expect(decrementTtl(buf, off)).toBe(h.ttl - 1);
          expect([...buf.subarray(off)]).toEqual([...ipv4.encode({ ...h, ttl: h.ttl - 1 })]);
        },
      ),
    );
  });

  it('equals full recomputation over headers with options too, down to TTL 0 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 60, maxLength: 60 }), fc.integer({ min: 5, max: 15 }), (b, ihl) => {
        b[0] = 0x40 | ihl;
        const hl = ihl * 4;
        b[10] = 0;
        b[11] = 0;
        const c = internetChecksum(b, 0, hl);
        b[10] = c >>> 8;
        b[11] = c & 0xff;
        for (let ttl = b[8]; ttl > 0; ttl--) {
          expect(decrementTtl(b, 0)).toBe(ttl - 1);
          const want = b.slice();
          want[10] = 0;
          want[11] = 0;
          expect((b[10] << 8) | b[11]).toBe(internetChecksum(want, 0, hl));
        }
        expect(decrementTtl(b, 0)).toBe(0);
        expect(verifyIpv4Checksum(b, 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('leaves a TTL of 0 alone', () => {
    const b = KNOWN.slice();
    b[8] = 0;
    const before = [...b];
    expect(decrementTtl(b, 0)).toBe(0);
    expect([...b]).toEqual(before);
  });
});
