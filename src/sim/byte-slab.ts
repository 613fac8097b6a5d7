/**
 * Zeroed buffers for packets (frame heads, outgoing datagrams), cut from shared 64 KiB slabs: a
 * typed array with memory of its own costs far more to allocate (and to collect) than a view on a
 * slab, and a large run makes millions. Every buffer is a range of its own, never handed out
 * twice, so a packet may keep it.
 */
const SLAB_BYTES = 64 * 1024;

export class ByteSlab {
  private slab = new ArrayBuffer(0);
  private used = 0;

  /** A zeroed buffer of `n` bytes that belongs to the caller. */
  take(n: number): Uint8Array {
    if (this.used + n > this.slab.byteLength) {
      this.slab = new ArrayBuffer(Math.max(SLAB_BYTES, n));
      this.used = 0;
    }
    const out = new Uint8Array(this.slab, this.used, n);
    this.used += (n + 7) & ~7;
    return out;
  }
}
