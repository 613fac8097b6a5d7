/**
 * A fast, stable 64-bit hash for traces (two independent 32-bit multiply-rotate lanes over the raw
 * bytes). Not cryptographic: it exists to tell "same run" from "different run", in Node and browsers.
 */

/** The parts of a trace that are hashed. */
export interface HashInput {
  nodes: string;
  links: string;
  strings: string;
  columns: ArrayBufferView[];
}

class Hasher {
  h1 = 0x9747b28c;
  h2 = 0x1b873593;
  count = 0;

  word(k: number): void {
    let a = Math.imul(k, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    a = Math.imul(a, 0x1b873593);
    this.h1 ^= a;
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19);
    this.h1 = (Math.imul(this.h1, 5) + 0xe6546b64) | 0;
    let b = Math.imul(k ^ 0x5bd1e995, 0x85ebca6b);
    b = (b << 17) | (b >>> 15);
    b = Math.imul(b, 0xc2b2ae35);
    this.h2 ^= b;
    this.h2 = (this.h2 << 11) | (this.h2 >>> 21);
    this.h2 = (Math.imul(this.h2, 9) + 0x7fb5d329) | 0;
    this.count++;
  }

  bytes(view: ArrayBufferView): void {
    const u8 = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const whole = u8.length >>> 2;
    if ((u8.byteOffset & 3) === 0) {
      const u32 = new Uint32Array(u8.buffer, u8.byteOffset, whole);
      for (let i = 0; i < whole; i++) this.word(u32[i]);
    } else {
      for (let i = 0; i < whole; i++) {
        const j = i * 4;
        this.word(u8[j] | (u8[j + 1] << 8) | (u8[j + 2] << 16) | (u8[j + 3] << 24));
      }
    }
    let tail = 0;
    for (let j = whole * 4; j < u8.length; j++) tail = (tail << 8) | u8[j];
    this.word(tail);
    this.word(u8.length);
  }

  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    this.word(s.length);
  }

  digest(): string {
    const fmix = (h: number) => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const a = fmix(this.h1 ^ this.count);
    const b = fmix(this.h2 ^ a);
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

/** Hashes trace contents to 16 hex digits. */
export function hashTrace(input: HashInput): string {
  const h = new Hasher();
  h.text(input.nodes);
  h.text(input.links);
  h.text(input.strings);
  for (const c of input.columns) h.bytes(c);
  return h.digest();
}
