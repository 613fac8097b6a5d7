/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Connections keep their own numbers as
 * unwrapped offsets from the ISN and convert at the wire with these helpers.
 */

/** `a - b` as a signed 32-bit distance (positive when `a` is after `b`). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `(base + n) mod 2^32`. */
export function seqAdd(base: number, n: number): number {
  return (base + n) >>> 0;
}

/**
 * The unwrapped offset (from `base`) of wire number `wire`, taking the one nearest `near` (an
 * offset already known, e.g. RCV.NXT's).
 */
export function unwrap(wire: number, base: number, near: number): number {
  return near + seqDiff(wire, seqAdd(base, near));
}
