import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bytesSchema, durationSchema, formatDurationExact, formatRate, parseBytes, parseDuration, parseRate, rateSchema } from '../../src/sim/units';
import { switchConfigSpec } from '../../src/net/devices/switch/config';
import { formatDuration } from '../../src/sim/time';

function ns(value: unknown): number {
  const r = parseDuration(value);
  if (!r.ok) throw new Error(r.error);
  return r.ns;
}

function durationError(value: unknown): string {
  const r = parseDuration(value);
  if (r.ok) throw new Error(`expected ${String(value)} to be rejected`);
  return r.error;
}

describe('parseDuration', () => {
  it('reads every unit into integer nanoseconds', () => {
    expect(ns('1ns')).toBe(1);
    expect(ns('250us')).toBe(250_000);
    expect(ns('250µs')).toBe(250_000);
    expect(ns('250μs')).toBe(250_000);
    expect(ns('1ms')).toBe(1_000_000);
    expect(ns('1.5s')).toBe(1_500_000_000);
    expect(ns('2m')).toBe(120_000_000_000);
    expect(ns('.5ms')).toBe(500_000);
    expect(ns('1 ms')).toBe(1_000_000);
    expect(ns(' 3ms ')).toBe(3_000_000);
  });

  it('accepts zero with or without a unit', () => {
    expect(ns('0')).toBe(0);
    expect(ns(0)).toBe(0);
    expect(ns('0ms')).toBe(0);
  });

  it('rounds to whole nanoseconds', () => {
    expect(ns('1.0004us')).toBe(1000);
    expect(ns('1.0006us')).toBe(1001);
    expect(ns('0.5ns')).toBe(1);
  });

  it('rejects bare numbers, negatives, garbage and unknown units with a useful message', () => {
    expect(durationError(5)).toBe('5 needs a unit, e.g. 1ms');
    expect(durationError('5')).toBe('"5" needs a unit, e.g. 1ms');
    expect(durationError('-1ms')).toMatch(/cannot be negative/);
    expect(durationError(-3)).toMatch(/cannot be negative/);
    expect(durationError('fast')).toBe('"fast" is not a duration');
    expect(durationError('1 sec')).toBe('"1 sec" has an unknown unit "sec" (use ns, us, ms, s or m)');
    expect(durationError('1MS')).toMatch(/unknown unit "MS"/);
    expect(durationError(true)).toBe('expected a duration like 1ms, got true');
    expect(durationError(Infinity)).toMatch(/duration/);
    expect(durationError('1e300s')).toMatch(/not a duration|too long|unknown unit/);
    expect(durationError('99999999999m')).toMatch(/too long/);
  });

  it('round-trips through formatDurationExact for every non-negative integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (t) => {
        expect(ns(formatDurationExact(t))).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips a whole number of any unit and prints it in that unit or a larger one', () => {
    const units = [
      ['ns', 1],
      ['us', 1e3],
      ['ms', 1e6],
      ['s', 1e9],
      ['m', 60e9],
    ] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...units), (k, [unit, scale]) => {
        const t = ns(`${k}${unit}`);
        expect(t).toBe(k * scale);
        const text = formatDurationExact(t);
        expect(ns(text)).toBe(t);
        expect(text.length).toBeLessThanOrEqual(`${k}${unit}`.length + 4);
      }),
    );
  });

  it('prints the usual values the way people write them', () => {
    expect(formatDurationExact(0)).toBe('0');
    expect(formatDurationExact(1_000_000)).toBe('1ms');
    expect(formatDurationExact(1_500_000)).toBe('1.5ms');
    expect(formatDurationExact(250_000)).toBe('250us');
    expect(formatDurationExact(300e9)).toBe('5m');
    expect(formatDurationExact(90e9)).toBe('90s');
    expect(formatDurationExact(1_000_000_001)).toBe('1.000000001s');
  });

  it('reads the rounded display format of src/sim/time.ts back to within its rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (t) => {
        const back = ns(formatDuration(t));
        const unit = t >= 1e9 ? 1e9 : t >= 1e6 ? 1e6 : t >= 1e3 ? 1e3 : 1;
        expect(Math.abs(back - t)).toBeLessThanOrEqual(unit / 2000 + 1);
      }),
    );
  });
});

describe('parseRate / formatRate', () => {
  const bps = (v: unknown): number => {
    const r = parseRate(v);
    if (!r.ok) throw new Error(r.error);
    return r.bps;
  };
  const rateError = (v: unknown): string => {
    const r = parseRate(v);
    if (r.ok) throw new Error('expected an error');
    return r.error;
  };

  it('reads bps, kbps/Kbps, Mbps, Gbps', () => {
    expect(bps('9600bps')).toBe(9600);
    expect(bps('64kbps')).toBe(64_000);
    expect(bps('64Kbps')).toBe(64_000);
    expect(bps('100Mbps')).toBe(100e6);
    expect(bps('1.5Gbps')).toBe(1.5e9);
    expect(bps('0')).toBe(0);
  });

  it('rejects wrong case, byte rates, bare numbers and negatives', () => {
    expect(rateError('10mbps')).toMatch(/write Mbps/);
    expect(rateError('10gbps')).toMatch(/write Gbps/);
    expect(rateError('10MB/s')).toMatch(/bits per second/);
    expect(rateError('10MBps')).toMatch(/bits per second/);
    expect(rateError(100)).toMatch(/needs a unit, e.g. 100Mbps/);
    expect(rateError('-1Mbps')).toMatch(/negative/);
    expect(rateError('quick')).toBe('"quick" is not a rate');
  });

  it('formats with the largest exact unit and round-trips', () => {
    expect(formatRate(100e6)).toBe('100Mbps');
    expect(formatRate(1.5e9)).toBe('1.5Gbps');
    expect(formatRate(64_000)).toBe('64kbps');
    expect(formatRate(9600)).toBe('9.6kbps');
    expect(formatRate(0)).toBe('0bps');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (r) => {
        expect(bps(formatRate(r))).toBe(r);
      }),
    );
  });
});

describe('parseBytes', () => {
  it('reads plain integers and KB/KiB/MB/MiB', () => {
    const bytes = (v: unknown) => {
      const r = parseBytes(v);
      if (!r.ok) throw new Error(r.error);
      return r.bytes;
    };
    expect(bytes(1500)).toBe(1500);
    expect(bytes('1500')).toBe(1500);
    expect(bytes('1500B')).toBe(1500);
    expect(bytes('64KB')).toBe(64_000);
    expect(bytes('64kB')).toBe(64_000);
    expect(bytes('64KiB')).toBe(65_536);
    expect(bytes('2MB')).toBe(2e6);
    expect(bytes('1MiB')).toBe(1_048_576);
    expect(bytes('1.5KB')).toBe(1500);
  });

  it('rejects fractions of a byte, negatives and unknown units', () => {
    expect(parseBytes('1.5B')).toMatchObject({ ok: false, error: expect.stringMatching(/whole number/) });
    expect(parseBytes(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/negative/) });
    expect(parseBytes('3GB')).toMatchObject({ ok: false, error: expect.stringMatching(/unknown unit "GB"/) });
  });
});

describe('zod helpers', () => {
  const schema = z.strictObject({
    latency: durationSchema,
    jitter: durationSchema.default(0),
    bandwidth: rateSchema.optional(),
    size: bytesSchema.optional(),
  });

  it('transform to numbers and apply defaults', () => {
    expect(schema.parse({ latency: '2ms', bandwidth: '1Gbps', size: '1KiB' })).toEqual({
      latency: 2e6,
      jitter: 0,
      bandwidth: 1e9,
      size: 1024,
    });
  });

  it('report the parser messages and a missing value', () => {
    const r = schema.safeParse({ latency: 'fast', bandwidth: '5' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['latency', '"fast" is not a duration'],
      ['bandwidth', '"5" needs a unit, e.g. 100Mbps'],
    ]);
    expect(schema.safeParse({}).error?.issues[0]).toMatchObject({ path: ['latency'], message: 'required' });
  });
});

describe('the switch config reads durations like the scene grammar', () => {
  // src/net may not import src/scenario, so switch/config.ts carries its own copy of the grammar.
  const ageing = (value: unknown): number | undefined => {
    const r = switchConfigSpec.config.safeParse({ ageing: value });
    return r.success ? r.data.ageing : undefined;
  };

  it('agrees with parseDuration on every positive duration', () => {
    const units = ['ns', 'us', 'µs', 'ms', 's', 'm'] as const;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(...units), (x, unit) => {
        const text = `${Number(x.toFixed(4))}${unit}`;
        const r = parseDuration(text);
        expect(ageing(text)).toBe(r.ok && r.ns > 0 ? r.ns : undefined);
      }),
    );
  });

  it('rejects what parseDuration rejects, and zero', () => {
    for (const bad of ['fast', '5', 5, '-1s', '1 sec', '0', 0, true]) expect(ageing(bad)).toBeUndefined();
    expect(ageing(undefined)).toBe(300e9);
  });
});
