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
const GEN_LIMIT = 2 ** 31 - 1;

/** The event kernel. Time never goes backwards; equal times run in the order they were scheduled. */
export class Kernel {
  private nowNs = 0;
  private seqCounter = 0;
  private executed = 0;

  // Per-slot event data (the slot's time and sequence live in the heap, beside it).
  private gens: Int32Array;
  private fns: (EventHandler<never> | null)[] = [];
  private args: unknown[] = [];
  private free: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;

  // The heap holds slot numbers.
  private heap: Int32Array;
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSize = 0;
  private cancelledInHeap = 0;

  constructor(initialCapacity = 1024) {
    this.gens = new Int32Array(initialCapacity);
    this.free = new Int32Array(initialCapacity);
    this.heap = new Int32Array(initialCapacity);
    this.heapTime = new Float64Array(initialCapacity);
    this.heapSeq = new Float64Array(initialCapacity);
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
    return this.heapSize - this.cancelledInHeap;
  }

  /** Schedules `fn(arg)` at absolute time `timeNs` (an integer, not before now). */
  at<A>(timeNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    if (!(timeNs >= this.nowNs && timeNs <= Number.MAX_SAFE_INTEGER && Math.floor(timeNs) === timeNs)) this.badTime(timeNs);
    const slot = this.allocSlot();
    this.fns[slot] = fn as EventHandler<never>;
    this.args[slot] = arg;
    this.push(slot, timeNs, this.seqCounter++);
    return this.gens[slot] * (SLOT_MASK + 1) + slot + 1;
  }

  private badTime(timeNs: number): never {
    throw new RangeError(
      timeNs < this.nowNs ? `cannot schedule in the past: ${timeNs} < now ${this.nowNs}` : `event time must be an integer of nanoseconds, got ${timeNs}`,
    );
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
    this.cancelledInHeap++;
    return true;
  }

  /** Time of the next live event, or undefined when none is pending. */
  peek(): number | undefined {
    this.dropCancelledTop();
    return this.heapSize > 0 ? this.heapTime[0] : undefined;
  }

  /** Runs the next live event. Returns false when nothing is pending. */
  step(): boolean {
    this.dropCancelledTop();
    if (this.heapSize === 0) return false;
    this.drain(Infinity, 1);
    return true;
  }

  /** Runs events with time <= `endNs`, then sets the clock to `endNs`. Returns events run. */
  runUntil(endNs: number): number {
    const before = this.executed;
    this.drain(endNs, Infinity);
    if (endNs > this.nowNs) this.nowNs = endNs;
    return this.executed - before;
  }

  /** Runs until no events are pending, or `maxEvents` have run. Returns events run. */
  run(maxEvents = Infinity): number {
    return this.drain(Infinity, maxEvents);
  }

  /** The event loop: runs live events with time <= endNs, at most maxEvents of them. */
  private drain(endNs: number, maxEvents: number): number {
    let ran = 0;
    const fns = this.fns;
    const args = this.args;
    while (ran < maxEvents && this.heapSize > 0) {
      const time = this.heapTime[0];
      if (time > endNs) break;
      const slot = this.pop();
      const fn = fns[slot] as EventHandler<unknown> | null;
      if (fn === null) {
        this.cancelledInHeap--;
        this.releaseSlot(slot);
        continue;
      }
      const arg = args[slot];
      this.nowNs = time;
      fns[slot] = null;
      if (arg !== undefined) args[slot] = undefined;
      this.executed++;
      ran++;
      this.releaseSlot(slot);
      fn(arg);
    }
    return ran;
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.fns[this.heap[0]] === null) {
      this.cancelledInHeap--;
      this.releaseSlot(this.pop());
    }
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.nextSlot === this.gens.length) this.grow();
    if (this.nextSlot > SLOT_MASK) throw new RangeError('too many pending events');
    return this.nextSlot++;
  }

  private releaseSlot(slot: number): void {
    const g = this.gens[slot] + 1;
    this.gens[slot] = g < GEN_LIMIT ? g : 0;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const n = this.gens.length * 2;
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
    this.gens = grow32(this.gens);
    this.free = grow32(this.free);
    this.heap = grow32(this.heap);
    this.heapTime = grow64(this.heapTime);
    this.heapSeq = grow64(this.heapSeq);
  }

  // A binary min-heap keyed by (time, seq). Keys are kept beside the slots in heap order, so sifting
  // compares adjacent memory instead of following slot indices.
  private push(slot: number, t: number, s: number): void {
    const heap = this.heap;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = ht[parent];
      if (pt < t || (pt === t && hs[parent] < s)) break;
      heap[i] = heap[parent];
      ht[i] = pt;
      hs[i] = hs[parent];
      i = parent;
    }
    heap[i] = slot;
    ht[i] = t;
    hs[i] = s;
  }

  private pop(): number {
    const heap = this.heap;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const top = heap[0];
    const n = --this.heapSize;
    if (n > 0) {
      const last = heap[n];
      const t = ht[n];
      const s = hs[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let ct = ht[c];
        const r = c + 1;
        if (r < n) {
          const rt = ht[r];
          if (rt < ct || (rt === ct && hs[r] < hs[c])) {
            c = r;
            ct = rt;
          }
        }
        if (t < ct || (t === ct && s < hs[c])) break;
        heap[i] = heap[c];
        ht[i] = ct;
        hs[i] = hs[c];
        i = c;
      }
      heap[i] = last;
      ht[i] = t;
      hs[i] = s;
    }
    return top;
  }
}
