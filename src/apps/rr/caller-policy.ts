/**
 * A client's retry policy as command options, shared by the load client (`rr-client`) and servers
 * that call a next tier (`rr-server --next`):
 *
 *   --timeout 200ms       give up on an attempt after this long
 *   --retry KIND          none | immediate | fixed | expo | expo-full | expo-equal | decorrelated
 *   --base 10ms --cap 1s  backoff base and cap
 *   --attempts N          most attempts per request (first try included)
 *   --budget 0.1          retry budget: retries at most this fraction of requests (token bucket)
 *   --budget-burst 10     tokens the budget holds
 *   --breaker N           circuit breaker: open after N consecutive failures
 *   --breaker-open 1s     how long it stays open before half-open
 *   --deadline 2s         overall deadline of a request, retries included
 *   --size 64             request body bytes
 */
import type { OptionSpec, ParsedArgs } from '../command';
import { RETRY_KINDS, type BackoffPolicy, type RetryKind } from './backoff';
import type { BreakerPolicy } from './circuit-breaker';

export interface CallerPolicy {
  readonly timeoutNs: number;
  readonly backoff: BackoffPolicy;
  readonly maxAttempts: number;
  readonly budget?: { readonly ratio: number; readonly burst: number };
  readonly breaker?: BreakerPolicy;
  /** Overall deadline from the first attempt, ns (none when absent). */
  readonly deadlineNs?: number;
  /** Request body bytes. */
  readonly size: number;
}

/** The option letters and words of a caller policy. */
export const CALLER_OPTIONS: OptionSpec = {
  timeout: 'seconds',
  retry: 'string',
  base: 'seconds',
  cap: 'seconds',
  attempts: 'int',
  budget: 'number',
  'budget-burst': 'number',
  breaker: 'int',
  'breaker-open': 'seconds',
  deadline: 'seconds',
  size: 'int',
};

/** Usage text of the caller options. */
export const CALLER_USAGE =
  '[--timeout T] [--retry none|immediate|fixed|expo|expo-full|expo-equal|decorrelated] [--base T] [--cap T] [--attempts N] [--budget RATIO] [--budget-burst N] [--breaker N] [--breaker-open T] [--deadline T] [--size BYTES]';

/** Reads a caller policy from parsed options, or says what is wrong. */
export function callerPolicyFrom(o: ParsedArgs['options']): CallerPolicy | string {
  const kind = (o.retry as string | undefined) ?? 'none';
  if (!(RETRY_KINDS as readonly string[]).includes(kind)) return `--retry ${kind}: must be one of ${RETRY_KINDS.join(', ')}`;
  const timeoutNs = (o.timeout as number | undefined) ?? 1e9;
  if (timeoutNs <= 0) return `--timeout ${o.timeout as number}: must be longer than 0`;
  const baseNs = (o.base as number | undefined) ?? 10e6;
  const capNs = (o.cap as number | undefined) ?? 1e9;
  if (capNs < baseNs) return `--cap ${capNs / 1e6}ms: must be at least --base (${baseNs / 1e6}ms)`;
  const maxAttempts = (o.attempts as number | undefined) ?? (kind === 'none' ? 1 : 3);
  if (maxAttempts < 1 || maxAttempts > 255) return `--attempts ${maxAttempts}: must be 1 to 255`;
  let budget: CallerPolicy['budget'];
  if (o.budget !== undefined) {
    const ratio = o.budget as number;
    const burst = (o['budget-burst'] as number | undefined) ?? 10;
    if (!(ratio >= 0 && ratio <= 10)) return `--budget ${ratio}: must be a ratio from 0 to 10 (0.1 = 10% of requests)`;
    if (!(burst >= 1)) return `--budget-burst ${burst}: must be at least 1`;
    budget = { ratio, burst };
  }
  let breaker: BreakerPolicy | undefined;
  if (o.breaker !== undefined) {
    const threshold = o.breaker as number;
    if (threshold < 1) return `--breaker ${threshold}: must be at least 1 failure`;
    breaker = { threshold, openNs: (o['breaker-open'] as number | undefined) ?? 1e9, probes: 1 };
  }
  const size = (o.size as number | undefined) ?? 64;
  if (size > 1400) return `--size ${size}: must be at most 1400 bytes (one packet)`;
  return {
    timeoutNs,
    backoff: { kind: kind as RetryKind, baseNs, capNs },
    maxAttempts: kind === 'none' ? 1 : maxAttempts,
    budget,
    breaker,
    deadlineNs: o.deadline as number | undefined,
    size,
  };
}
