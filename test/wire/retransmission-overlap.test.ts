/**
 * The wire check forgives tshark's "New fragment overlaps old data" only when the overlapping bytes
 * are proven identical to every earlier copy; a retransmission carrying different bytes must fail.
 */
import { describe, expect, it } from 'vitest';
import { sameBytesAsEarlier } from './tshark';

/** An Ethernet + IPv4 + TCP frame (checksums not needed here) carrying `payload` at `seq`. */
function segment(seq: number, payload: number[]): Uint8Array {
  const f = new Uint8Array(54 + payload.length);
  f[12] = 0x08;
  f[14] = 0x45;
  const total = 40 + payload.length;
  f[16] = total >> 8;
  f[17] = total & 0xff;
  f[23] = 6;
  f.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  f.set([0x1f, 0x90, 0xb4, 0x06], 34);
  f.set([(seq >>> 24) & 0xff, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff], 38);
  f[46] = 5 << 4;
  f.set(payload, 54);
  return f;
}

describe('retransmission overlaps in captures', () => {
  it('accepts a retransmission whose bytes equal the original', () => {
    expect(sameBytesAsEarlier([segment(1000, [1, 2, 3, 4]), segment(1002, [3, 4, 5])], 1)).toBe('same');
  });
  it('reports a retransmission that carries different bytes for the same sequence numbers', () => {
    expect(sameBytesAsEarlier([segment(1000, [1, 2, 3, 4]), segment(1002, [9, 4, 5])], 1)).toBe('different');
  });
  it('does not excuse a segment that overlaps nothing seen before', () => {
    expect(sameBytesAsEarlier([segment(1000, [1, 2]), segment(5000, [1, 2])], 1)).toBe('no earlier copy');
  });
});
