/**
 * How long a client waits before retry number `n` (1 = the first retry), AWS-architecture-blog
 * style: none, immediate, fixed, capped exponential (`expo`), and exponential with full, equal or
 * decorrelated jitter. Jitter spreads retries out so clients that failed together do not all come
 * back together.
 */
import type { RngStream } from '../../sim/rng';

export const RETRY_KINDS = ['none', 'immediate', 'fixed', 'expo', 'expo-full', 'expo-equal', 'decorrelated'] as const;
export type RetryKind = (typeof RETRY_KINDS)[number];

export interface BackoffPolicy {
  readonly kind: RetryKind;
  /** Base delay (fixed delay; first exponential step), ns. */
  readonly baseNs: number;
  /** Largest delay, ns. */
  readonly capNs: number;
}

/**
 * The delay before retry `n` (>= 1), integer ns. `prevNs` is the previous delay of this request
 * (decorrelated jitter grows from it; pass 0 before the first retry).
 */
export function backoffDelay(p: BackoffPolicy, n: number, prevNs: number, rng: RngStream): number {
  const expo = Math.min(p.capNs, p.baseNs * 2 ** Math.min(n - 1, 52));
  switch (p.kind) {
    case 'none':
    case 'immediate':
      return 0;
    case 'fixed':
      return p.baseNs;
    case 'expo':
      return Math.round(expo);
    case 'expo-full':
      return Math.round(rng.uniform(0, expo));
    case 'expo-equal':
      return Math.round(expo / 2 + rng.uniform(0, expo / 2));
    case 'decorrelated': {
      const prev = prevNs > 0 ? prevNs : p.baseNs;
      return Math.round(Math.min(p.capNs, rng.uniform(p.baseNs, Math.max(p.baseNs, prev * 3))));
    }
  }
}
