/**
 * RTT estimation and NewReno congestion control for QUIC (RFC 9002 sections 5 and 7), kept apart
 * from the connection so the numbers are easy to test and to trace.
 */

export const INITIAL_RTT_NS = 333_000_000;
export const GRANULARITY_NS = 1_000_000;
export const PACKET_THRESHOLD = 3;
export const MAX_DATAGRAM_SIZE = 1200;
export const INITIAL_WINDOW = 10 * MAX_DATAGRAM_SIZE;
export const MINIMUM_WINDOW = 2 * MAX_DATAGRAM_SIZE;

/** RFC 9002 section 5: latest, min, smoothed RTT and its variation. */
export class RttEstimator {
  latest = 0;
  min = 0;
  smoothed = INITIAL_RTT_NS;
  variance = INITIAL_RTT_NS / 2;
  private hasSample = false;

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

/** NewReno (RFC 9002 section 7): slow start, congestion avoidance, one reduction per recovery period. */
export class NewReno {
  window = INITIAL_WINDOW;
  ssthresh = Infinity;
  bytesInFlight = 0;
  /** Packets sent before this time belong to the current recovery period. */
  recoveryStart = -1;

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
    else this.window += Math.floor((MAX_DATAGRAM_SIZE * bytes) / this.window);
  }

  /** Lost or discarded packets leave the flight. */
  onRemoved(bytes: number): void {
    this.bytesInFlight = Math.max(0, this.bytesInFlight - bytes);
  }

  /** A loss of a packet sent at `timeSent`; returns true when it started a new recovery period. */
  onCongestion(timeSent: number, now: number): boolean {
    if (timeSent <= this.recoveryStart) return false;
    this.recoveryStart = now;
    this.ssthresh = Math.max(Math.floor(this.window / 2), MINIMUM_WINDOW);
    this.window = this.ssthresh;
    return true;
  }

  /** A new path starts from scratch (RFC 9000 section 9.4). */
  reset(): void {
    this.window = INITIAL_WINDOW;
    this.ssthresh = Infinity;
    this.recoveryStart = -1;
  }
}
