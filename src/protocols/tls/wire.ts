/**
 * Byte builders and readers for TLS's presentation language (RFC 8446 section 3): big-endian
 * integers and length-prefixed vectors. A {@link TlsReader} throws {@link TlsDecodeError} on
 * truncation; the engine turns that into a `decode_error` alert.
 */

import { ByteReader } from '../byte-reader';
import { ByteWriter } from '../byte-writer';

/** A malformed TLS structure; carries the alert the receiver should send. */
export class TlsDecodeError extends Error {
  constructor(
    message: string,
    /** Alert description to send (RFC 8446 section 6): `decode_error` (50) unless said otherwise. */
    readonly alert = 50,
  ) {
    super(message);
    this.name = 'TlsDecodeError';
  }
}

/** Appends bytes; `vector(lenBytes, fn)` writes a length-prefixed vector. */
export class TlsWriter extends ByteWriter {
  constructor() {
    super(256);
  }

  /** A vector whose length prefix is `lenBytes` (1, 2 or 3) bytes long. */
  vector(lenBytes: 1 | 2 | 3, fill: (w: TlsWriter) => void): this {
    const at = this.len;
    this.ensure(lenBytes);
    this.len += lenBytes;
    fill(this);
    const n = this.len - at - lenBytes;
    if (n >= 2 ** (8 * lenBytes)) throw new RangeError(`TLS: vector of ${n} bytes overflows a ${lenBytes}-byte length`);
    for (let i = 0; i < lenBytes; i++) this.buf[at + i] = (n >>> (8 * (lenBytes - 1 - i))) & 0xff;
    return this;
  }

  /** Shorthand for a vector holding exactly `b`. */
  opaque(lenBytes: 1 | 2 | 3, b: Uint8Array): this {
    return this.vector(lenBytes, (w) => w.bytes(b));
  }
}

/** Reads big-endian fields from `[pos, end)`; throws {@link TlsDecodeError} past `end`. */
export class TlsReader extends ByteReader {
  protected truncated(n: number, what: string): Error {
    return new TlsDecodeError(`TLS: truncated ${what} (need ${n} bytes, have ${this.end - this.pos})`);
  }

  /** The next `n` bytes, copied. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    return this.copy(n, what);
  }

  /** A length-prefixed vector's contents (copied). */
  opaque(lenBytes: 1 | 2 | 3, what = 'vector'): Uint8Array {
    const n = lenBytes === 1 ? this.u8(what) : lenBytes === 2 ? this.u16(what) : this.u24(what);
    return this.bytes(n, what);
  }

  /** A reader over the next length-prefixed vector; this reader skips past it. */
  sub(lenBytes: 1 | 2 | 3, what = 'vector'): TlsReader {
    const n = lenBytes === 1 ? this.u8(what) : lenBytes === 2 ? this.u16(what) : this.u24(what);
    this.need(n, what);
    const r = new TlsReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** Throws unless every byte was consumed. */
  done(what: string): void {
    if (this.pos !== this.end) throw new TlsDecodeError(`TLS: ${this.end - this.pos} trailing bytes in ${what}`);
  }
}

/** Concatenates byte arrays. */
export { concatBytes } from '../bytes';

/** Lower-case hex without separators. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Parses hex, ignoring whitespace. */
export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${s.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Constant-shape byte comparison (timing is irrelevant in a simulator; kept simple). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** UTF-8 / ASCII string bytes. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Decodes UTF-8 (lossy). */
export function fromUtf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
