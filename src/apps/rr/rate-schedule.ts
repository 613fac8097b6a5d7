/**
 * An arrival rate that changes over time, written `2000` (constant) or `500@0s,2000@10s,500@20s`
 * (points: the rate from that time on). Steps by default; with ramping, the rate moves linearly
 * from one point to the next. Times are from the program's start.
 */
import { parseSeconds } from '../command';

interface RatePoint {
  readonly atNs: number;
  /** Requests per second. */
  readonly rate: number;
}

export interface RateSchedule {
  readonly points: readonly RatePoint[];
  readonly ramp: boolean;
}

/** Parses a rate schedule, or returns an error text. */
export function parseRateSchedule(text: string, ramp: boolean): RateSchedule | string {
  const points: RatePoint[] = [];
  for (const part of text.split(',')) {
    const [r, at] = part.split('@');
    const rate = Number(r);
    if (r.trim() === '' || !Number.isFinite(rate) || rate < 0) return `"${part}": a rate is requests per second, e.g. 2000 or 2000@10s`;
    const atNs = at === undefined ? 0 : parseSeconds(at);
    if (atNs === undefined) return `"${part}": "${at}" is not a time`;
    if (points.length && atNs <= points[points.length - 1].atNs) return `"${part}": times must increase`;
    points.push({ atNs, rate });
  }
  if (points[0].atNs !== 0) points.unshift({ atNs: 0, rate: 0 });
  return { points, ramp };
}

/** The rate (per second) at `t` ns after the start. */
export function rateAt(s: RateSchedule, t: number): number {
  const p = s.points;
  let i = 0;
  while (i + 1 < p.length && p[i + 1].atNs <= t) i++;
  if (!s.ramp || i + 1 >= p.length) return p[i].rate;
  const a = p[i];
  const b = p[i + 1];
  return a.rate + ((b.rate - a.rate) * (t - a.atNs)) / (b.atNs - a.atNs);
}

/** The highest rate the schedule reaches. */
export function maxRate(s: RateSchedule): number {
  return Math.max(...s.points.map((p) => p.rate));
}
