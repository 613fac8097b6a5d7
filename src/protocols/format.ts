/** Small display helpers shared by the `describe` functions (Wireshark-like value strings). */

/** `0x` + `n` as lower-case hex, zero-padded to `digits`. */
export function hex(n: number, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** Bytes as contiguous lower-case hex (`000000`), truncated with `…` past `max` bytes. */
export function hexBytes(bytes: Uint8Array, offset: number, end: number, max = 64): string {
  let s = '';
  const stop = Math.min(end, offset + max);
  for (let i = offset; i < stop; i++) s += bytes[i].toString(16).padStart(2, '0');
  return end > stop ? s + '…' : s;
}

/**
 * A received checksum with its verdict, as the inspector shows it:
 * `0xb861 [correct]` or `0xb861 [incorrect, should be 0x1c46]`.
 */
export function checksumText(received: number, expected: number): string {
  return received === expected ? `${hex(received, 4)} [correct]` : `${hex(received, 4)} [incorrect, should be ${hex(expected, 4)}]`;
}

/** `1 (0x0001)`: a number in decimal with its hex in brackets. */
export function decHex(n: number, digits: number): string {
  return `${n} (${hex(n, digits)})`;
}

/** Singular or plural `byte(s)`. */
export function bytesLabel(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}
