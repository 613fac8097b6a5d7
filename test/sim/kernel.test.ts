import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Kernel } from '../../src/sim/kernel';
import { RngStream } from '../../src/sim/rng';

/** The surface of the kernel the driver uses; both the real kernel and the reference model have it. */
interface Sched {
  readonly now: number;
  readonly pending: number;
  at(t: number, fn: (arg: unknown) => void, arg?: unknown): number;
  cancel(id: number): boolean;
  peek(): number | undefined;
  step(): boolean;
  runUntil(t: number): number;
  run(): number;
}

/** The obvious reference: a sorted array of pending events, (time, seq) order, linear everything. */
class RefKernel implements Sched {
  now = 0;
  private seq = 0;
  private nextId = 1;
  private events: { time: number; seq: number; id: number; fn: (a: unknown) => void; arg: unknown }[] = [];

  get pending(): number {
    return this.events.length;
  }
  at(t: number, fn: (arg: unknown) => void, arg?: unknown): number {
    if (!Number.isSafeInteger(t) || t < this.now) throw new RangeError('bad time');
    const id = this.nextId++;
    this.events.push({ time: t, seq: this.seq++, id, fn, arg });
    this.events.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return id;
  }
  cancel(id: number): boolean {
    const i = this.events.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }
  peek(): number | undefined {
    return this.events[0]?.time;
  }
  step(): boolean {
    const e = this.events.shift();
    if (!e) return false;
    this.now = e.time;
    e.fn(e.arg);
    return true;
  }
  runUntil(t: number): number {
    let n = 0;
    while (this.events.length && this.events[0].time <= t) {
      this.step();
      n++;
    }
    if (t > this.now) this.now = t;
    return n;
  }
  run(): number {
    let n = 0;
    while (this.step()) n++;
    return n;
  }
}

/** The kernel with each `at` sent to a lane (or, for -1, the heap) in turn by `route`. */
class LaneKernel implements Sched {
  private readonly k = new Kernel(4);
  private readonly lanes = [this.k.lane(), this.k.lane(), this.k.lane()];
  private n = 0;
  constructor(private readonly route: number[]) {}
  get now(): number {
    return this.k.now;
  }
  get pending(): number {
    return this.k.pending;
  }
  at(t: number, fn: (arg: unknown) => void, arg?: unknown): number {
    const r = this.route[this.n++ % this.route.length];
    return r < 0 ? this.k.at(t, fn, arg) : this.k.atInLane(this.lanes[r], t, fn, arg);
  }
  cancel(id: number): boolean {
    return this.k.cancel(id);
  }
  peek(): number | undefined {
    return this.k.peek();
  }
  step(): boolean {
    return this.k.step();
  }
  runUntil(t: number): number {
    return this.k.runUntil(t);
  }
  run(): number {
    return this.k.run();
  }
}

/** What an event does when it fires. */
type Action = { op: 'at'; delay: number } | { op: 'cancel'; pick: number } | { op: 'cancelSelf' };

type Cmd = { op: 'at'; delay: number; actions: Action[] } | { op: 'cancel'; pick: number } | { op: 'step' } | { op: 'peek' } | { op: 'runUntil'; dt: number };

const delay = fc.integer({ min: 0, max: 30 }); // small range: many equal times
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('at' as const), delay }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.constant({ op: 'cancelSelf' as const }),
);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('at' as const), delay, actions: fc.array(action, { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ op: 'step' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('runUntil' as const), dt: fc.integer({ min: 0, max: 40 }) }) },
);

interface Outcome {
  /** (label, time) of every event that ran, in order. */
  fired: [number, number][];
  /** Every observable return value, in order. */
  results: unknown[];
  /** Labels whose cancel succeeded. */
  cancelled: Set<number>;
  /** Pairs of (clock after runUntil, requested end). */
  runUntilEnds: [number, number][];
}

/** Runs a command list against a scheduler; everything observable goes in the outcome. */
function drive(k: Sched, cmds: Cmd[]): Outcome {
  const out: Outcome = { fired: [], results: [], cancelled: new Set(), runUntilEnds: [] };
  const ids: number[] = [];
  const labelOf = new Map<number, number>();
  let nextLabel = 0;
  const schedule = (d: number, actions: Action[]): void => {
    const label = nextLabel++;
    const id = k.at(k.now + d, () => {
      out.fired.push([label, k.now]);
      for (const a of actions) {
        if (a.op === 'at') schedule(a.delay, []);
        else if (a.op === 'cancelSelf') out.results.push(['cancelSelf', k.cancel(id)]);
        else cancelPick(a.pick);
      }
    });
    ids.push(id);
    labelOf.set(id, label);
  };
  const cancelPick = (pick: number): void => {
    if (ids.length === 0) return;
    const id = ids[pick % ids.length];
    const ok = k.cancel(id);
    if (ok) out.cancelled.add(labelOf.get(id)!);
    out.results.push(['cancel', labelOf.get(id), ok]);
  };
  for (const c of cmds) {
    switch (c.op) {
      case 'at':
        schedule(c.delay, c.actions);
        break;
      case 'cancel':
        cancelPick(c.pick);
        break;
      case 'step':
        out.results.push(['step', k.step(), k.now]);
        break;
      case 'peek': {
        const p = k.peek();
        out.results.push(['peek', p]);
        break;
      }
      case 'runUntil': {
        const end = k.now + c.dt;
        out.results.push(['runUntil', k.runUntil(end)]);
        out.runUntilEnds.push([k.now, end]);
        break;
      }
    }
    out.results.push(['pending', k.pending]);
  }
  out.results.push(['run', k.run(), k.now, k.pending]);
  return out;
}

describe('Kernel against a sorted-array reference', () => {
  it('runs the same events at the same times with the same return values, under any interleaving', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        const real = drive(new Kernel(4), cmds);
        const ref = drive(new RefKernel(), cmds);
        expect(real.fired).toEqual(ref.fired);
        expect(real.results).toEqual(ref.results);
      }),
      { numRuns: 400 },
    );
  });

  it('with events spread over lanes (in order or not), runs exactly what the reference runs', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 1, maxLength: 7 }), (cmds, route) => {
        const real = drive(new LaneKernel(route), cmds);
        const ref = drive(new RefKernel(), cmds);
        expect(real.fired).toEqual(ref.fired);
        expect(real.results).toEqual(ref.results);
      }),
      { numRuns: 400 },
    );
  });

  it('a lane of a thousand timeouts, most cancelled, runs in (time, seq) order beside heap events', () => {
    const fire = (k: { now: number }, fired: [number, number][]) => (n: number) => fired.push([n, k.now]);
    const k = new Kernel(4);
    const ref = new RefKernel();
    const lane = k.lane();
    const rng = new RngStream(5, 'test:lane');
    const got: [number, number][] = [];
    const want: [number, number][] = [];
    const ids: number[] = [];
    const refIds: number[] = [];
    for (let i = 0; i < 1000; i++) {
      // Timeouts in time order (equal times included) in the lane, other events at random times in the heap.
      ids.push(k.atInLane(lane, 100 + (i >> 1), fire(k, got), i));
      refIds.push(ref.at(100 + (i >> 1), fire(ref, want) as (a: unknown) => void, i));
      const t = rng.int(700);
      k.at(t, fire(k, got), 10_000 + i);
      ref.at(t, fire(ref, want) as (a: unknown) => void, 10_000 + i);
    }
    for (let i = 0; i < 1000; i += 3) {
      expect(k.cancel(ids[i])).toBe(true);
      ref.cancel(refIds[i]);
    }
    expect(k.pending).toBe(2000 - 334);
    expect(k.run()).toBe(2000 - 334);
    ref.run();
    expect(got).toEqual(want);
    expect(k.pending).toBe(0);
  });

  it('never goes back in time, and runs equal times in the order they were scheduled', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        const { fired } = drive(new Kernel(4), cmds);
        for (let i = 1; i < fired.length; i++) {
          const [prevLabel, prevT] = fired[i - 1];
          const [label, t] = fired[i];
          expect(t).toBeGreaterThanOrEqual(prevT);
          // Labels are handed out in scheduling order, so at one time they must rise.
          if (t === prevT) expect(label).toBeGreaterThan(prevLabel);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never runs an event whose cancel succeeded (also when cancelled from inside a handler)', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        const { fired, cancelled } = drive(new Kernel(4), cmds);
        for (const [label] of fired) expect(cancelled.has(label)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('runUntil(t) leaves the clock exactly at t', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 60 }), (cmds) => {
        const { runUntilEnds } = drive(new Kernel(4), cmds);
        for (const [now, end] of runUntilEnds) expect(now).toBe(end);
      }),
    );
  });
});

describe('Kernel basics', () => {
  it('runUntil runs exactly the events at or before t, none after', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 50 }), fc.integer({ min: 0, max: 1000 }), (times, t) => {
        const k = new Kernel();
        const ran: number[] = [];
        for (const x of times) k.at(x, () => ran.push(x));
        const n = k.runUntil(t);
        const expected = times.filter((x) => x <= t).sort((a, b) => a - b);
        expect(ran).toEqual(expected);
        expect(n).toBe(expected.length);
        expect(k.now).toBe(t);
        expect(k.pending).toBe(times.length - expected.length);
        expect(k.peek()).toBe(times.filter((x) => x > t).sort((a, b) => a - b)[0]);
      }),
    );
  });

  it('peek names the time of the event step will run next, skipping cancelled ones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.boolean()), { maxLength: 40 }), (plan) => {
        const k = new Kernel(2);
        let lastRun = -1;
        for (const [t, cancel] of plan) {
          const id = k.at(t, () => {
            lastRun = k.now;
          });
          if (cancel) k.cancel(id);
        }
        for (;;) {
          const p = k.peek();
          const stepped = k.step();
          expect(stepped).toBe(p !== undefined);
          if (!stepped) break;
          expect(lastRun).toBe(p);
          expect(k.now).toBe(p);
        }
        expect(k.pending).toBe(0);
      }),
    );
  });

  it('an event may schedule more events at the current time; they run after it, in order', () => {
    const k = new Kernel();
    const log: string[] = [];
    k.at(5, () => {
      log.push('a');
      k.after(0, () => log.push('c'));
      k.at(5, () => log.push('d'));
    });
    k.at(5, () => log.push('b'));
    k.run();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    expect(k.now).toBe(5);
  });

  it('refuses to schedule in the past or at a time that is not an integer of nanoseconds', () => {
    const k = new Kernel();
    k.at(100, () => {});
    k.runUntil(100);
    expect(() => k.at(99, () => {})).toThrow(RangeError);
    expect(() => k.after(-1, () => {})).toThrow(RangeError);
    expect(() => k.at(100.5, () => {})).toThrow(RangeError);
    expect(() => k.after(0.25, () => {})).toThrow(RangeError);
    expect(() => k.at(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => k.at(Number.POSITIVE_INFINITY, () => {})).toThrow(RangeError);
    expect(() => k.at(2 ** 60, () => {})).toThrow(RangeError);
    // A refused event leaves nothing behind, and "now" itself is still allowed.
    expect(k.pending).toBe(0);
    let ran = false;
    k.at(100, () => (ran = true));
    expect(k.run()).toBe(1);
    expect(ran).toBe(true);
  });

  it('property: any negative delay or fractional time throws and changes nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.oneof(
          fc.integer({ min: -1e6, max: -1 }),
          fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: 0.001, max: 0.999, noNaN: true })).map(([n, f]) => n + f),
        ),
        (start, bad) => {
          const k = new Kernel();
          k.runUntil(start);
          expect(() => k.after(bad, () => {})).toThrow(RangeError);
          expect(k.pending).toBe(0);
          expect(k.peek()).toBeUndefined();
        },
      ),
    );
  });

  it('cancel reports whether it stopped something: false after the event ran, on a second cancel, for 0', () => {
    const k = new Kernel();
    let runs = 0;
    const a = k.at(1, () => runs++);
    const b = k.at(2, () => runs++);
    expect(k.cancel(b)).toBe(true);
    expect(k.cancel(b)).toBe(false);
    expect(k.cancel(0)).toBe(false);
    k.run();
    expect(k.cancel(a)).toBe(false);
    expect(runs).toBe(1);
    expect(k.eventsExecuted).toBe(1);
  });

  it('a stale handle never cancels a newer event that reuses its storage', () => {
    const k = new Kernel(1);
    let first = 0;
    let second = 0;
    const a = k.at(1, () => first++);
    k.step();
    const b = k.at(2, () => second++); // reuses the freed slot
    expect(b).not.toBe(a);
    expect(k.cancel(a)).toBe(false);
    k.run();
    expect(first).toBe(1);
    expect(second).toBe(1);
  });

  it('a handler cancelling itself gets false; cancelling a later event at the same time stops it', () => {
    const k = new Kernel();
    const log: string[] = [];
    let selfResult: boolean | undefined;
    let later = 0;
    const me: number = k.at(10, () => {
      log.push('me');
      selfResult = k.cancel(me);
      expect(k.cancel(later)).toBe(true);
    });
    later = k.at(10, () => log.push('later'));
    k.at(10, () => log.push('last'));
    k.run();
    expect(selfResult).toBe(false);
    expect(log).toEqual(['me', 'last']);
  });

  it('run(maxEvents) stops after that many events and can continue', () => {
    const k = new Kernel();
    for (let i = 0; i < 10; i++) k.at(i, () => {});
    expect(k.run(3)).toBe(3);
    expect(k.now).toBe(2);
    expect(k.pending).toBe(7);
    expect(k.run()).toBe(7);
    expect(k.now).toBe(9);
  });

  it('keeps (time, seq) order for 100k events far past its initial capacity, with cancellations', () => {
    const k = new Kernel(16);
    const rng = new RngStream(42, 'kernel-test');
    const N = 100_000;
    const times: number[] = [];
    const ids: number[] = [];
    const got: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = rng.int(5000); // many ties
      times.push(t);
      ids.push(k.at(t, (label: number) => got.push(label), i));
    }
    const cancelled = new Set<number>();
    for (let i = 0; i < N; i += 7) {
      expect(k.cancel(ids[i])).toBe(true);
      cancelled.add(i);
    }
    expect(k.pending).toBe(N - cancelled.size);
    k.run();
    const expected = times
      .map((t, i) => ({ t, i }))
      .filter((e) => !cancelled.has(e.i))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map((e) => e.i);
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
    expect(k.now).toBe(Math.max(...expected.map((i) => times[i])));
  });

  it('growth in the middle of a run (handlers scheduling more) keeps order', () => {
    const k = new Kernel(2);
    const seen: number[] = [];
    // Each event at time t schedules two more at t+1 until depth 14: 2^15-1 events, heap grows many times.
    const spawn = (depth: number) => {
      seen.push(k.now);
      if (depth < 14) {
        k.after(1, spawn, depth + 1);
        k.after(1, spawn, depth + 1);
      }
    };
    k.at(0, spawn, 0);
    k.run();
    expect(seen.length).toBe(2 ** 15 - 1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(k.now).toBe(14);
  });
});
