/**
 * RTT estimation and NewReno congestion control for QUIC (RFC 9002 sections 5 and 7), kept apart
 * from the connection so the numbers are easy to test and to trace.
 */

const INITIAL_RTT_NS = 333_000_000;
export const GRANULARITY_NS = 1_000_000;
export const PACKET_THRESHOLD = 3;
/** The datagram size every path is assumed to carry (RFC 9000 section 14), bytes. */
export const BASE_DATAGRAM_SIZE = 1200;
/** Persistent congestion threshold, in probe timeouts (RFC 9002 section 7.6.1). */
export const PERSISTENT_CONGESTION_THRESHOLD = 3;

/** Initial window for a maximum datagram size (RFC 9002 section 7.2). */
export function initialWindow(maxDatagramSize: number): number {
  return Math.min(10 * maxDatagramSize, Math.max(14720, 2 * maxDatagramSize));
}

/** RFC 9002 section 5: latest, min, smoothed RTT and its variation. */
export class RttEstimator {
  latest = 0;
  min = 0;
  smoothed = INITIAL_RTT_NS;
  variance = INITIAL_RTT_NS / 2;
  private hasSample = false;

  /** Back to the initial values, for a new path (RFC 9000 section 9.4). */
  reset(): void {
    this.latest = 0;
    this.min = 0;
    this.smoothed = INITIAL_RTT_NS;
    this.variance = INITIAL_RTT_NS / 2;
    this.hasSample = false;
  }

  /** Whether an RTT sample has been taken on this path. */
  get sampled(): boolean {
    return this.hasSample;
  }

  /** A sample from an ACK whose largest newly acknowledged packet was ack-eliciting. */
  update(sampleNs: number, ackDelayNs: number, handshakeConfirmed: boolean, maxAckDelayNs: number): void {
    this.latest = sampleNs;
    if (!this.hasSample) {
      this.hasSample = true;
      this.min = sampleNs;
      this.smoothed = sampleNs;
      this.variance = sampleNs / 2;
      return;
    }
    this.min = Math.min(this.min, sampleNs);
    let delay = ackDelayNs;
    if (handshakeConfirmed) delay = Math.min(delay, maxAckDelayNs);
    const adjusted = sampleNs >= this.min + delay ? sampleNs - delay : sampleNs;
    this.variance = Math.round((3 * this.variance + Math.abs(this.smoothed - adjusted)) / 4);
    this.smoothed = Math.round((7 * this.smoothed + adjusted) / 8);
  }

  /** Probe timeout before backoff, without max_ack_delay (RFC 9002 6.2.1). */
  pto(): number {
    return this.smoothed + Math.max(4 * this.variance, GRANULARITY_NS);
  }

  /** Time threshold for declaring a packet lost (RFC 9002 6.1.2). */
  lossDelay(): number {
    return Math.max(Math.round((9 * Math.max(this.latest, this.smoothed)) / 8), GRANULARITY_NS);
  }
}

/**
 * NewReno (RFC 9002 section 7): slow start, congestion avoidance, one reduction per recovery period
 * (a loss of a packet sent before the period began does not reduce again), persistent congestion
 * collapsing the window to the minimum. Probe timeouts do not change the window (section 7.5).
 */
export class NewReno {
  /** The sender's current maximum datagram size (grows when a PMTU probe succeeds). */
  maxDatagramSize = BASE_DATAGRAM_SIZE;
  window = initialWindow(BASE_DATAGRAM_SIZE);
  ssthresh = Infinity;
  bytesInFlight = 0;
  /** Packets sent at or before this time belong to the current recovery period. */
  recoveryStart = -1;

  /** kMinimumWindow (RFC 9002 section 7.2). */
  get minimumWindow(): number {
    return 2 * this.maxDatagramSize;
  }

  canSend(bytes: number): boolean {
    return this.bytesInFlight + bytes <= this.window;
  }

  onSent(bytes: number): void {
    this.bytesInFlight += bytes;
  }

  onAcked(bytes: number, timeSent: number): void {
    this.bytesInFlight = Math.max(0, this.bytesInFlight - bytes);
    if (timeSent <= this.recoveryStart) return;
    if (this.window < this.ssthresh) this.window += bytes;
    else this.window += Math.floor((this.maxDatagramSize * bytes) / this.window);
  }

  /** Lost or discarded packets leave the flight. */
  onRemoved(bytes: number): void {
    this.bytesInFlight = Math.max(0, this.bytesInFlight - bytes);
  }

  /** A loss of a packet sent at `timeSent`; returns true when it started a new recovery period. */
  onCongestion(timeSent: number, now: number): boolean {
    if (timeSent <= this.recoveryStart) return false;
    this.recoveryStart = now;
    this.ssthresh = Math.max(Math.floor(this.window / 2), this.minimumWindow);
    this.window = this.ssthresh;
    return true;
  }

  /** Persistent congestion (RFC 9002 section 7.6.2): the window collapses to the minimum. */
  onPersistentCongestion(now: number): void {
    this.recoveryStart = now;
    this.window = this.minimumWindow;
  }

  /**
   * The maximum datagram size changed (a PMTU probe was acknowledged): the initial window is
   * recalculated with the new size (RFC 9002 7.2), which in slow start before any loss raises the
   * window by the difference.
   */
  setMaxDatagramSize(size: number): void {
    const before = initialWindow(this.maxDatagramSize);
    this.maxDatagramSize = size;
    if (this.ssthresh === Infinity) this.window += Math.max(0, initialWindow(size) - before);
    this.window = Math.max(this.window, this.minimumWindow);
  }

  /**
   * A new path starts from the initial values (RFC 9000 section 9.4); packets sent before `now`
   * belong to the old path and start no recovery period on the new one.
   */
  reset(now: number): void {
    this.maxDatagramSize = BASE_DATAGRAM_SIZE;
    this.window = initialWindow(BASE_DATAGRAM_SIZE);
    this.ssthresh = Infinity;
    this.recoveryStart = now;
    this.bytesInFlight = 0;
  }
}
