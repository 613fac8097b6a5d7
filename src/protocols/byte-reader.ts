/**
 * A big-endian byte reader over `[pos, end)` of a buffer, the base of the TLS and QUIC readers
 * (beside `ByteWriter`). Reading past `end` throws the error its subclass makes, naming the field.
 */
export abstract class ByteReader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  /** The error for a field of `n` bytes that runs past the end (the protocol's own error type). */
  protected abstract truncated(n: number, what: string): Error;

  /** Bytes left to read. */
  get left(): number {
    return this.end - this.pos;
  }

  protected need(n: number, what: string): void {
    if (this.pos + n > this.end) throw this.truncated(n, what);
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u24(what = 'u24'): number {
    this.need(3, what);
    const v = (this.buf[this.pos] << 16) | (this.buf[this.pos + 1] << 8) | this.buf[this.pos + 2];
    this.pos += 3;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** The next `n` bytes as a view into the buffer (no copy). */
  view(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** The next `n` bytes, copied. */
  copy(n: number, what = 'bytes'): Uint8Array {
    return this.view(n, what).slice();
  }
}
