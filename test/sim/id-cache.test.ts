import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdCache } from '../../src/sim/id-cache';

describe('IdCache', () => {
  it('answers like a Map for any sequence of sets and gets, across growth', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.nat()), { maxLength: 3000 }), fc.array(key, { maxLength: 200 }), (sets, probes) => {
        const cache = new IdCache(2);
        const map = new Map<number, number>();
        for (const [k, id] of sets) {
          cache.set(k, id);
          map.set(k, id);
        }
        expect(cache.size).toBe(map.size);
        for (const [k] of sets) expect(cache.get(k)).toBe(map.get(k));
        for (const k of probes) expect(cache.get(k)).toBe(map.get(k) ?? -1);
      }),
    );
  });

  it('keeps keys that collide apart (dense runs of keys all land in a small table)', () => {
    const cache = new IdCache(1);
    for (let k = 0; k < 10_000; k++) cache.set(k * 4096, k);
    for (let k = 0; k < 10_000; k++) expect(cache.get(k * 4096)).toBe(k);
    expect(cache.get(1)).toBe(-1);
  });

  it('refuses keys that are not unsigned 32-bit integers, and never finds them', () => {
    const cache = new IdCache();
    cache.set(5, 1);
    cache.set(0xffff_ffff, 2);
    expect(() => cache.set(-1, 0)).toThrow(RangeError);
    expect(() => cache.set(0.5, 0)).toThrow(RangeError);
    expect(() => cache.set(2 ** 32, 0)).toThrow(RangeError);
    expect(cache.get(2 ** 32 + 5)).toBe(-1);
    expect(cache.get(-1)).toBe(-1);
    expect(cache.get(5.5)).toBe(-1);
    expect(cache.get(0xffff_ffff)).toBe(2);
    expect(cache.size).toBe(2);
  });
});
