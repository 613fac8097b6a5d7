/**
 * A circuit breaker: closed (calls go through) until `threshold` consecutive failures, then open
 * (calls fail at once, sparing the struggling server) for `openNs`, then half-open: `probes` trial
 * calls go through; a success closes it, a failure opens it again.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  readonly threshold: number;
  /** How long it stays open before letting a trial call through, ns. */
  readonly openNs: number;
  /** Trial calls allowed at once while half-open. */
  readonly probes: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trials = 0;

  constructor(
    readonly policy: BreakerPolicy,
    /** Told about every change of state. */
    private readonly onChange: (state: BreakerState) => void,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  private set(state: BreakerState, now: number): void {
    if (state === this.current) return;
    this.current = state;
    if (state === 'open') this.openedAt = now;
    if (state !== 'half-open') this.trials = 0;
    this.onChange(state);
  }

  /** Moves from open to half-open once the open time is up. */
  tick(now: number): void {
    if (this.current === 'open' && now - this.openedAt >= this.policy.openNs) this.set('half-open', now);
  }

  /** Whether a call may start now (counts it as a trial when half-open). */
  allow(now: number): boolean {
    this.tick(now);
    if (this.current === 'closed') return true;
    if (this.current === 'half-open' && this.trials < this.policy.probes) {
      this.trials++;
      return true;
    }
    return false;
  }

  /** A call succeeded. */
  success(now: number): void {
    this.failures = 0;
    this.set('closed', now);
  }

  /** A call failed (an error answer or a timeout). */
  failure(now: number): void {
    this.failures++;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.policy.threshold)) {
      this.set('open', now);
      this.failures = 0;
    }
  }
}
