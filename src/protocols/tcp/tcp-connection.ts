/**
 * One TCP connection (RFC 9293): the state machine with every state including simultaneous open
 * and close and TIME_WAIT, sliding-window sending limited by the peer's window and the congestion
 * window, receive-side reassembly and flow control (with zero-window probing), the RFC 6298
 * retransmission timer with Karn's rule, and a pluggable {@link CongestionControl} (NewReno).
 *
 * Sequence positions are kept as unwrapped offsets from the ISN (SYN = 0, first data byte = 1,
 * FIN = 1 + data length) and converted to 32-bit numbers only on the wire.
 *
 * Simplifications, stated (also in the inspector's notes):
 * - Every segment that carries data or FIN is acknowledged at once (no delayed ACKs, RFC 1122
 *   allows up to 500 ms); no Nagle (like TCP_NODELAY), but sender silly-window avoidance.
 * - No SACK, no timestamps, no window scaling (windows up to 65535 bytes), no urgent data, no
 *   keep-alives. Out-of-order data is kept but does not shrink the advertised window.
 * - RST is accepted anywhere in the window and a SYN in a synchronized state gets an ACK
 *   (RFC 5961's challenge ACK without the exact-match rule for RST).
 * - In simultaneous open a side in SYN_RECEIVED accepts the peer's SYN+ACK (its SYN already
 *   acknowledged) as the ACK that completes the handshake, as Linux does.
 * - The ISN comes from the host's seeded random stream (`tcp:isn`), not RFC 6528's clock + hash.
 * - MSS and path MTU as Linux: the SYN advertises the outgoing interface MTU − 40; the send MSS is
 *   min(peer's MSS, path MTU − 40), re-read before each burst, so it rises again when the host's
 *   path-MTU estimate ages out. An ICMP "fragmentation needed" about a sequence number in flight
 *   lowers it and resends everything unacknowledged at the new size without touching the congestion
 *   window (tcp_v4_mtu_reduced, tcp_simple_retransmit). The window is counted in bytes, so unlike
 *   Linux's packet count it does not shrink with the MSS. No PLPMTUD probing (tcp_mtu_probing = 0,
 *   Linux's default); other ICMP errors are ignored (Linux keeps them as soft errors).
 */
import { formatIpv4 } from '../addr';
import { IP_PROTO_TCP } from '../ipv4/ipv4';
import type { IpHost } from '../transport';
import { sharedBytes } from '../../sim/trace';
import type { TimerId } from '../../sim/kernel';
import type { CcEvent, CongestionControl } from './congestion';
import { RtoEstimator } from './rto';
import { seqAdd, unwrap } from './seq';
import { encodeTcpSegment, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpHeader } from './tcp-header';
import { tcpConnectionId, tcpStateKey, type TcpTraceField } from './tcp-trace';
import type { TcpConfig } from './tcp-config';

/** RFC 9293 connection states. */
export type TcpState =
  'CLOSED' | 'LISTEN' | 'SYN_SENT' | 'SYN_RECEIVED' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT';

/** What a program using a connection implements. Every callback is optional. */
export interface TcpSocketHandler {
  /** The handshake completed. */
  onConnect?(s: TcpSocket): void;
  /** In-order bytes arrived (not called while paused). */
  onData?(s: TcpSocket, data: Uint8Array): void;
  /** The peer closed its side (FIN received after all its data). */
  onEnd?(s: TcpSocket): void;
  /** Sent bytes were acknowledged: there is room to send more. */
  onDrain?(s: TcpSocket): void;
  /**
   * The connection is over for the program: closed normally (reached TIME_WAIT or CLOSED) or with
   * `error` (`Connection refused`, `Connection reset by peer`, `Connection timed out`).
   */
  onClose?(s: TcpSocket, error?: string): void;
}

/** What the connection needs from the service that owns it. */
export interface TcpOwner {
  readonly host: IpHost;
  readonly config: TcpConfig;
  /** The connection reached CLOSED: forget it. */
  remove(c: TcpConnection): void;
  /** A passively opened connection completed its handshake. */
  accepted(c: TcpConnection): void;
}

/** A segment as the service hands it to a connection. */
export interface TcpSegmentIn {
  header: TcpHeader;
  payload: Uint8Array;
  packetId: number;
}

/** IPv4 and TCP headers without options: MSS = MTU − 40. */
const IP_TCP_HEADERS = 40;

/**
 * The synchronized states of RFC 9293 §3.5.2 ("Reset Generation"): both sides' sequence numbers are
 * known, so the connection may send data, reports the peer's window and aborts with an RST.
 */
const SYNCHRONIZED: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

/** A growable byte queue with a moving head. */
class ByteQueue {
  private buf = new Uint8Array(4096);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(data: Uint8Array): void {
    if (this.tail + data.length > this.buf.length) {
      const need = this.length + data.length;
      if (need <= this.buf.length / 2) {
        this.buf.copyWithin(0, this.head, this.tail);
      } else {
        let size = this.buf.length;
        while (size < need * 2) size *= 2;
        const n = new Uint8Array(size);
        n.set(this.buf.subarray(this.head, this.tail));
        this.buf = n;
      }
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf.set(data, this.tail);
    this.tail += data.length;
  }

  /** Drops `n` bytes from the front. */
  shift(n: number): void {
    this.head += Math.min(n, this.length);
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** A copy of `len` bytes starting `from` bytes after the head. */
  slice(from: number, len: number): Uint8Array {
    return this.buf.slice(this.head + from, this.head + from + len);
  }
}

export class TcpConnection {
  state: TcpState = 'CLOSED';
  /** The program's callbacks (set by connect, or by the listener on accept). */
  handler: TcpSocketHandler = {};
  readonly id: string;

  // --- send side (offsets from iss) ---
  readonly iss: number;
  una = 0;
  nxt = 0;
  /** Highest offset ever sent + 1 (retransmissions after a timeout resend below it). */
  maxSent = 0;
  /** The peer's advertised window, bytes, and the segment that set it (RFC 9293 SND.WL1/WL2, as offsets). */
  sndWnd = 0;
  private wl1 = -1;
  private wl2 = -1;
  /** Send MSS: min(peer's MSS option, path MTU − 40). */
  mss: number;
  /** The MSS we advertise: the outgoing interface MTU − 40 (Linux advmss), at most config.mss. */
  readonly advMss: number;
  /** The peer's MSS option (536 without one, RFC 9293 §3.7.1), at most config.mss. */
  private peerMss: number;
  private readonly sndBuf = new ByteQueue();
  /** Offset of sndBuf's first byte. */
  private sndBufBase = 1;
  private finQueued = false;
  dupAcks = 0;
  readonly cc: CongestionControl;
  readonly rtt: RtoEstimator;
  private rtoTimer: TimerId = 0;
  private retries = 0;
  /** Karn's rule: the offset being timed (its ACK ends the sample) and when it was sent; -1 when none. */
  private timedOff = -1;
  private timedAt = 0;
  private persistTimer: TimerId = 0;
  private persistBackoff = 0;
  private timeWaitTimer: TimerId = 0;

  // --- receive side (offsets from irs) ---
  irs = 0;
  rcvNxt = 0;
  private readonly ooo: { off: number; data: Uint8Array }[] = [];
  private peerFinOff = -1;
  private readonly unread: Uint8Array[] = [];
  private unreadBytes = 0;
  private paused = false;
  private endPending = false;
  private lastAdvertised = 0;
  /** Set while an arriving segment still needs an ACK; any segment we send with ACK clears it. */
  private ackPending = false;

  private closedNotified = false;
  /** Counters for tools and tests. */
  readonly stats = { segmentsSent: 0, retransmits: 0, fastRetransmits: 0, timeouts: 0, bytesDelivered: 0 };
  private readonly published = new Map<TcpTraceField, string>();

  constructor(
    private readonly owner: TcpOwner,
    readonly localIp: number,
    readonly localPort: number,
    readonly remoteIp: number,
    readonly remotePort: number,
    /** Whether it came from a listener (a RST in SYN_RECEIVED then just forgets it). */
    readonly passive: boolean,
  ) {
    const cfg = owner.config;
    this.id = tcpConnectionId(formatIpv4(localIp), localPort, formatIpv4(remoteIp), remotePort);
    this.iss = owner.host.rng('tcp:isn').nextU32();
    this.advMss = Math.min(cfg.mss, owner.host.linkMtu(remoteIp) - IP_TCP_HEADERS);
    this.peerMss = cfg.mss;
    this.mss = this.advMss;
    this.rtt = new RtoEstimator(cfg.rto);
    this.cc = cfg.congestion(cfg.initialWindow, this.mss);
  }

  private get host(): IpHost {
    return this.owner.host;
  }

  private get now(): number {
    return this.host.kernel.now;
  }

  // ------------------------------------------------------------------ program API

  /** Bytes handed to {@link send} and not yet acknowledged. */
  get bufferedAmount(): number {
    return this.sndBuf.length;
  }

  /** Bytes received and not yet read (while paused). */
  get unreadAmount(): number {
    return this.unreadBytes;
  }

  /** Queues bytes to send. Returns false once the connection no longer sends (closed or closing). */
  send(data: Uint8Array): boolean {
    if (this.finQueued || !(this.state === 'ESTABLISHED' || this.state === 'CLOSE_WAIT' || this.state === 'SYN_SENT' || this.state === 'SYN_RECEIVED')) {
      return false;
    }
    if (data.length === 0) return true;
    this.sndBuf.push(data);
    this.output();
    this.publish();
    return true;
  }

  /** Closes the sending side after the queued data (FIN). The peer may still send. */
  close(): void {
    switch (this.state) {
      case 'SYN_SENT':
        this.destroy();
        return;
      case 'SYN_RECEIVED':
        this.finQueued = true; // FIN_WAIT_1 once established (RFC 9293 §3.10.4).
        return;
      case 'ESTABLISHED':
        this.finQueued = true;
        this.setState('FIN_WAIT_1');
        break;
      case 'CLOSE_WAIT':
        this.finQueued = true;
        this.setState('LAST_ACK');
        break;
      default:
        return;
    }
    this.output();
    this.publish();
  }

  /** Aborts: sends RST (in a synchronized state) and forgets the connection at once. */
  abort(): void {
    if (this.state === 'CLOSED') return;
    if (SYNCHRONIZED.has(this.state) || this.state === 'SYN_RECEIVED') {
      if (this.state !== 'TIME_WAIT') this.sendRaw(this.nxt, TCP_RST, new Uint8Array(0));
    }
    this.notifyClose();
    this.destroy();
  }

  /** Stops reading: arriving bytes wait in the receive buffer and the advertised window shrinks. */
  pause(): void {
    this.paused = true;
  }

  /** Reads again: delivers what waited and advertises the reopened window. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const chunks = this.unread.splice(0);
    this.unreadBytes = 0;
    for (const c of chunks) this.handler.onData?.(this, c);
    if (this.endPending) {
      this.endPending = false;
      this.handler.onEnd?.(this);
    }
    // Window update (RFC 1122 §4.2.3.3): tell the peer once the window has opened by an MSS or more.
    if (this.state !== 'CLOSED' && this.state !== 'TIME_WAIT' && this.rcvWindow() - this.lastAdvertised >= this.mss) {
      this.sendAck();
    }
    this.publish();
  }

  // ------------------------------------------------------------------ opening

  /** Active open: sends SYN. */
  openActive(): void {
    this.setState('SYN_SENT');
    this.sendSyn();
    this.publish();
  }

  /** Passive open: a SYN arrived at a listener. */
  openPassive(seg: TcpSegmentIn): void {
    this.irs = seg.header.seq;
    this.rcvNxt = 1;
    this.takeSynOptions(seg.header);
    this.updateWindow(seg.header.window, 0, 0, true);
    this.setState('SYN_RECEIVED');
    this.sendSyn();
    this.publish();
  }

  private takeSynOptions(h: TcpHeader): void {
    // RFC 9293 §3.7.1: without the option the peer's MSS is 536.
    this.peerMss = Math.min(this.owner.config.mss, h.options.mss ?? 536);
    this.syncMss();
  }

  /** Send MSS = min(peer's MSS, path MTU − 40) (RFC 9293 §3.7.1, RFC 1191 §6.1; Linux tcp_sync_mss). */
  private syncMss(): void {
    this.mss = Math.min(this.peerMss, this.host.pathMtu(this.remoteIp) - IP_TCP_HEADERS);
  }

  /**
   * An ICMP "fragmentation needed" about one of our segments (its sequence number `wireSeq`): the
   * host has already lowered its path MTU; when that lowers the MSS, resend what is unacknowledged
   * at the new size (Linux tcp_v4_err → tcp_v4_mtu_reduced → tcp_simple_retransmit).
   */
  fragmentationNeeded(wireSeq: number): void {
    if (!SYNCHRONIZED.has(this.state) || this.state === 'TIME_WAIT') return;
    const off = unwrap(wireSeq, this.iss, this.una);
    if (off < this.una || off >= this.maxSent) return; // not in flight: stale or forged (tcp_v4_err)
    const old = this.mss;
    this.syncMss();
    if (this.mss >= old) return;
    this.nxt = this.una;
    this.timedOff = -1;
    this.output();
    this.publish();
  }

  private sendSyn(): void {
    const flags = this.state === 'SYN_RECEIVED' ? TCP_SYN | TCP_ACK : TCP_SYN;
    if (this.maxSent === 0) {
      this.timedOff = 0; // Time the first SYN only (Karn's rule).
      this.timedAt = this.now;
    } else {
      this.timedOff = -1;
    }
    if (this.nxt === 0) this.nxt = 1;
    this.maxSent = Math.max(this.maxSent, 1);
    this.sendRaw(0, flags, new Uint8Array(0), { mss: this.advMss });
    this.startRto();
  }

  // ------------------------------------------------------------------ arriving segments

  /** RFC 9293 §3.10.7: a segment for this connection arrived. */
  segmentArrives(seg: TcpSegmentIn): void {
    if (this.state === 'SYN_SENT') this.synSentArrives(seg);
    else if (this.state !== 'CLOSED' && this.state !== 'LISTEN') this.otherArrives(seg);
    this.publish();
  }

  private synSentArrives(seg: TcpSegmentIn): void {
    const h = seg.header;
    let ackOff = 0;
    if (h.flags & TCP_ACK) {
      ackOff = unwrap(h.ack, this.iss, this.nxt);
      if (ackOff <= 0 || ackOff > this.nxt) {
        if (!(h.flags & TCP_RST)) this.sendReset(h.ack);
        return;
      }
    }
    if (h.flags & TCP_RST) {
      if (h.flags & TCP_ACK) this.fail('Connection refused');
      return;
    }
    if (!(h.flags & TCP_SYN)) return;
    this.irs = h.seq;
    this.rcvNxt = 1;
    this.takeSynOptions(h);
    if (h.flags & TCP_ACK) {
      this.sampleRtt(ackOff);
      this.ackedTo(ackOff);
      this.stopRto();
      this.retries = 0;
      this.updateWindow(h.window, 0, ackOff, true);
      this.setState('ESTABLISHED');
      this.sendAck();
      this.handler.onConnect?.(this);
      this.output();
    } else {
      // Simultaneous open (RFC 9293 figure 8): SYN_RECEIVED, send SYN+ACK with the same ISN.
      this.updateWindow(h.window, 0, 0, true);
      this.setState('SYN_RECEIVED');
      this.stopRto();
      this.sendSyn();
    }
  }

  // eslint-disable-next-line max-lines-per-function -- RFC 9293 §3.10.7.4's "otherwise" steps (sequence check, RST, SYN, ACK, URG, text, FIN) in the RFC's order
  private otherArrives(seg: TcpSegmentIn): void {
    const h = seg.header;
    let data = seg.payload;
    let off = unwrap(h.seq, this.irs, this.rcvNxt);
    let syn = (h.flags & TCP_SYN) !== 0;
    const fin = (h.flags & TCP_FIN) !== 0;
    // Simultaneous open: the peer's SYN+ACK repeats the SYN we already hold; take it as its ACK.
    if (syn && this.state === 'SYN_RECEIVED' && off === this.rcvNxt - 1 && h.flags & TCP_ACK) {
      syn = false;
      off++;
    }
    const segLen = data.length + (syn ? 1 : 0) + (fin ? 1 : 0);
    const wnd = this.rcvWindow();

    // 1. Acceptability (RFC 9293 §3.10.7.4, the four cases).
    let ok: boolean;
    if (segLen === 0) ok = wnd === 0 ? off === this.rcvNxt : off >= this.rcvNxt && off < this.rcvNxt + wnd;
    else ok = wnd > 0 && ((off >= this.rcvNxt && off < this.rcvNxt + wnd) || (off + segLen - 1 >= this.rcvNxt && off + segLen - 1 < this.rcvNxt + wnd));
    if (!ok) {
      if (!(h.flags & TCP_RST)) {
        if (this.state === 'TIME_WAIT' && fin) this.restartTimeWait();
        this.sendAck();
      }
      return;
    }

    // 2. RST.
    if (h.flags & TCP_RST) {
      if (this.state === 'SYN_RECEIVED' && this.passive) {
        this.destroy();
        return;
      }
      if (this.state === 'CLOSING' || this.state === 'LAST_ACK' || this.state === 'TIME_WAIT') {
        this.notifyClose();
        this.destroy();
        return;
      }
      this.fail(this.state === 'SYN_RECEIVED' ? 'Connection refused' : 'Connection reset by peer');
      return;
    }

    // 4. SYN in the window of a synchronized connection: challenge ACK (RFC 5961 §4), drop.
    if (syn) {
      this.sendAck();
      return;
    }

    // 5. ACK.
    if (!(h.flags & TCP_ACK)) return;
    const ack = unwrap(h.ack, this.iss, this.una);
    if (this.state === 'SYN_RECEIVED') {
      if (ack <= this.una || ack > this.maxSent) {
        this.sendReset(h.ack);
        return;
      }
      this.setState('ESTABLISHED');
      this.sampleRtt(ack);
      this.ackedTo(ack);
      this.retries = 0;
      if (this.una >= this.maxSent) this.stopRto();
      this.updateWindow(h.window, off, ack, true);
      if (this.passive) this.owner.accepted(this);
      this.handler.onConnect?.(this);
      if (this.finQueued) this.setState('FIN_WAIT_1');
      this.output();
    } else if (ack > this.maxSent) {
      this.sendAck(); // Acknowledges something not yet sent.
      return;
    } else {
      this.processAck(ack, off, h.window, data.length === 0 && !fin);
    }
    if (this.state === 'CLOSED') return;

    // FIN of ours acknowledged?
    const finAcked = this.finQueued && this.una >= this.finOffset() + 1;
    if (finAcked) {
      if (this.state === 'FIN_WAIT_1') this.setState('FIN_WAIT_2');
      else if (this.state === 'CLOSING') {
        this.enterTimeWait();
        return;
      } else if (this.state === 'LAST_ACK') {
        this.notifyClose();
        this.destroy();
        return;
      }
    }
    if (this.state === 'TIME_WAIT') {
      if (fin) {
        this.sendAck();
        this.restartTimeWait();
      }
      return;
    }

    // 7. Data, and 8. FIN.
    const receiving = this.state === 'ESTABLISHED' || this.state === 'FIN_WAIT_1' || this.state === 'FIN_WAIT_2';
    if (receiving && segLen > 0) {
      // Keep only what lies in [rcvNxt, rcvNxt + wnd).
      let finHere = fin;
      if (off < this.rcvNxt) {
        const cut = Math.min(data.length, this.rcvNxt - off);
        data = data.subarray(cut);
        off += cut;
      }
      const room = this.rcvNxt + wnd - off;
      if (data.length > room) {
        data = data.subarray(0, Math.max(0, room));
        finHere = false;
      }
      this.ackPending = true;
      if (data.length > 0) this.storeData(off, data);
      if (finHere) this.peerFinOff = off + data.length;
      this.advance();
      // Acknowledge at once, unless a segment sent meanwhile (our FIN, data) already carried the ACK.
      if (this.ackPending) this.sendAck();
    } else if (segLen > 0 && (this.state === 'CLOSE_WAIT' || this.state === 'CLOSING' || this.state === 'LAST_ACK')) {
      this.sendAck(); // A retransmitted FIN: acknowledge again.
    }
  }

  /** Stores in-window data that starts at `off`, in order or not. */
  private storeData(off: number, data: Uint8Array): void {
    if (off === this.rcvNxt) {
      // Advance first: whatever the program sends from inside onData must acknowledge this data.
      this.rcvNxt += data.length;
      this.deliver(data);
      return;
    }
    this.ooo.push({ off, data: data.slice() });
    this.ooo.sort((a, b) => a.off - b.off);
  }

  /** Pulls contiguous out-of-order data, then a FIN that follows all data. */
  private advance(): void {
    while (this.ooo.length && this.ooo[0].off <= this.rcvNxt) {
      const s = this.ooo.shift()!;
      const end = s.off + s.data.length;
      if (end > this.rcvNxt) {
        const fresh = s.data.subarray(this.rcvNxt - s.off);
        this.rcvNxt = end;
        this.deliver(fresh);
      }
    }
    if (this.peerFinOff >= 0 && this.peerFinOff === this.rcvNxt) {
      this.peerFinOff = -1;
      this.rcvNxt++;
      this.ooo.length = 0;
      if (this.state === 'ESTABLISHED') this.setState('CLOSE_WAIT');
      else if (this.state === 'FIN_WAIT_1') this.setState('CLOSING');
      if (this.paused) this.endPending = true;
      else this.handler.onEnd?.(this);
      if (this.state === 'FIN_WAIT_2') this.enterTimeWait();
    }
  }

  private deliver(data: Uint8Array): void {
    this.stats.bytesDelivered += data.length;
    if (this.paused) {
      this.unread.push(data.slice());
      this.unreadBytes += data.length;
    } else {
      this.handler.onData?.(this, data.slice());
    }
  }

  /** Advertised receive window: buffer space not taken by unread data. */
  rcvWindow(): number {
    return Math.max(0, Math.min(0xffff, this.owner.config.recvBuffer - this.unreadBytes));
  }

  // ------------------------------------------------------------------ ACK processing (sender)

  private processAck(ack: number, segOff: number, window: number, pure: boolean): void {
    if (ack < this.una) return; // Old duplicate.
    const windowChanged = window !== this.sndWnd;
    if (ack === this.una) {
      // RFC 5681 duplicate ACK: no data, window unchanged, data outstanding, not while probing.
      const dup = pure && !windowChanged && this.una < this.maxSent && this.persistTimer === 0 && this.sndWnd > 0;
      this.updateWindow(window, segOff, ack, false);
      if (dup) {
        this.dupAcks++;
        if (this.cc.onDupAck(this.dupAcks, this.ccEvent(ack))) {
          this.stats.fastRetransmits++;
          this.retransmitFirst();
        }
        this.output();
      } else if (windowChanged) {
        this.output();
      }
      return;
    }
    // New data acknowledged.
    const flight = this.maxSent - this.una;
    const acked = ack - this.una;
    this.sampleRtt(ack);
    this.ackedTo(ack);
    this.retries = 0;
    this.dupAcks = 0;
    this.updateWindow(window, segOff, ack, false);
    const ev = this.ccEvent(ack);
    ev.flight = flight;
    ev.cwndLimited = flight + this.mss >= this.cc.cwnd;
    if (this.cc.onAck(acked, ev)) this.retransmitFirst();
    // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it.
    if (this.una >= this.maxSent) this.stopRto();
    else this.startRto(true);
    this.output();
    if (this.sndBuf.length < this.owner.config.sendBuffer) this.handler.onDrain?.(this);
  }

  /** Ends the RTT measurement when `ack` covers the timed offset (RFC 6298 §3, Karn's rule upheld by sendData). */
  private sampleRtt(ack: number): void {
    if (this.timedOff >= 0 && ack > this.timedOff) {
      this.rtt.sample(this.now - this.timedAt);
      this.timedOff = -1;
    }
  }

  private ccEvent(ack: number): CcEvent {
    const flight = this.nxt - this.una;
    return { now: this.now, mss: this.mss, flight, ack, highestSent: this.maxSent, cwndLimited: flight + this.mss >= this.cc.cwnd };
  }

  /** Moves SND.UNA to `ack` and frees acknowledged data. */
  private ackedTo(ack: number): void {
    if (ack <= this.una) return;
    this.una = ack;
    if (this.nxt < ack) this.nxt = ack;
    const dataEnd = this.sndBufBase + this.sndBuf.length;
    const freeTo = Math.min(ack, dataEnd);
    if (freeTo > this.sndBufBase) {
      this.sndBuf.shift(freeTo - this.sndBufBase);
      this.sndBufBase = freeTo;
    }
  }

  private updateWindow(window: number, segOff: number, ack: number, force: boolean): void {
    // RFC 9293: update only from a newer segment (SND.WL1 < SEG.SEQ, or equal and SND.WL2 =< SEG.ACK).
    if (!force && !(this.wl1 < segOff || (this.wl1 === segOff && this.wl2 <= ack))) return;
    const opened = this.sndWnd === 0 && window > 0;
    this.sndWnd = window;
    this.wl1 = segOff;
    this.wl2 = ack;
    if (opened && this.persistTimer) {
      this.host.kernel.cancel(this.persistTimer);
      this.persistTimer = 0;
      this.persistBackoff = 0;
    }
  }

  // ------------------------------------------------------------------ sending

  private finOffset(): number {
    return this.sndBufBase + this.sndBuf.length;
  }

  /** Sends what the windows allow (RFC 9293 §3.8.6 and RFC 5681): min(rwnd, cwnd) − in flight. */
  output(): void {
    if (!SYNCHRONIZED.has(this.state) || this.state === 'TIME_WAIT') return;
    this.syncMss();
    for (;;) {
      const dataEnd = this.finOffset();
      const end = this.finQueued ? dataEnd + 1 : dataEnd;
      if (this.nxt >= end) break;
      const limit = this.una + Math.min(this.sndWnd, this.cc.cwnd);
      const avail = Math.max(0, dataEnd - this.nxt);
      let len = Math.min(this.mss, avail, limit - this.nxt);
      if (len < 0) len = 0;
      const fin = this.finQueued && this.nxt + len === dataEnd && (len > 0 || limit > this.nxt || this.sndWnd === 0);
      if (len === 0 && !fin) {
        if (this.sndWnd === 0 && this.nxt === this.una && avail > 0) this.startPersist();
        break;
      }
      // Sender silly-window avoidance (RFC 9293 §3.8.6.2.1): no small segment while data is outstanding.
      if (len < this.mss && len < avail && this.nxt > this.una) break;
      this.sendData(this.nxt, len, fin);
      this.nxt += len + (fin ? 1 : 0);
      if (this.nxt > this.maxSent) this.maxSent = this.nxt;
      if (!this.rtoTimer) this.startRto();
    }
  }

  /** Sends `len` bytes at `off` (plus FIN), starting an RTT measurement when allowed. */
  private sendData(off: number, len: number, fin: boolean): void {
    const retransmit = off < this.maxSent;
    if (retransmit) {
      this.stats.retransmits++;
      this.timedOff = -1; // Karn's rule: no sample across a retransmission.
    } else if (this.timedOff < 0) {
      this.timedOff = off;
      this.timedAt = this.now;
    }
    const data = this.sndBuf.slice(off - this.sndBufBase, len);
    this.sendRaw(off, TCP_ACK | (len > 0 ? TCP_PSH : 0) | (fin ? TCP_FIN : 0), data);
  }

  /** Resends the first unacknowledged segment (fast retransmit, partial ACK, timeout). */
  private retransmitFirst(): void {
    if (this.state === 'SYN_SENT' || this.state === 'SYN_RECEIVED') {
      this.sendSyn();
      return;
    }
    const dataEnd = this.finOffset();
    const len = Math.max(0, Math.min(this.mss, dataEnd - this.una, this.maxSent - this.una));
    const fin = this.finQueued && this.una + len === dataEnd && this.maxSent > dataEnd;
    if (len === 0 && !fin) return;
    this.sendData(this.una, len, fin);
  }

  sendAck(): void {
    this.sendRaw(this.nxt, TCP_ACK, new Uint8Array(0));
  }

  /** RST for an unacceptable ACK: <SEQ=SEG.ACK><CTL=RST>. */
  private sendReset(wireAck: number): void {
    this.owner.host.sendIp({
      dst: this.remoteIp,
      src: this.localIp,
      protocol: IP_PROTO_TCP,
      payload: sharedBytes(
        encodeTcpSegment(
          this.localIp,
          this.remoteIp,
          { srcPort: this.localPort, dstPort: this.remotePort, seq: wireAck, ack: 0, flags: TCP_RST, window: 0, urgent: 0, options: {} },
          new Uint8Array(0),
        ),
      ),
    });
  }

  private sendRaw(off: number, flags: number, data: Uint8Array, options: TcpHeader['options'] = {}): void {
    const withAck = (flags & TCP_ACK) !== 0;
    const window = flags & TCP_RST ? 0 : this.rcvWindow();
    if (withAck) {
      this.lastAdvertised = window;
      this.ackPending = false;
    }
    const seg = encodeTcpSegment(
      this.localIp,
      this.remoteIp,
      {
        srcPort: this.localPort,
        dstPort: this.remotePort,
        seq: seqAdd(this.iss, off),
        ack: withAck ? seqAdd(this.irs, this.rcvNxt) : 0,
        flags,
        window,
        urgent: 0,
        options,
      },
      data,
    );
    this.stats.segmentsSent++;
    this.host.sendIp({ dst: this.remoteIp, src: this.localIp, protocol: IP_PROTO_TCP, payload: sharedBytes(seg), dontFragment: true });
  }

  // ------------------------------------------------------------------ timers

  private startRto(restart = false): void {
    if (this.rtoTimer) {
      if (!restart) return;
      this.host.kernel.cancel(this.rtoTimer);
    }
    this.rtoTimer = this.host.kernel.after(this.rtt.rto, this.onRto);
  }

  private stopRto(): void {
    if (this.rtoTimer) this.host.kernel.cancel(this.rtoTimer);
    this.rtoTimer = 0;
  }

  private readonly onRto = (): void => {
    this.rtoTimer = 0;
    if (this.state === 'CLOSED' || this.state === 'TIME_WAIT') return;
    const cfg = this.owner.config;
    const handshake = this.state === 'SYN_SENT' || this.state === 'SYN_RECEIVED';
    if (!handshake && this.una >= this.maxSent) return;
    this.retries++;
    if (this.retries > (handshake ? cfg.synRetries : cfg.dataRetries)) {
      if (!handshake) this.sendRaw(this.nxt, TCP_RST, new Uint8Array(0));
      this.fail('Connection timed out');
      this.publish();
      return;
    }
    this.stats.timeouts++;
    this.rtt.backoff();
    this.timedOff = -1;
    if (handshake) {
      this.sendSyn();
    } else {
      this.cc.onTimeout({ ...this.ccEvent(this.una), flight: this.maxSent - this.una });
      this.dupAcks = 0;
      // Go back: resend from SND.UNA as the (now one-segment) congestion window allows.
      this.nxt = this.una;
      this.output();
      if (!this.rtoTimer && this.una < this.maxSent) this.startRto();
    }
    this.publish();
  };

  private startPersist(): void {
    if (this.persistTimer) return;
    const delay = Math.min(this.owner.config.rto.maxRto, Math.max(this.rtt.rto, this.owner.config.rto.minRto) * 2 ** this.persistBackoff);
    this.persistTimer = this.host.kernel.after(delay, this.onPersist);
  }

  /** Zero-window probe (RFC 9293 §3.8.6.1): one byte of new data beyond the closed window. */
  private readonly onPersist = (): void => {
    this.persistTimer = 0;
    if (this.state === 'CLOSED' || this.sndWnd > 0) return;
    const dataEnd = this.finOffset();
    if (this.una >= dataEnd) return;
    this.sendData(this.una, 1, false);
    if (this.nxt < this.una + 1) this.nxt = this.una + 1;
    if (this.nxt > this.maxSent) this.maxSent = this.nxt;
    this.persistBackoff++;
    this.startPersist();
    this.publish();
  };

  private enterTimeWait(): void {
    this.setState('TIME_WAIT');
    this.stopRto();
    if (this.persistTimer) this.host.kernel.cancel(this.persistTimer);
    this.persistTimer = 0;
    this.notifyClose();
    this.restartTimeWait();
  }

  private restartTimeWait(): void {
    if (this.timeWaitTimer) this.host.kernel.cancel(this.timeWaitTimer);
    this.timeWaitTimer = this.host.kernel.after(2 * this.owner.config.msl, () => {
      this.timeWaitTimer = 0;
      this.destroy();
      this.publish();
    });
  }

  // ------------------------------------------------------------------ endings

  private fail(error: string): void {
    this.notifyClose(error);
    this.destroy();
  }

  private notifyClose(error?: string): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.handler.onClose?.(this, error);
  }

  /** Enters CLOSED: cancels every timer and leaves the service's table. */
  destroy(): void {
    this.stopRto();
    if (this.persistTimer) this.host.kernel.cancel(this.persistTimer);
    if (this.timeWaitTimer) this.host.kernel.cancel(this.timeWaitTimer);
    this.persistTimer = this.timeWaitTimer = 0;
    if (this.state !== 'CLOSED') this.setState('CLOSED');
    this.owner.remove(this);
  }

  private setState(s: TcpState): void {
    this.state = s;
    this.put('state', s);
  }

  private put(field: TcpTraceField, value: string): void {
    if (this.published.get(field) === value) return;
    this.published.set(field, value);
    this.host.state(tcpStateKey(this.id, field), value);
  }

  /** Publishes the sender's variables that changed (trace points). */
  publish(): void {
    this.put('cwnd', String(this.cc.cwnd));
    this.put('ssthresh', this.cc.ssthresh === Infinity ? 'inf' : String(this.cc.ssthresh));
    if (this.rtt.hasSample) {
      this.put('srtt', String(Math.round(this.rtt.srtt)));
      this.put('rttvar', String(Math.round(this.rtt.rttvar)));
    }
    this.put('rto', String(this.rtt.rto));
    this.put('flight', String(this.state === 'CLOSED' ? 0 : this.nxt - this.una));
    if (SYNCHRONIZED.has(this.state)) this.put('rwnd', String(this.sndWnd));
  }
}

/** The connection as programs see it. */
export type TcpSocket = TcpConnection;
