/**
 * Service-time distributions for RR servers, written in commands as `const:5ms`, `exp:20ms`
 * (exponential with that mean) or `lognormal:20ms:0.5` (that mean, and sigma 0.5 of the underlying
 * normal: a long right tail, like real request latencies). A bare time (`5ms`) is constant.
 */
import type { RngStream } from '../../sim/rng';
import { parseSeconds } from '../command';

export type ServiceTime =
  | { readonly kind: 'const'; readonly meanNs: number }
  | { readonly kind: 'exp'; readonly meanNs: number }
  | { readonly kind: 'lognormal'; readonly meanNs: number; readonly sigma: number };

/** Parses a service-time spec, or returns an error text. */
export function parseServiceTime(text: string): ServiceTime | string {
  const parts = text.split(':');
  const kind = parts.length === 1 ? 'const' : parts[0];
  const mean = parseSeconds(parts.length === 1 ? parts[0] : (parts[1] ?? ''));
  if (mean === undefined) return `"${text}": write const:5ms, exp:20ms or lognormal:20ms:0.5`;
  if (kind === 'const' || kind === 'exp') {
    if (parts.length > 2) return `"${text}": ${kind} takes only a mean`;
    return { kind, meanNs: mean };
  }
  if (kind === 'lognormal') {
    const sigma = parts.length === 3 ? Number(parts[2]) : 0.5;
    if (!(sigma >= 0 && sigma <= 5)) return `"${text}": lognormal sigma must be 0 to 5`;
    return { kind, meanNs: mean, sigma };
  }
  return `"${text}": unknown distribution "${kind}" (const, exp, lognormal)`;
}

/** One draw, integer ns (at least 1 unless the mean is 0). */
export function sampleServiceTime(d: ServiceTime, rng: RngStream): number {
  if (d.meanNs === 0) return 0;
  let x: number;
  switch (d.kind) {
    case 'const':
      x = d.meanNs;
      break;
    case 'exp':
      x = rng.exponential(d.meanNs);
      break;
    case 'lognormal': {
      // Box-Muller; mu chosen so the mean of the lognormal is meanNs.
      const u1 = 1 - rng.next();
      const u2 = rng.next();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      const mu = Math.log(d.meanNs) - (d.sigma * d.sigma) / 2;
      x = Math.exp(mu + d.sigma * z);
      break;
    }
  }
  return Math.max(1, Math.round(x));
}

/** `exp:20ms` style text for output. */
export function formatServiceTime(d: ServiceTime): string {
  const ms = `${d.meanNs / 1e6}ms`;
  return d.kind === 'lognormal' ? `lognormal:${ms}:${d.sigma}` : `${d.kind}:${ms}`;
}
