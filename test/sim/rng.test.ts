import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RngRegistry, RngStream } from '../../src/sim/rng';

const seed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const name = fc.string({ minLength: 1, maxLength: 30 });

function draw(s: RngStream, n: number): number[] {
  return Array.from({ length: n }, () => s.nextU32());
}

describe('RngRegistry named streams', () => {
  it('same seed and name give the same sequence, in a fresh registry or a reused one', () => {
    fc.assert(
      fc.property(seed, name, (sd, nm) => {
        const a = draw(new RngRegistry(sd).stream(nm), 32);
        const b = draw(new RngRegistry(sd).stream(nm), 32);
        expect(a).toEqual(b);
      }),
    );
  });

  it('asking twice for a name returns the same stream (it continues, not restarts)', () => {
    const r = new RngRegistry(7);
    const s = r.stream('link:h1-sw1:loss');
    expect(r.stream('link:h1-sw1:loss')).toBe(s);
    const first = s.nextU32();
    const fresh = new RngRegistry(7).stream('link:h1-sw1:loss');
    expect(fresh.nextU32()).toBe(first);
    expect(r.stream('link:h1-sw1:loss').nextU32()).toBe(fresh.nextU32());
  });

  it('different names give different sequences', () => {
    fc.assert(
      fc.property(seed, name, name, (sd, n1, n2) => {
        fc.pre(n1 !== n2);
        const r = new RngRegistry(sd);
        expect(draw(r.stream(n1), 8)).not.toEqual(draw(r.stream(n2), 8));
      }),
    );
  });

  it('different seeds give different sequences for the same name', () => {
    fc.assert(
      fc.property(seed, seed, name, (s1, s2, nm) => {
        fc.pre(s1 !== s2);
        expect(draw(new RngRegistry(s1).stream(nm), 8)).not.toEqual(draw(new RngRegistry(s2).stream(nm), 8));
      }),
    );
  });

  it('seeds above 2^32 are not folded onto small seeds', () => {
    expect(draw(new RngRegistry(2 ** 32 + 5).stream('x'), 8)).not.toEqual(draw(new RngRegistry(5).stream('x'), 8));
  });

  it("adding a stream (a new device) does not change another stream's values, whatever the order of use", () => {
    fc.assert(
      fc.property(seed, fc.uniqueArray(name, { minLength: 2, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (sd, names, picks) => {
        const [watched, ...others] = names;
        // Alone: the watched stream's first values.
        const alone = draw(new RngRegistry(sd).stream(watched), picks.length);
        // Interleaved with draws from other streams created before and between.
        const r = new RngRegistry(sd);
        for (const o of others) r.stream(o).next();
        const mixed: number[] = [];
        for (const p of picks) {
          r.stream(others[p % others.length]).nextU32();
          mixed.push(r.stream(watched).nextU32());
        }
        expect(mixed).toEqual(alone);
      }),
    );
  });

  it('next() is always in [0, 1)', () => {
    fc.assert(
      fc.property(seed, name, (sd, nm) => {
        const s = new RngRegistry(sd).stream(nm);
        for (let i = 0; i < 200; i++) {
          const x = s.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('int(n) is a whole number in [0, n)', () => {
    fc.assert(
      fc.property(seed, name, fc.integer({ min: 1, max: 2 ** 31 }), (sd, nm, n) => {
        const s = new RngRegistry(sd).stream(nm);
        for (let i = 0; i < 50; i++) {
          const x = s.int(n);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(n);
        }
      }),
    );
  });

  it('int(n) covers every value of a small range, roughly evenly', () => {
    const s = new RngRegistry(3).stream('dice');
    const counts = new Array<number>(6).fill(0);
    const N = 60_000;
    for (let i = 0; i < N; i++) counts[s.int(6)]++;
    for (const c of counts) expect(Math.abs(c - N / 6)).toBeLessThan((N / 6) * 0.05);
  });

  it('chance(p) hits about p of the time; chance(0) never and chance(1) always', () => {
    const s = new RngRegistry(11).stream('coin');
    let hits = 0;
    const N = 50_000;
    for (let i = 0; i < N; i++) if (s.chance(0.3)) hits++;
    expect(hits / N).toBeGreaterThan(0.29);
    expect(hits / N).toBeLessThan(0.31);
    for (let i = 0; i < 1000; i++) {
      expect(s.chance(0)).toBe(false);
      expect(s.chance(1)).toBe(true);
    }
  });

  it('uniform(lo, hi) stays within [lo, hi)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (sd, lo, width) => {
        const s = new RngRegistry(sd).stream('u');
        for (let i = 0; i < 50; i++) {
          const x = s.uniform(lo, lo + width);
          expect(x).toBeGreaterThanOrEqual(lo);
          expect(x).toBeLessThan(lo + width);
        }
      }),
    );
  });
});
