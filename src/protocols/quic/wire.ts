/**
 * QUIC's byte-level building blocks (RFC 9000 section 16): variable-length integers and a small
 * reader / writer over them. Values stay below 2^53 (JavaScript numbers), far above anything a
 * simulated connection reaches.
 */

import { ByteReader } from '../byte-reader';
import { ByteWriter } from '../byte-writer';

/** A decoding error: the bytes do not hold what the header or frame says. */
export class QuicDecodeError extends Error {}

/** Bytes a varint of this value takes (1, 2, 4 or 8). */
export function varintLength(v: number): number {
  if (v < 0x40) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x40000000) return 4;
  return 8;
}

/** Growable byte writer with QUIC's variable-length integers. */
export class QuicWriter extends ByteWriter {
  /** A varint in its shortest form, or in exactly `len` bytes when given. */
  varint(v: number, len = varintLength(v)): this {
    if (len === 1) return this.u8(v);
    if (len === 2) return this.u16(0x4000 | v);
    if (len === 4) return this.u32((0x80000000 | v) >>> 0);
    const hi = Math.floor(v / 2 ** 32);
    return this.u32((0xc0000000 | hi) >>> 0).u32(v >>> 0);
  }

  /** A varint length followed by the bytes. */
  vbytes(b: Uint8Array): this {
    return this.varint(b.length).bytes(b);
  }
}

/** Byte reader with QUIC's variable-length integers; every method throws {@link QuicDecodeError} past the end. */
export class QuicReader extends ByteReader {
  protected truncated(_n: number, what: string): Error {
    return new QuicDecodeError(`QUIC: ${what} runs past the end`);
  }

  override u8(what = 'byte'): number {
    return super.u8(what);
  }

  /** The next `k` bytes as a view into the buffer (no copy). */
  bytes(k: number, what = 'bytes'): Uint8Array {
    return this.view(k, what);
  }

  varint(what = 'varint'): number {
    this.need(1, what);
    const first = this.buf[this.pos];
    const len = 1 << (first >> 6);
    this.need(len, what);
    let v = first & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + this.buf[this.pos + i];
    this.pos += len;
    return v;
  }

  vbytes(what = 'bytes'): Uint8Array {
    return this.bytes(this.varint(`${what} length`), what);
  }
}

/** Joins byte arrays (the shared helper, under the name QUIC code uses). */
export { concatBytes as concat } from '../bytes';

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
