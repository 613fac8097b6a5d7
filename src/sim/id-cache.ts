/**
 * Trace string ids by integer key, for code that records the same few thousand values millions of
 * times: one probe of a typed-array hash table instead of building (or finding) the value's string
 * and looking it up in the trace's string table. An open-addressing table with linear probing;
 * keys are integers in [0, 2^31 - 1).
 */
const EMPTY = -1;

export class IdCache {
  /** Key and id side by side (slot i at 2i and 2i + 1), so a probe touches one cache line. */
  private slots: Int32Array;
  private shift: number;
  private count = 0;

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
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = slots[2 * i];
      if (k === key) return slots[2 * i + 1];
      if (k === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Stores `id` for `key` (replacing any id it had). */
  set(key: number, id: number): void {
    if (!(Number.isInteger(key) && key >= 0 && key < 0x7fff_ffff)) throw new RangeError(`IdCache: key ${key} is not an integer in [0, 2^31 - 1)`);
    if (2 * (this.count + 1) > this.slots.length >> 1) this.grow();
    this.put(key, id);
  }

  private put(key: number, id: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = slots[2 * i];
      if (k === key) {
        slots[2 * i + 1] = id;
        return;
      }
      if (k === EMPTY) {
        slots[2 * i] = key;
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
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.put(old[i], old[i + 1]);
  }
}
