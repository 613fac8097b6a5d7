/**
 * The discrete-event kernel: an integer-nanosecond clock and a binary heap of pending events ordered
 * by (time, insertion sequence). Pending events live in typed arrays indexed by a reusable slot, so a
 * queue of 10,000 events is a handful of arrays rather than 10,000 objects.
 */

/** A callback run when its event fires; `arg` is whatever was passed to {@link Kernel.at}. */
export type EventHandler<A = unknown> = (arg: A) => void;

/** Opaque handle of a scheduled event, used to cancel it. 0 is never a valid handle. */
export type TimerId = number;

const SLOT_BITS = 22; // up to 4M pending events at once
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const GEN_LIMIT = 2 ** (53 - SLOT_BITS);

/** The event kernel. Time never goes backwards; equal times run in the order they were scheduled. */
export class Kernel {
  private nowNs = 0;
  private seqCounter = 0;
  private executed = 0;

  // Per-slot event data.
  private times: Float64Array;
  private seqs: Float64Array;
  private gens: Float64Array;
  private fns: (EventHandler<never> | null)[] = [];
  private args: unknown[] = [];
  private free: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;

  // The heap holds slot numbers.
  private heap: Int32Array;
  private heapSize = 0;
  private liveCount = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.gens = new Float64Array(initialCapacity);
    this.free = new Int32Array(initialCapacity);
    this.heap = new Int32Array(initialCapacity);
  }

  /** Current simulated time in nanoseconds. */
  get now(): number {
    return this.nowNs;
  }

  /** Number of events that have run so far. */
  get eventsExecuted(): number {
    return this.executed;
  }

  /** Number of scheduled events that have neither run nor been cancelled. */
  get pending(): number {
    return this.liveCount;
  }

  /** Schedules `fn(arg)` at absolute time `timeNs` (an integer, not before now). */
  at<A>(timeNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    if (!Number.isSafeInteger(timeNs)) throw new RangeError(`event time must be an integer of nanoseconds, got ${timeNs}`);
    if (timeNs < this.nowNs) throw new RangeError(`cannot schedule in the past: ${timeNs} < now ${this.nowNs}`);
    const slot = this.allocSlot();
    this.times[slot] = timeNs;
    this.seqs[slot] = this.seqCounter++;
    this.fns[slot] = fn as EventHandler<never>;
    this.args[slot] = arg;
    this.push(slot);
    this.liveCount++;
    return this.gens[slot] * (SLOT_MASK + 1) + slot + 1;
  }

  /** Schedules `fn(arg)` after `delayNs` nanoseconds (an integer, at least 0). */
  after<A>(delayNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    return this.at(this.nowNs + delayNs, fn, arg);
  }

  /** Cancels a pending event. Returns false if it already ran or was cancelled. */
  cancel(id: TimerId): boolean {
    if (!id) return false;
    const raw = id - 1;
    const slot = raw % (SLOT_MASK + 1);
    const gen = Math.floor(raw / (SLOT_MASK + 1));
    if (slot >= this.nextSlot || this.gens[slot] !== gen || this.fns[slot] === null) return false;
    // Lazy deletion: the slot stays in the heap with no handler and is skipped when it surfaces.
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.liveCount--;
    return true;
  }

  /** Time of the next live event, or undefined when none is pending. */
  peek(): number | undefined {
    this.dropCancelledTop();
    return this.heapSize > 0 ? this.times[this.heap[0]] : undefined;
  }

  /** Runs the next live event. Returns false when nothing is pending. */
  step(): boolean {
    this.dropCancelledTop();
    if (this.heapSize === 0) return false;
    this.runTop();
    return true;
  }

  /** Runs events with time <= `endNs`, then sets the clock to `endNs`. Returns events run. */
  runUntil(endNs: number): number {
    const before = this.executed;
    for (;;) {
      this.dropCancelledTop();
      if (this.heapSize === 0 || this.times[this.heap[0]] > endNs) break;
      this.runTop();
    }
    if (endNs > this.nowNs) this.nowNs = endNs;
    return this.executed - before;
  }

  /** Runs until no events are pending, or `maxEvents` have run. Returns events run. */
  run(maxEvents = Infinity): number {
    const before = this.executed;
    while (this.executed - before < maxEvents && this.step()) {
      // keep going
    }
    return this.executed - before;
  }

  private runTop(): void {
    const slot = this.pop();
    const fn = this.fns[slot] as EventHandler<unknown>;
    const arg = this.args[slot];
    this.nowNs = this.times[slot];
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.releaseSlot(slot);
    this.liveCount--;
    this.executed++;
    fn(arg);
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.fns[this.heap[0]] === null) {
      this.releaseSlot(this.pop());
    }
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.nextSlot === this.times.length) this.grow();
    if (this.nextSlot > SLOT_MASK) throw new RangeError('too many pending events');
    return this.nextSlot++;
  }

  private releaseSlot(slot: number): void {
    const g = this.gens[slot] + 1;
    this.gens[slot] = g < GEN_LIMIT ? g : 0;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.times = grow64(this.times);
    this.seqs = grow64(this.seqs);
    this.gens = grow64(this.gens);
    this.free = grow32(this.free);
    this.heap = grow32(this.heap);
  }

  private push(slot: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const t = times[slot];
    const s = seqs[slot];
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      const pt = times[p];
      if (pt < t || (pt === t && seqs[p] < s)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
  }

  private pop(): number {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const top = heap[0];
    const last = heap[--this.heapSize];
    const n = this.heapSize;
    if (n > 0) {
      const t = times[last];
      const s = seqs[last];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let ct = times[heap[c]];
        const r = c + 1;
        if (r < n) {
          const rt = times[heap[r]];
          if (rt < ct || (rt === ct && seqs[heap[r]] < seqs[heap[c]])) {
            c = r;
            ct = rt;
          }
        }
        if (t < ct || (t === ct && s < seqs[heap[c]])) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
