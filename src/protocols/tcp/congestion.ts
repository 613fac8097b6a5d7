/**
 * Congestion control as a pluggable strategy. The connection tells it about new ACKs, duplicate
 * ACKs and timeouts; it owns cwnd and ssthresh (bytes) and says when to retransmit. NewReno
 * (RFC 5681 + RFC 6582) is the built-in implementation; CUBIC (RFC 9438) can extend it by
 * overriding {@link NewReno.increase} and {@link NewReno.lossThreshold}.
 */

/** What the connection reports with every event. Sizes in bytes, sequence positions as offsets. */
export interface CcEvent {
  /** Simulated time, ns. */
  now: number;
  /** Sender MSS. */
  mss: number;
  /** Bytes in flight before this event (SND.NXT − SND.UNA). */
  flight: number;
  /** The cumulative ACK (offset), for ACK events. */
  ack: number;
  /** The highest offset sent so far (for NewReno's `recover`). */
  highestSent: number;
  /**
   * Whether the window was in full use (flight within one MSS of cwnd). When the receiver's window
   * or the program limits the sender, cwnd does not grow (RFC 7661's idea, as Linux does).
   */
  cwndLimited: boolean;
}

/** A congestion control algorithm. */
export interface CongestionControl {
  readonly name: string;
  /** Congestion window, bytes. */
  readonly cwnd: number;
  /** Slow-start threshold, bytes (Infinity before the first loss). */
  readonly ssthresh: number;
  /** Whether in fast recovery. */
  readonly inRecovery: boolean;
  /** An ACK that acknowledged `acked` new bytes. Returns true to retransmit the first unacked segment now (a NewReno partial ACK). */
  onAck(acked: number, e: CcEvent): boolean;
  /** The `count`-th consecutive duplicate ACK. Returns true to retransmit the first unacked segment now (fast retransmit). */
  onDupAck(count: number, e: CcEvent): boolean;
  /** The retransmission timer expired. */
  onTimeout(e: CcEvent): void;
}

/** A factory, so each connection gets its own instance. */
export type CongestionControlFactory = (initialWindow: number, mss: number) => CongestionControl;

/** RFC 5681 + RFC 6582 NewReno. */
export class NewReno implements CongestionControl {
  readonly name: string = 'newreno';
  cwnd: number;
  ssthresh = Infinity;
  inRecovery = false;
  /** RFC 6582 `recover`, as the offset just past the highest byte sent when loss was detected. */
  recover = 0;

  /** `initialWindow` in segments (RFC 6928: 10). */
  constructor(initialWindow: number, mss: number) {
    this.cwnd = initialWindow * mss;
  }

  /** Window growth outside recovery: slow start (RFC 5681 eq. 2) or congestion avoidance (eq. 3). */
  protected increase(acked: number, e: CcEvent): void {
    if (this.cwnd < this.ssthresh) this.cwnd += Math.min(acked, e.mss);
    else this.cwnd += Math.max(1, Math.floor((e.mss * e.mss) / this.cwnd));
  }

  /** ssthresh after a loss (RFC 5681 eq. 4): max(FlightSize / 2, 2·SMSS). */
  protected lossThreshold(e: CcEvent): number {
    return Math.max(Math.floor(e.flight / 2), 2 * e.mss);
  }

  onAck(acked: number, e: CcEvent): boolean {
    if (!this.inRecovery) {
      if (e.cwndLimited) this.increase(acked, e);
      return false;
    }
    if (e.ack >= this.recover) {
      // Full ACK (RFC 6582 §3.2 step 3): deflate, leave fast recovery.
      this.cwnd = Math.min(this.ssthresh, Math.max(e.flight - acked, e.mss) + e.mss);
      this.inRecovery = false;
      return false;
    }
    // Partial ACK (step 4): retransmit the next hole, deflate by what was acked, add back one MSS.
    this.cwnd = Math.max(e.mss, this.cwnd - acked + (acked >= e.mss ? e.mss : 0));
    return true;
  }

  onDupAck(count: number, e: CcEvent): boolean {
    if (this.inRecovery) {
      this.cwnd += e.mss; // RFC 5681 §3.2 step 4: inflate for each further dup ACK.
      return false;
    }
    // RFC 6582 §3.2 step 2: only when the ACK covers all that was sent when the last loss was
    // detected (`recover` holds the offset after it), which avoids repeated fast retransmits.
    if (count !== 3 || e.ack < this.recover) return false;
    this.ssthresh = this.lossThreshold(e);
    this.recover = e.highestSent;
    this.cwnd = this.ssthresh + 3 * e.mss;
    this.inRecovery = true;
    return true;
  }

  onTimeout(e: CcEvent): void {
    this.ssthresh = this.lossThreshold(e);
    this.cwnd = e.mss; // Loss window (RFC 5681 §3.1).
    this.recover = e.highestSent;
    this.inRecovery = false;
  }
}

export const newReno: CongestionControlFactory = (iw, mss) => new NewReno(iw, mss);
