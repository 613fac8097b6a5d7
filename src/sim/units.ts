/**
 * Units in scene files: durations (`1ms`, `250us`, `1.5s`), bit rates (`100Mbps`) and byte sizes
 * (`1500`, `64KiB`). Parsers never throw; they return a result with a message written for the
 * person editing the scene. The zod helpers turn the same messages into schema issues.
 */
import { z } from 'zod';

/** Result of parsing a duration: integer nanoseconds, or a message. */
export type DurationResult = { ok: true; ns: number } | { ok: false; error: string };
/** Result of parsing a bit rate: bits per second, or a message. */
export type RateResult = { ok: true; bps: number } | { ok: false; error: string };
/** Result of parsing a size: whole bytes, or a message. */
export type BytesResult = { ok: true; bytes: number } | { ok: false; error: string };

/** Nanoseconds per duration unit. `µs` (micro sign) and `μs` (Greek mu) are spellings of `us`. */
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
};

/** Bits per second per rate unit. The kilo prefix may be `k` or `K`; `M` and `G` only upper case. */
const RATE_UNITS: Readonly<Record<string, number>> = {
  bps: 1,
  kbps: 1e3,
  Kbps: 1e3,
  Mbps: 1e6,
  Gbps: 1e9,
};

/** Bytes per size unit: decimal `KB`/`kB`/`MB`, binary `KiB`/`MiB`; no unit means bytes. */
const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  KB: 1e3,
  kB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 * 1024,
};

/** A non-negative or negative decimal number followed by an optional unit. */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)\s*([^\d\s.+-][^\s]*)?$/;

interface Quantity {
  readonly negative: boolean;
  readonly value: number;
  readonly unit: string;
}

/** Shows a scene value in a message: strings quoted, everything else as written. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : 'an object';
}

/** Splits `1.5ms` / `-3 s` / `7` into sign, magnitude and unit; undefined when it is not that shape. */
function splitQuantity(value: unknown): Quantity | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return { negative: value < 0, value: Math.abs(value), unit: '' };
  }
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  return { negative: m[1] === '-', value: Number(m[2]), unit: m[3] ?? '' };
}

function unitList(units: Readonly<Record<string, number>>, skip: readonly string[] = []): string {
  const names = Object.keys(units).filter((u) => u !== '' && !skip.includes(u));
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Parses a duration such as `1ms`, `250us`, `250µs`, `1.5s`, `2m` or `0` into integer nanoseconds
 * (rounded). Negative durations, bare non-zero numbers and unknown units are rejected.
 */
export function parseDuration(value: unknown): DurationResult {
  const q = splitQuantity(value);
  if (!q) {
    if (typeof value === 'string') return { ok: false, error: `${show(value)} is not a duration` };
    return { ok: false, error: `expected a duration like 1ms, got ${show(value)}` };
  }
  if (q.negative && q.value !== 0) return { ok: false, error: `${show(value)}: durations cannot be negative` };
  if (q.unit === '') {
    if (q.value === 0) return { ok: true, ns: 0 };
    return { ok: false, error: `${show(value)} needs a unit, e.g. 1ms` };
  }
  const scale = DURATION_UNITS[q.unit];
  if (scale === undefined) {
    return {
      ok: false,
      error: `${show(value)} has an unknown unit "${q.unit}" (use ${unitList(DURATION_UNITS, ['µs', 'μs'])})`,
    };
  }
  const ns = Math.round(q.value * scale);
  if (!Number.isSafeInteger(ns)) return { ok: false, error: `${show(value)} is too long` };
  return { ok: true, ns };
}

/**
 * Parses a bit rate such as `100Mbps`, `1.5Gbps`, `64kbps`, `64Kbps` or `9600bps` into bits per
 * second. `0` alone is accepted; other bare numbers need a unit. Bytes per second are rejected.
 */
export function parseRate(value: unknown): RateResult {
  const q = splitQuantity(value);
  if (!q) {
    if (typeof value === 'string') return { ok: false, error: `${show(value)} is not a rate` };
    return { ok: false, error: `expected a rate like 100Mbps, got ${show(value)}` };
  }
  if (q.negative && q.value !== 0) return { ok: false, error: `${show(value)}: rates cannot be negative` };
  if (q.unit === '') {
    if (q.value === 0) return { ok: true, bps: 0 };
    return { ok: false, error: `${show(value)} needs a unit, e.g. 100Mbps` };
  }
  const scale = RATE_UNITS[q.unit];
  if (scale === undefined) {
    const fixed = Object.keys(RATE_UNITS).find((u) => u.toLowerCase() === q.unit.toLowerCase());
    const hint = /B(ps|\/s)$/.test(q.unit)
      ? `rates are in bits per second: ${unitList(RATE_UNITS, ['Kbps'])}`
      : fixed
        ? `write ${fixed}`
        : `use ${unitList(RATE_UNITS, ['Kbps'])}`;
    return { ok: false, error: `${show(value)} has an unknown unit "${q.unit}" (${hint})` };
  }
  const bps = q.value * scale;
  if (!Number.isFinite(bps)) return { ok: false, error: `${show(value)} is too large` };
  return { ok: true, bps };
}

/**
 * Parses a size in bytes: a plain whole number (`1500`) or a number with `B`, `KB`/`kB` (1000),
 * `KiB` (1024), `MB` or `MiB`. The result must be a whole number of bytes.
 */
export function parseBytes(value: unknown): BytesResult {
  const q = splitQuantity(value);
  if (!q) {
    if (typeof value === 'string') return { ok: false, error: `${show(value)} is not a size in bytes` };
    return { ok: false, error: `expected a size like 1500 or 64KiB, got ${show(value)}` };
  }
  if (q.negative && q.value !== 0) return { ok: false, error: `${show(value)}: sizes cannot be negative` };
  const scale = BYTE_UNITS[q.unit];
  if (scale === undefined) {
    return { ok: false, error: `${show(value)} has an unknown unit "${q.unit}" (use ${unitList(BYTE_UNITS)})` };
  }
  const bytes = q.value * scale;
  if (!Number.isSafeInteger(bytes)) {
    return { ok: false, error: `${show(value)} is not a whole number of bytes` };
  }
  return { ok: true, bytes };
}

/** Picks the largest unit whose rendering parses back to exactly `value`. */
function formatExact(value: number, units: readonly (readonly [string, number])[], parse: (text: string) => number | undefined): string {
  for (const [unit, scale] of units) {
    if (Math.abs(value) < scale && scale !== units[units.length - 1][1]) continue;
    const text = `${value / scale}${unit}`;
    if (parse(text) === value) return text;
  }
  const [lastUnit] = units[units.length - 1];
  return `${value}${lastUnit}`;
}

const DURATION_FORMAT = [
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
  ['ns', 1],
] as const;

/**
 * Formats integer nanoseconds (>= 0) the way a scene writes them, losslessly:
 * `parseDuration(formatDurationExact(t)).ns === t`. Whole minutes print as `m`, otherwise the
 * largest of `s`, `ms`, `us`, `ns` that stays exact (`1.5ms`, `250us`, `1000000001ns`).
 * For display with rounding see `formatDuration` in src/sim/time.ts.
 */
export function formatDurationExact(ns: number): string {
  if (ns === 0) return '0';
  if (ns >= 60e9 && ns % 60e9 === 0) return `${ns / 60e9}m`;
  return formatExact(ns, DURATION_FORMAT, (text) => {
    const r = parseDuration(text);
    return r.ok ? r.ns : undefined;
  });
}

const RATE_FORMAT = [
  ['Gbps', 1e9],
  ['Mbps', 1e6],
  ['kbps', 1e3],
  ['bps', 1],
] as const;

/**
 * Formats bits per second with the largest unit that stays exact: `100Mbps`, `1.5Gbps`, `64kbps`,
 * `9600bps`. `parseRate(formatRate(r)).bps === r` for finite `r >= 0`.
 */
export function formatRate(bps: number): string {
  if (bps === 0) return '0bps';
  return formatExact(bps, RATE_FORMAT, (text) => {
    const r = parseRate(text);
    return r.ok ? r.bps : undefined;
  });
}

/** Turns a parse result into a zod transform that reports the parser's message as the issue. */
function unitSchema<R>(parse: (value: unknown) => ({ ok: true } & R) | { ok: false; error: string }, pick: (r: R) => number) {
  return z.unknown().transform((value, ctx): number => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required', input: value });
      return z.NEVER;
    }
    const r = parse(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: (r as { error: string }).error, input: value });
      return z.NEVER;
    }
    return pick(r as R);
  });
}

/** Zod schema: a duration string -> integer nanoseconds, with `parseDuration`'s messages. */
export const durationSchema = unitSchema<{ ns: number }>(parseDuration, (r) => r.ns);

/** Zod schema: a rate string -> bits per second, with `parseRate`'s messages. */
export const rateSchema = unitSchema<{ bps: number }>(parseRate, (r) => r.bps);

/** Zod schema: a size -> whole bytes, with `parseBytes`'s messages. */
export const bytesSchema = unitSchema<{ bytes: number }>(parseBytes, (r) => r.bytes);
