import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum, onesComplementSum, pseudoHeaderSum, updateChecksum16 } from '../../src/protocols/checksum';
import { bytes, hex, ipv4Addr, u16 } from './arbitraries';

/** Straightforward reference: sum words in a bigint, fold at the end. */
function reference(b: Uint8Array, initial = 0): number {
  let sum = BigInt(initial);
  for (let i = 0; i < b.length; i += 2) sum += BigInt((b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0));
  while (sum > 0xffffn) sum = (sum & 0xffffn) + (sum >> 16n);
  return Number(~sum & 0xffffn);
}

describe('internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 section 3 example', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded ddf2, checksum ~ddf2 = 220d.
    const b = hex('00 01 f2 03 f4 f5 f6 f7');
    expect(onesComplementSum(b, 0, 8)).toBe(0xddf2);
    expect(internetChecksum(b, 0, 8)).toBe(0x220d);
  });

  it('matches a known IPv4 header (checksum 0xb861)', () => {
    const h = hex('45 00 00 73 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7');
    expect(internetChecksum(h, 0, 20)).toBe(0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    expect(internetChecksum(h, 0, 20)).toBe(0);
  });

  it('pads an odd final byte with zero', () => {
    expect(internetChecksum(hex('01'), 0, 1)).toBe(~0x0100 & 0xffff);
    expect(internetChecksum(hex('ff ff 01'), 0, 3)).toBe(internetChecksum(hex('ff ff 01 00'), 0, 4));
  });

  it('equals a bigint reference at any offset, with any initial sum (property)', () => {
    fc.assert(
      fc.property(bytes(300), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 0x7ffff }), (b, pad, init) => {
        const buf = new Uint8Array(pad + b.length);
        buf.set(b, pad);
        expect(internetChecksum(buf, pad, b.length, init)).toBe(reference(b, init));
      }),
    );
  });

  it('handles a maximal 64 KiB buffer of 0xff', () => {
    const b = new Uint8Array(65535).fill(0xff);
    expect(internetChecksum(b, 0, b.length)).toBe(reference(b));
  });

  it('sums the pseudo-header words', () => {
    expect(pseudoHeaderSum(0xc0a80001, 0xc0a800c7, 17, 8)).toBe(0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 17 + 8);
  });

  it('pseudoHeaderSum equals summing a written-out pseudo-header (property)', () => {
    fc.assert(
      fc.property(ipv4Addr, ipv4Addr, fc.integer({ min: 0, max: 255 }), u16, (s, d, p, l) => {
        const ph = new Uint8Array([s >>> 24, s >>> 16, s >>> 8, s, d >>> 24, d >>> 16, d >>> 8, d, 0, p, l >>> 8, l]);
        expect(internetChecksum(new Uint8Array(0), 0, 0, pseudoHeaderSum(s, d, p, l))).toBe(reference(ph));
      }),
    );
  });
});

describe('incremental update (RFC 1624)', () => {
  it('equals full recomputation after changing any word (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4, maxLength: 64 }).filter((b) => b.length % 2 === 0),
        fc.nat(),
        u16,
        (b, at, w) => {
          const i = (at % (b.length / 2)) * 2;
          const before = internetChecksum(b, 0, b.length);
          const oldWord = (b[i] << 8) | b[i + 1];
          b[i] = w >>> 8;
          b[i + 1] = w & 0xff;
          const full = internetChecksum(b, 0, b.length);
          // The only divergence eqn. 3 allows is the two representations of zero, for all-zero data.
          if (b.some((x) => x !== 0)) expect(updateChecksum16(before, oldWord, w)).toBe(full);
        },
      ),
    );
  });

  it('reproduces the RFC 1624 section 4 example', () => {
    // HC = 0xdd2f, m = 0x5555 -> m' = 0x3285: HC' = 0x0000 by eqn. 3.
    expect(updateChecksum16(0xdd2f, 0x5555, 0x3285)).toBe(0x0000);
  });
});
