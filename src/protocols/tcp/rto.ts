/**
 * The retransmission timeout per RFC 6298: SRTT and RTTVAR from RTT samples (alpha 1/8, beta 1/4),
 * RTO = SRTT + max(G, K·RTTVAR) clamped to [min, max], 1 s before the first sample, doubled on
 * every expiry (exponential backoff) until a new sample arrives. Karn's rule (no samples from
 * retransmitted segments) is the caller's job: it decides what to sample.
 *
 * Departure, stated: the minimum RTO defaults to 200 ms (Linux) instead of RFC 6298's 1 s; it is
 * configurable.
 */

/** Times in ns. */
export interface RtoConfig {
  /** Lower bound of the RTO (RFC 6298 says 1 s; Linux uses 200 ms). */
  minRto: number;
  /** Upper bound (RFC 6298: at least 60 s). */
  maxRto: number;
  /** RTO before any sample (RFC 6298 §2.1: 1 s). */
  initialRto: number;
  /** Clock granularity G. */
  granularity: number;
}

export const DEFAULT_RTO_CONFIG: RtoConfig = { minRto: 200e6, maxRto: 60e9, initialRto: 1e9, granularity: 1e6 };

const K = 4;

export class RtoEstimator {
  /** Smoothed RTT, ns (0 before the first sample). */
  srtt = 0;
  /** RTT variation, ns. */
  rttvar = 0;
  /** Current timeout, ns, backoff included. */
  rto: number;
  /** Whether a sample has been taken. */
  hasSample = false;
  /** Expiries since the last sample (backoff exponent). */
  backoffs = 0;

  constructor(readonly config: RtoConfig = DEFAULT_RTO_CONFIG) {
    this.rto = config.initialRto;
  }

  /** Takes an RTT measurement `r` (ns): RFC 6298 §2.2 / §2.3, and clears the backoff. */
  sample(r: number): void {
    if (!this.hasSample) {
      this.srtt = r;
      this.rttvar = r / 2;
      this.hasSample = true;
    } else {
      // RTTVAR first, with the old SRTT (the RFC's order).
      this.rttvar = (3 / 4) * this.rttvar + (1 / 4) * Math.abs(this.srtt - r);
      this.srtt = (7 / 8) * this.srtt + (1 / 8) * r;
    }
    this.backoffs = 0;
    this.rto = this.clamp(Math.round(this.srtt + Math.max(this.config.granularity, K * this.rttvar)));
  }

  /** The timer expired: RFC 6298 §5.5, RTO = RTO · 2 (capped). */
  backoff(): void {
    this.backoffs++;
    this.rto = Math.min(this.config.maxRto, this.rto * 2);
  }

  private clamp(rto: number): number {
    return Math.min(this.config.maxRto, Math.max(this.config.minRto, rto));
  }
}
