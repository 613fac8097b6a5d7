/**
 * The discrete-event kernel: an integer-nanosecond clock and a binary heap of pending events ordered
 * by (time, insertion sequence). Pending events live in typed arrays indexed by a reusable slot, so a
 * queue of 10,000 events is a handful of arrays rather than 10,000 objects.
 *
 * Lanes: events that a source schedules in time order (a fixed timeout per request, a link's
 * arrivals) can wait in a FIFO lane instead of the heap; only each lane's first event is in the
 * heap. Thousands of pending timeouts then cost the heap one entry. The order events run in is
 * still exactly (time, seq): a lane is only a cheaper way to keep part of the queue sorted.
 */

/** A callback run when its event fires; `arg` is whatever was passed to {@link Kernel.at}. */
export type EventHandler<A = unknown> = (arg: A) => void;

/** Opaque handle of a scheduled event, used to cancel it. 0 is never a valid handle. */
export type TimerId = number;

const SLOT_BITS = 22; // up to 4M pending events at once

/** Handle of a lane (see {@link Kernel.lane}). */
export type LaneId = number;

/** A FIFO of pending events in (time, seq) order, in ring buffers. */
class Lane {
  slots = new Int32Array(16);
  times = new Float64Array(16);
  seqs = new Float64Array(16);
  head = 0;
  count = 0;
  /** Time of the last event queued (valid while count > 0). */
  lastTime = 0;

  push(slot: number, time: number, seq: number): void {
    if (this.count === this.slots.length) this.grow();
    const i = (this.head + this.count) & (this.slots.length - 1);
    this.slots[i] = slot;
    this.times[i] = time;
    this.seqs[i] = seq;
    this.count++;
    this.lastTime = time;
  }

  private grow(): void {
    const n = this.slots.length;
    const slots = new Int32Array(2 * n);
    const times = new Float64Array(2 * n);
    const seqs = new Float64Array(2 * n);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (n - 1);
      slots[k] = this.slots[i];
      times[k] = this.times[i];
      seqs[k] = this.seqs[i];
    }
    this.slots = slots;
    this.times = times;
    this.seqs = seqs;
    this.head = 0;
  }
}
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

  // The heap holds slot numbers, and ~lane (a negative number) for a lane's first event.
  private heap: Int32Array;
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSize = 0;
  private readonly lanes: Lane[] = [];
  /** Events waiting in the heap or a lane, cancelled ones included. */
  private queued = 0;
  private cancelledQueued = 0;

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
    return this.queued - this.cancelledQueued;
  }

  /** Schedules `fn(arg)` at absolute time `timeNs` (an integer, not before now). */
  at<A>(timeNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    if (!(timeNs >= this.nowNs && timeNs <= Number.MAX_SAFE_INTEGER && Math.floor(timeNs) === timeNs)) this.badTime(timeNs);
    const slot = this.allocSlot();
    this.fns[slot] = fn as EventHandler<never>;
    this.args[slot] = arg;
    this.queued++;
    this.push(slot, timeNs, this.seqCounter++);
    return this.gens[slot] * (SLOT_MASK + 1) + slot + 1;
  }

  /**
   * A new lane: a queue for events its user schedules in nondecreasing time order (with
   * {@link atInLane}), much cheaper than the heap when many are pending at once.
   */
  lane(): LaneId {
    this.lanes.push(new Lane());
    return this.lanes.length - 1;
  }

  /**
   * {@link at}, queued in `lane`. An event earlier than the lane's last one goes to the heap
   * instead, so any time is allowed and the run order is the same as with {@link at}.
   */
  atInLane<A>(lane: LaneId, timeNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    const q = this.lanes[lane];
    if (q.count > 0 && timeNs < q.lastTime) return this.at(timeNs, fn, arg);
    if (!(timeNs >= this.nowNs && timeNs <= Number.MAX_SAFE_INTEGER && Math.floor(timeNs) === timeNs)) this.badTime(timeNs);
    const slot = this.allocSlot();
    this.fns[slot] = fn as EventHandler<never>;
    this.args[slot] = arg;
    this.queued++;
    const seq = this.seqCounter++;
    q.push(slot, timeNs, seq);
    if (q.count === 1) this.push(~lane, timeNs, seq);
    return this.gens[slot] * (SLOT_MASK + 1) + slot + 1;
  }

  /** {@link atInLane} after `delayNs`. */
  afterInLane<A>(lane: LaneId, delayNs: number, fn: EventHandler<A>, arg?: A): TimerId {
    return this.atInLane(lane, this.nowNs + delayNs, fn, arg);
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
    this.cancelledQueued++;
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
      const slot = this.takeFirst();
      const fn = fns[slot] as EventHandler<unknown> | null;
      if (fn === null) {
        this.cancelledQueued--;
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
    while (this.heapSize > 0) {
      const top = this.heap[0];
      const first = top >= 0 ? top : this.lanes[~top].slots[this.lanes[~top].head];
      if (this.fns[first] !== null) return;
      this.cancelledQueued--;
      this.releaseSlot(this.takeFirst());
    }
  }

  /** Removes the earliest queued event (the heap's top, or the first of the lane on top); returns its slot. */
  private takeFirst(): number {
    this.queued--;
    const top = this.heap[0];
    return top >= 0 ? this.pop() : this.takeFromLane(top);
  }

  /** {@link takeFirst} when the heap's top is lane `~top`'s first event. */
  private takeFromLane(top: number): number {
    const q = this.lanes[~top];
    const slot = q.slots[q.head];
    q.head = (q.head + 1) & (q.slots.length - 1);
    q.count--;
    // The lane's next event takes its place in the heap.
    if (q.count > 0) this.siftDown(top, q.times[q.head], q.seqs[q.head]);
    else this.pop();
    return slot;
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
    const top = heap[0];
    const n = --this.heapSize;
    if (n > 0) this.siftDown(heap[n], this.heapTime[n], this.heapSeq[n]);
    return top;
  }

  /** Puts entry `last` with key (t, s) in place of the top and sifts it down. */
  private siftDown(last: number, t: number, s: number): void {
    const heap = this.heap;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const n = this.heapSize;
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
}
