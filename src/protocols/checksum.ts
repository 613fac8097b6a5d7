/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, plus RFC 1624 incremental update.
 */

import type { Ipv4 } from './addr';

function fold(sum: number): number {
  // Safe for any non-negative integer below 2^53 (plain `>>> 16` would wrap past 2^32, so it is
  // used only below that).
  while (sum > 0xffff) sum = sum < 0x1_0000_0000 ? (sum & 0xffff) + (sum >>> 16) : (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The folded 16-bit one's complement sum of `length` bytes at `offset` plus `initialSum`
 * (an odd trailing byte counts as its high byte, padded with zero). Not complemented.
 */
export function onesComplementSum(bytes: Uint8Array, offset: number, length: number, initialSum = 0): number {
  let sum = initialSum;
  const end = offset + length;
  const evenEnd = offset + (length & ~1);
  let i = offset;
  // Accumulate in chunks so the running sum stays a small integer.
  while (i < evenEnd) {
    const stop = Math.min(evenEnd, i + 0x10000);
    // The words' high and low bytes summed apart, four words a step (a datagram is summed per
    // packet): the same total as adding (high << 8 | low) word by word, with fewer operations.
    let high = 0;
    let low = 0;
    for (; i + 8 <= stop; i += 8) {
      high += bytes[i] + bytes[i + 2] + bytes[i + 4] + bytes[i + 6];
      low += bytes[i + 1] + bytes[i + 3] + bytes[i + 5] + bytes[i + 7];
    }
    for (; i < stop; i += 2) {
      high += bytes[i];
      low += bytes[i + 1];
    }
    sum = fold(sum + high * 256 + low);
  }
  if (evenEnd < end) sum += bytes[evenEnd] << 8;
  return fold(sum);
}

/**
 * RFC 1071 Internet checksum of `length` bytes at `offset`. `initialSum` is a partial sum to
 * include, e.g. {@link pseudoHeaderSum} for UDP/TCP. Run over a header that already holds its
 * checksum, the result is 0 when that checksum is correct.
 */
export function internetChecksum(bytes: Uint8Array, offset: number, length: number, initialSum = 0): number {
  return ~onesComplementSum(bytes, offset, length, initialSum) & 0xffff;
}

/**
 * The (unfolded) sum of the IPv4 pseudo-header used by UDP and TCP checksums: source, destination,
 * zero + protocol, and the UDP/TCP length. Pass it as `initialSum` to {@link internetChecksum}.
 */
export function pseudoHeaderSum(src: Ipv4, dst: Ipv4, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff);
}

/**
 * RFC 1624 incremental update (eqn. 3, `HC' = ~(~HC + ~m + m')`): the new checksum after one
 * 16-bit word of the covered data changes from `oldWord` to `newWord`. Equals full recomputation.
 */
export function updateChecksum16(oldChecksum: number, oldWord: number, newWord: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~fold(sum) & 0xffff;
}
