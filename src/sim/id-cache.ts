/**
 * Trace string ids by integer key, for code that records the same few thousand values millions of
 * times: one probe of a typed-array hash table instead of building (or finding) the value's string
 * and looking it up in the trace's string table (or, for a neighbour table, finding an address's
 * slot). An open-addressing table with linear probing; keys are unsigned 32-bit integers.
 */
/** An empty slot: the bit pattern of 0xffff_ffff, whose own id is kept aside. */
const EMPTY = -1;
const ALL_ONES = 0xffff_ffff;

export class IdCache {
  /** Key and id side by side (slot i at 2i and 2i + 1), so a probe touches one cache line. */
  private slots: Int32Array;
  private shift: number;
  private count = 0;
  /** The id of key 0xffff_ffff (its bit pattern marks empty slots), or -1. */
  private allOnesId = -1;

  constructor(initialBits = 10) {
    this.slots = new Int32Array(2 << initialBits).fill(EMPTY);
    this.shift = 32 - initialBits;
  }

  /** Number of keys stored. */
  get size(): number {
    return this.count;
  }

  /** The id stored for `key`, or -1. */
  get(key: number): number {
    const k32 = key | 0;
    if (k32 === EMPTY) return key === ALL_ONES ? this.allOnesId : -1;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = Math.imul(k32, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = slots[2 * i];
      if (k === k32) return key === k32 >>> 0 ? slots[2 * i + 1] : -1;
      if (k === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Stores `id` for `key` (replacing any id it had). */
  set(key: number, id: number): void {
    if (!(Number.isInteger(key) && key >= 0 && key <= ALL_ONES)) throw new RangeError(`IdCache: key ${key} is not an unsigned 32-bit integer`);
    if (key === ALL_ONES) {
      if (this.allOnesId < 0) this.count++;
      this.allOnesId = id;
      return;
    }
    if (2 * (this.count + 1) > this.slots.length >> 1) this.grow();
    this.put(key | 0, id);
  }

  /** Stores `id` under the key whose 32 bits are `k32` (not the empty pattern). */
  private put(k32: number, id: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = Math.imul(k32, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = slots[2 * i];
      if (k === k32) {
        slots[2 * i + 1] = id;
        return;
      }
      if (k === EMPTY) {
        slots[2 * i] = k32;
        slots[2 * i + 1] = id;
        this.count++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Doubles the table (kept at most half full, so probes stay short). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.shift--;
    this.count = this.allOnesId >= 0 ? 1 : 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.put(old[i], old[i + 1]);
  }
}
