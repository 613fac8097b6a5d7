/**
 * One QUIC connection (RFC 9000, 9001, 9002), client or server, as a state machine over datagrams:
 * the endpoint hands it datagrams from the peer; it sends datagrams and sets timers through
 * {@link QuicIo}, and reports to its {@link QuicHandler}.
 *
 * - Three packet number spaces (Initial, Handshake, Application) with their own keys, ACKs and
 *   loss detection; the TLS 1.3 handshake travels in CRYPTO frames (the TLS engine's QUIC mode).
 * - Packets coalesce into datagrams; datagrams carrying Initial packets are padded to 1200 bytes;
 *   a server sends at most three times what it received until the client's address is validated.
 *   Every datagram goes with DF set. A packet carries frames of several streams when one stream has
 *   too little left to fill it; streams take turns, packet by packet, lost data first.
 * - Datagrams are 1200 bytes until DPLPMTUD (RFC 8899) finds more: once the handshake is confirmed,
 *   one PING + PADDING probe of min(1472, peer's max_udp_payload_size) bytes; its ACK raises the
 *   datagram size, three lost probes end the search at 1200. Probes are not congestion-controlled.
 * - Loss detection by packet and time thresholds (RFC 9002 6.1). A probe timeout sends one or two
 *   probe datagrams (new data, else the oldest unacknowledged data, else a PING) past the window,
 *   declares nothing lost and doubles the next timeout (6.2.4).
 * - NewReno (RFC 9002 7): slow start, congestion avoidance, halving once per recovery period (one
 *   packet may go before the halved window applies), persistent congestion to the minimum window.
 * - Streams deliver in order each on its own: a lost packet delays only the streams whose data
 *   it carried (state rows `quic stream N`: `stalled` / `flowing`).
 * - 0-RTT on resumption; connection migration (RFC 9000 9): the client, whose old path is gone,
 *   sends from its new address at once (a PING, so the packet is not a probe) with PATH_CHALLENGE
 *   and a fresh connection ID; the server answers a PATH_CHALLENGE on the path it came in on.
 *   A new path starts with the initial window, RTT estimate, PTO backoff and 1200-byte datagrams;
 *   the old path's packets, when declared lost, are sent again but do not reduce the new window.
 *
 * Simplifications (also in the inspector's notes): one version (1), AES-128-GCM only, 8-byte
 * connection IDs, one spare connection ID each way, 2-byte packet numbers, one PMTU probe size
 * (no search between 1200 and 1472, ICMP Packet Too Big not used), no pacing, no key updates, no
 * stateless reset, no idle timeout, flow-control limits large enough never to block, no Retry or
 * version negotiation, no ECN, no client anti-deadlock PTO before the handshake completes; 0-RTT
 * is always accepted with a valid ticket.
 */
import { TLS_KEYLOG_KEY } from '../http/stream';
import { TlsClient, type TlsEvent, TlsServer, type TlsSession, type TlsRandom, type TlsClientConfig, type TlsServerConfig, type EncryptionLevel } from '../tls';
import { type AckRange, decodeFrames, describeFrame, encodeFrame, frameLength, isAckEliciting, type QuicFrame } from './frames';
import {
  AEAD_TAG,
  CID_LENGTH,
  decodeTransportParameters,
  encodeLongHeader,
  encodeShortHeader,
  encodeTransportParameters,
  MAX_UDP_PAYLOAD,
  MIN_INITIAL_DATAGRAM,
  type PacketInfo,
  parsePacketHeader,
  type TransportParameters,
} from './packet';
import { initialSecrets, type PacketKeys, packetKeys, protectPacket, unprotectPacket } from './protection';
import { BASE_DATAGRAM_SIZE, GRANULARITY_NS, NewReno, PACKET_THRESHOLD, PERSISTENT_CONGESTION_THRESHOLD, RttEstimator } from './recovery';
import { concat, hex, QuicDecodeError, QuicWriter, varintLength } from './wire';

/** Where a datagram goes or came from. */
export interface QuicAddress {
  readonly addr: number;
  readonly port: number;
}

/** What a connection needs from its endpoint. */
export interface QuicIo {
  now(): number;
  after(delayNs: number, fn: () => void): number;
  cancel(id: number): void;
  send(datagram: Uint8Array, to: QuicAddress): void;
  /** Publishes a trace state row. */
  state(key: string, value: string): void;
  /** A new connection ID of ours now routes to this connection (the endpoint's demux table). */
  registerCid(cid: Uint8Array): void;
  readonly random: TlsRandom;
}

/** Callbacks. */
export interface QuicHandler {
  /** The handshake finished (client: 1-RTT keys; server: client Finished verified). */
  onConnected?(c: QuicConnection, info: { resumed: boolean; earlyData: 'none' | 'accepted' | 'rejected'; alpn?: string }): void;
  /** Bytes of stream `id`, in order; `fin` at the end. */
  onStreamData?(c: QuicConnection, id: number, data: Uint8Array, fin: boolean): void;
  /** A session ticket to resume (and send 0-RTT) later, client only. */
  onSession?(c: QuicConnection, session: TlsSession): void;
  onClose?(c: QuicConnection, error?: string): void;
}

type SpaceName = 'initial' | 'handshake' | 'app';

interface SentPacket {
  readonly pn: number;
  readonly time: number;
  /** Bytes counted in flight (0: not counted: ACK-only, or a PMTU probe). */
  readonly size: number;
  readonly ackEliciting: boolean;
  readonly frames: readonly QuicFrame[];
  /** The path it was sent on ({@link QuicConnection.pathEpoch}): old paths' packets leave the new path's window alone. */
  readonly path: number;
  /** A DPLPMTUD probe of this many bytes (0: not a probe). */
  readonly pmtuProbe: number;
  /** Its frames were already sent again in a PTO probe: losing it queues nothing more. */
  reprobed: boolean;
}

class Space {
  nextPn = 0;
  largestRecv = -1;
  /** Received packet numbers, largest range first. */
  recv: AckRange[] = [];
  largestRecvTime = 0;
  ackPending = false;
  ackNow = false;
  elicitingSinceAck = 0;
  ackTimer = 0;
  readonly sent = new Map<number, SentPacket>();
  largestAcked = -1;
  lossTime = 0;
  lastAckElicitingTime = 0;
  /** A PTO probe with nothing else to carry sends a PING in this space. */
  pingPending = false;
  cryptoOut: Uint8Array = new Uint8Array(0);
  cryptoSent = 0;
  cryptoRetx: { offset: number; data: Uint8Array }[] = [];
  readonly cryptoIn = new Map<number, Uint8Array>();
  cryptoInOffset = 0;
  sendKeys?: PacketKeys;
  recvKeys?: PacketKeys;
  discarded = false;

  constructor(readonly name: SpaceName) {}

  noteReceived(pn: number): void {
    const r = this.recv;
    let i = 0;
    while (i < r.length && r[i].from > pn) i++;
    if (i < r.length && r[i].to >= pn) return; // duplicate
    r.splice(i, 0, { from: pn, to: pn });
    // merge neighbours (list is descending)
    const merged: AckRange[] = [];
    for (const x of r) {
      const last = merged[merged.length - 1];
      if (last && last.from <= x.to + 1) merged[merged.length - 1] = { from: Math.min(last.from, x.from), to: Math.max(last.to, x.to) };
      else merged.push(x);
    }
    this.recv = merged.slice(0, 32);
  }

  seen(pn: number): boolean {
    return this.recv.some((r) => r.from <= pn && pn <= r.to);
  }
}

/** One direction-pair of a stream. */
class QuicStream {
  out: Uint8Array = new Uint8Array(0);
  sent = 0;
  finQueued = false;
  finSent = false;
  retx: { offset: number; length: number; fin: boolean }[] = [];
  readonly pending = new Map<number, Uint8Array>();
  readOffset = 0;
  finalSize = -1;
  finDelivered = false;
  stalled = false;

  constructor(readonly id: number) {}

  hasToSend(): boolean {
    return this.retx.length > 0 || this.sent < this.out.length || (this.finQueued && !this.finSent);
  }
}

const TP_DEFAULTS = {
  maxIdleTimeoutMs: 30_000,
  maxUdpPayloadSize: MAX_UDP_PAYLOAD,
  initialMaxData: 1 << 26,
  initialMaxStreamDataBidiLocal: 1 << 24,
  initialMaxStreamDataBidiRemote: 1 << 24,
  initialMaxStreamDataUni: 1 << 24,
  initialMaxStreamsBidi: 100,
  initialMaxStreamsUni: 100,
  maxAckDelayMs: 25,
  activeConnectionIdLimit: 2,
} as const;

const MAX_ACK_DELAY_NS = 25_000_000;
/** Probe datagrams a PTO sends (RFC 9002 6.2.4 allows one or two). */
const PTO_PROBES = 2;
/** DPLPMTUD's MAX_PROBES (RFC 8899 section 5.1.2). */
const MAX_PMTU_PROBES = 3;
const SHORT_OVERHEAD = 1 + CID_LENGTH + 2 + AEAD_TAG;

/** TLS settings the connection fills in (randomness, clock and QUIC mode are its own). */
export type QuicTlsClientConfig = Omit<TlsClientConfig, 'random' | 'now' | 'quic' | 'versions'>;
export type QuicTlsServerConfig = Omit<TlsServerConfig, 'random' | 'now' | 'quic' | 'versions'>;

export class QuicConnection {
  readonly role: 'client' | 'server';
  /** Our connection IDs: [0] from the handshake, [1] issued by NEW_CONNECTION_ID. */
  readonly scids: Uint8Array[] = [];
  /** The peer's connection IDs we may use, by sequence number. */
  private readonly peerCids: Uint8Array[] = [];
  private dcid: Uint8Array;
  private readonly originalDcid: Uint8Array;
  /** The path in use. */
  peer: QuicAddress;
  private readonly tls: TlsClient | TlsServer;
  private keyLogLines = 0;
  private readonly spaces: Record<SpaceName, Space> = { initial: new Space('initial'), handshake: new Space('handshake'), app: new Space('app') };
  private zeroRttKeys?: PacketKeys;
  private zeroRttRecvKeys?: PacketKeys;
  handshakeComplete = false;
  handshakeConfirmed = false;
  private addressValidated: boolean;
  private bytesReceived = 0;
  private bytesSent = 0;
  readonly rtt = new RttEstimator();
  readonly cc = new NewReno();
  private ptoCount = 0;
  private timer = 0;
  private timerAt = 0;
  /** PTO probe datagrams still to send, allowed past the congestion window (RFC 9002 6.2.4). */
  private probes = 0;
  /** One packet allowed past the window on entering a recovery period. */
  private recoverySend = false;
  /** Bumped on every change of path: packets of older paths no longer count in the window. */
  private pathEpoch = 0;
  /** Time of the first RTT sample on this path (persistent congestion needs one, RFC 9002 7.6.2). */
  private firstRttSampleAt = -1;
  /** Largest datagram this path has shown it carries: 1200 until a PMTU probe is acknowledged. */
  maxDatagram = BASE_DATAGRAM_SIZE;
  /** DPLPMTUD state (RFC 8899): one size tried, up to three probes. */
  private pmtu = { done: false, inFlight: false, lost: 0 };
  private readonly streams = new Map<number, QuicStream>();
  private streamOrder: number[] = [];
  private nextStreamId: number;
  private control: QuicFrame[] = [];
  private pathChallenge?: { data: Uint8Array; sentAt: number };
  closed = false;
  private closeFrame?: QuicFrame;
  /**
   * The TLS alert that ended the handshake, as data: one this end sent (a CRYPTO_ERROR close,
   * RFC 9001 §4.8), or the one the peer's CONNECTION_CLOSE carried (code 0x100 + alert).
   */
  tlsAlert?: {
    readonly direction: 'sent' | 'received';
    readonly description: number;
    readonly certificate?: Extract<TlsEvent, { type: 'alert' }>['certificate'];
  };
  private peerParams?: TransportParameters;
  /** Data sent in 0-RTT packets (resent in 1-RTT if the server refuses it). */
  earlyData: 'none' | 'accepted' | 'rejected' = 'none';
  /** Simulated time the handshake completed, ns. */
  connectedAt = -1;

  constructor(
    readonly io: QuicIo,
    role: 'client' | 'server',
    peer: QuicAddress,
    readonly handler: QuicHandler,
    opts: { tls: QuicTlsClientConfig | QuicTlsServerConfig; originalDcid?: Uint8Array; peerScid?: Uint8Array },
  ) {
    this.role = role;
    this.peer = peer;
    this.scids.push(io.random.bytes(CID_LENGTH));
    this.nextStreamId = role === 'client' ? 0 : 1;
    this.nextUniId = role === 'client' ? 2 : 3;
    const now = () => io.now();
    if (role === 'client') {
      this.originalDcid = io.random.bytes(CID_LENGTH);
      this.dcid = this.originalDcid;
      this.addressValidated = true;
      const params = encodeTransportParameters({ ...TP_DEFAULTS, initialScid: this.scids[0] });
      this.tls = new TlsClient({ ...(opts.tls as QuicTlsClientConfig), random: io.random, now, versions: ['1.3'], quic: { transportParameters: params } });
    } else {
      this.originalDcid = opts.originalDcid ?? new Uint8Array(0);
      this.dcid = opts.peerScid ?? new Uint8Array(0);
      this.peerCids[0] = this.dcid;
      this.addressValidated = false;
      const params = encodeTransportParameters({ ...TP_DEFAULTS, initialScid: this.scids[0], originalDcid: this.originalDcid });
      this.tls = new TlsServer({
        ...(opts.tls as QuicTlsServerConfig),
        random: io.random,
        now,
        versions: ['1.3'],
        quic: { transportParameters: params },
        maxEarlyData: 0xffffffff,
      });
    }
    const init = initialSecrets(this.originalDcid);
    const mine = role === 'client' ? init.client : init.server;
    const theirs = role === 'client' ? init.server : init.client;
    this.spaces.initial.sendKeys = packetKeys(mine);
    this.spaces.initial.recvKeys = packetKeys(theirs);
    io.registerCid(this.scids[0]);
  }

  /** The CID the client chose for its first Initial (the server's demux key for Initials). */
  get originalDestinationCid(): Uint8Array {
    return this.originalDcid;
  }

  /** Client: starts the handshake (stream data written before this goes as 0-RTT when resuming). */
  start(): void {
    if (this.tls instanceof TlsClient) this.onTls(this.tls.start());
    this.flush();
  }

  // ------------------------------------------------------------------ streams (application API)

  /** Opens a bidirectional stream of ours; returns its id. */
  openStream(): number {
    const id = this.nextStreamId;
    this.nextStreamId += 4;
    this.stream(id);
    return id;
  }

  /** Opens a unidirectional stream of ours (HTTP/3 control stream); returns its id. */
  openUniStream(): number {
    const id = this.nextUniId;
    this.nextUniId += 4;
    this.stream(id);
    return id;
  }

  private nextUniId = 0;

  /** Queues bytes on a stream (and the end of it with `fin`). */
  write(id: number, data: Uint8Array, fin = false): void {
    if (this.closed) return;
    const s = this.stream(id);
    if (data.length > 0) s.out = concat(s.out, data);
    if (fin) s.finQueued = true;
    this.flush();
  }

  /** Closes the connection with an application error code (0: no error). */
  close(code = 0, reason = ''): void {
    if (this.closed) return;
    this.closeFrame = { type: 'connection_close', app: this.handshakeComplete, code: this.handshakeComplete ? code : 0, frameType: 0, reason };
    this.flush();
    this.terminate();
  }

  /** Client: the host's address toward the server changed (e.g. Wi-Fi to cellular). */
  migrate(): void {
    if (this.role !== 'client' || !this.handshakeComplete || this.closed) return;
    const next = this.peerCids[1];
    if (next && this.dcid !== next) {
      this.dcid = next;
      this.control.push({ type: 'retire_connection_id', seq: 0 });
    }
    this.io.state('quic path', 'client address changed: carrying on from the new address, validating the path');
    this.newPath();
    this.startPathValidation();
    // A PING is not a probing frame: the server takes this packet as the client having moved (RFC 9000 section 9.2).
    this.control.push({ type: 'ping' });
    this.flush();
  }

  private stream(id: number): QuicStream {
    let s = this.streams.get(id);
    if (!s) {
      s = new QuicStream(id);
      this.streams.set(id, s);
      this.streamOrder.push(id);
    }
    return s;
  }

  // ------------------------------------------------------------------ receiving

  /** A datagram from the peer. */
  receive(datagram: Uint8Array, from: QuicAddress): void {
    if (this.closed) return;
    this.bytesReceived += datagram.length;
    this.lastDatagram = datagram.length;
    let off = 0;
    while (off < datagram.length) {
      let info: PacketInfo;
      try {
        info = parsePacketHeader(datagram, off);
      } catch {
        break;
      }
      off = info.end;
      this.receivePacket(datagram, info, from);
      if (this.closed) return;
    }
    this.flush();
  }

  private keysFor(info: PacketInfo): { space: Space; keys?: PacketKeys } {
    switch (info.type) {
      case 'initial':
        return { space: this.spaces.initial, keys: this.spaces.initial.recvKeys };
      case 'handshake':
        return { space: this.spaces.handshake, keys: this.spaces.handshake.recvKeys };
      case '0rtt':
        return { space: this.spaces.app, keys: this.zeroRttRecvKeys };
      default:
        return { space: this.spaces.app, keys: this.spaces.app.recvKeys };
    }
  }

  private receivePacket(d: Uint8Array, info: PacketInfo, from: QuicAddress): void {
    if (info.type === 'retry') return;
    const { space, keys } = this.keysFor(info);
    if (!keys || space.discarded) return;
    const opened = unprotectPacket(keys, d, info.start, info.pnOffset, info.end, space.largestRecv);
    if (!opened || space.seen(opened.pn)) return;
    if (this.role === 'client' && info.type === 'initial' && info.scid && this.spaces.initial.largestRecv < 0) {
      this.dcid = info.scid;
      this.peerCids[0] = info.scid;
    }
    if (this.role === 'server' && info.type === 'handshake' && !this.addressValidated) {
      this.addressValidated = true;
      this.discardSpace(this.spaces.initial);
    }
    let frames: QuicFrame[];
    try {
      frames = decodeFrames(opened.payload);
    } catch (e) {
      this.fail(0x07, e instanceof QuicDecodeError ? e.message : String(e));
      return;
    }
    const largest = opened.pn > space.largestRecv;
    space.noteReceived(opened.pn);
    if (largest) {
      space.largestRecv = opened.pn;
      space.largestRecvTime = this.io.now();
    }
    const eliciting = frames.some(isAckEliciting);
    // Connection migration (RFC 9000 section 9.3): a non-probing packet from a new address.
    const probing = frames.every((f) => f.type === 'path_challenge' || f.type === 'path_response' || f.type === 'padding' || f.type === 'new_connection_id');
    if (this.role === 'server' && info.type === '1rtt' && (from.addr !== this.peer.addr || from.port !== this.peer.port) && largest && !probing) {
      this.onPeerMigrated(from);
    }
    for (const f of frames) {
      this.onFrame(space, f, info, from);
      if (this.closed) return;
    }
    if (eliciting) {
      space.ackPending = true;
      space.elicitingSinceAck++;
      if (space.name !== 'app' || space.elicitingSinceAck >= 2 || !largest) space.ackNow = true;
      else if (!space.ackTimer) {
        space.ackTimer = this.io.after(MAX_ACK_DELAY_NS, () => {
          space.ackTimer = 0;
          space.ackNow = true;
          this.flush();
        });
      }
    }
  }

  private onFrame(space: Space, f: QuicFrame, info: PacketInfo, from: QuicAddress): void {
    switch (f.type) {
      case 'padding':
      case 'ping':
        return;
      case 'ack':
        this.onAck(space, f.ranges, f.delayUs);
        return;
      case 'crypto':
        this.onCrypto(space, f.offset, f.data);
        return;
      case 'stream':
        this.onStreamFrame(f.id, f.offset, f.data, f.fin);
        return;
      case 'max_data':
      case 'max_stream_data':
      case 'max_streams':
      case 'retire_connection_id':
        return; // limits are never reached here
      case 'new_connection_id':
        this.peerCids[f.seq] = f.cid;
        return;
      case 'path_challenge':
        // The response goes back on the path the challenge came in on (RFC 9000 section 8.2.2).
        if (from.addr !== this.peer.addr || from.port !== this.peer.port) this.sendAlone([{ type: 'path_response', data: f.data }], from, MIN_INITIAL_DATAGRAM);
        else this.control.push({ type: 'path_response', data: f.data });
        return;
      case 'path_response':
        if (this.pathChallenge && hex(this.pathChallenge.data) === hex(f.data)) {
          this.pathChallenge = undefined;
          this.addressValidated = true;
          this.io.state('quic path', `validated ${info.type === '1rtt' ? 'new path' : 'path'}`);
        }
        return;
      case 'connection_close':
        this.io.state('quic', `closed by peer: code 0x${f.code.toString(16)}${f.reason ? ` (${f.reason})` : ''}`);
        if (!f.app && f.code >= 0x100 && f.code <= 0x1ff) this.tlsAlert = { direction: 'received', description: f.code - 0x100 };
        this.terminate(f.code === 0 ? undefined : `peer closed: ${f.reason || `code 0x${f.code.toString(16)}`}`);
        return;
      case 'handshake_done':
        if (this.role === 'client' && !this.handshakeConfirmed) {
          this.handshakeConfirmed = true;
          this.discardSpace(this.spaces.handshake);
          this.io.state('quic', 'handshake confirmed');
        }
        return;
      default: {
        const never: never = f;
        return never;
      }
    }
  }

  private onCrypto(space: Space, offset: number, data: Uint8Array): void {
    if (offset + data.length <= space.cryptoInOffset) return;
    space.cryptoIn.set(offset, data);
    const level: EncryptionLevel = space.name === 'app' ? 'application' : space.name;
    for (;;) {
      let progressed = false;
      for (const [o, d] of space.cryptoIn) {
        if (o <= space.cryptoInOffset) {
          space.cryptoIn.delete(o);
          if (o + d.length > space.cryptoInOffset) {
            const fresh = d.subarray(space.cryptoInOffset - o);
            space.cryptoInOffset += fresh.length;
            this.onTls(this.tls.feedCrypto(level, fresh));
            if (this.closed) return;
          }
          progressed = true;
          break;
        }
      }
      if (!progressed) break;
    }
  }

  private onStreamFrame(id: number, offset: number, data: Uint8Array, fin: boolean): void {
    const s = this.stream(id);
    if (fin) s.finalSize = offset + data.length;
    if (offset + data.length > s.readOffset || (fin && !s.finDelivered)) s.pending.set(offset, data);
    // Deliver what is contiguous, and only for this stream.
    for (;;) {
      let next: [number, Uint8Array] | undefined;
      for (const e of s.pending) {
        if (e[0] <= s.readOffset) {
          next = e;
          break;
        }
      }
      if (!next) break;
      s.pending.delete(next[0]);
      const fresh = next[1].subarray(Math.max(0, s.readOffset - next[0]));
      s.readOffset += fresh.length;
      const done = s.finalSize >= 0 && s.readOffset >= s.finalSize && !s.finDelivered;
      if (done) s.finDelivered = true;
      if (fresh.length > 0 || done) this.handler.onStreamData?.(this, id, fresh, done);
    }
    const gap = s.pending.size > 0;
    if (gap !== s.stalled) {
      s.stalled = gap;
      this.io.state(`quic stream ${id}`, gap ? `stalled: waiting for bytes from ${s.readOffset}` : 'flowing');
    }
  }

  // ------------------------------------------------------------------ TLS

  private onTls(events: TlsEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'send': {
          const space = e.level === 'initial' ? this.spaces.initial : e.level === 'handshake' ? this.spaces.handshake : this.spaces.app;
          space.cryptoOut = concat(space.cryptoOut, e.bytes);
          break;
        }
        case 'secret':
          this.onSecret(e.label, e.secret);
          break;
        case 'connected':
          this.handshakeComplete = true;
          this.connectedAt = this.io.now();
          this.earlyData = e.earlyData;
          try {
            this.peerParams = decodeTransportParameters(this.tls.peerTransportParameters ?? new Uint8Array(0));
          } catch {
            this.fail(0x08, 'bad transport parameters');
            return;
          }
          if (this.role === 'server') {
            this.handshakeConfirmed = true;
            this.control.push({ type: 'handshake_done' });
            this.discardSpace(this.spaces.handshake);
          } else if (e.earlyData === 'rejected') {
            for (const s of this.streams.values()) s.sent = 0; // resend 0-RTT data in 1-RTT
          }
          this.issueSpareCid();
          this.io.state('quic', `connected${e.resumed ? ' (resumed)' : ''}${e.earlyData !== 'none' ? `, 0-RTT ${e.earlyData}` : ''}`);
          this.handler.onConnected?.(this, { resumed: e.resumed, earlyData: e.earlyData, alpn: e.alpn });
          break;
        case 'session':
          this.handler.onSession?.(this, e.session);
          break;
        case 'alert':
          if (e.direction === 'sent' && e.level === 'fatal') {
            this.closeFrame = { type: 'connection_close', app: false, code: 0x100 + e.description, frameType: 0x06, reason: e.reason ?? e.name };
            this.tlsAlert = { direction: 'sent', description: e.description, certificate: e.certificate };
            this.flush();
            this.terminate(`TLS alert: ${e.name}${e.reason ? ` (${e.reason})` : ''}`);
            return;
          }
          break;
        case 'handshake':
        case 'data':
        case 'closed':
          break;
      }
    }
    this.publishKeyLog();
  }

  private publishKeyLog(): void {
    const lines = this.tls.keyLogLines();
    for (; this.keyLogLines < lines.length; this.keyLogLines++) this.io.state(TLS_KEYLOG_KEY, lines[this.keyLogLines]);
  }

  private onSecret(label: string, secret: Uint8Array): void {
    const keys = packetKeys(secret);
    const client = label.startsWith('CLIENT_');
    const mine = client === (this.role === 'client');
    if (label === 'CLIENT_EARLY_TRAFFIC_SECRET') {
      if (mine) this.zeroRttKeys = keys;
      else this.zeroRttRecvKeys = keys;
      return;
    }
    const space = label.includes('HANDSHAKE') ? this.spaces.handshake : label.includes('TRAFFIC_SECRET_0') ? this.spaces.app : undefined;
    if (!space) return;
    if (mine) space.sendKeys = keys;
    else space.recvKeys = keys;
  }

  private issueSpareCid(): void {
    const cid = this.io.random.bytes(CID_LENGTH);
    this.scids.push(cid);
    this.io.registerCid(cid);
    this.control.push({ type: 'new_connection_id', seq: 1, retirePriorTo: 0, cid, resetToken: this.io.random.bytes(16) });
  }

  // ------------------------------------------------------------------ paths

  private lastDatagram = 0;

  private onPeerMigrated(from: QuicAddress): void {
    this.peer = from;
    this.addressValidated = false;
    this.bytesReceived = this.lastDatagram;
    this.bytesSent = 0;
    const next = this.peerCids[1];
    if (next) this.dcid = next;
    this.newPath();
    this.io.state('quic path', `peer moved to ${formatAddr(from)}: validating`);
    this.startPathValidation();
  }

  /**
   * A new path starts with the initial congestion window, RTT estimate and PTO backoff, and with
   * 1200-byte datagrams until its own PMTU probe succeeds (RFC 9000 sections 9.4 and 14.2).
   */
  private newPath(): void {
    this.pathEpoch++;
    this.cc.reset(this.io.now());
    this.rtt.reset();
    this.firstRttSampleAt = -1;
    this.ptoCount = 0;
    this.maxDatagram = BASE_DATAGRAM_SIZE;
    this.pmtu = { done: false, inFlight: false, lost: 0 };
  }

  private startPathValidation(): void {
    const data = this.io.random.bytes(8);
    this.pathChallenge = { data, sentAt: this.io.now() };
    this.control.push({ type: 'path_challenge', data });
  }

  // ------------------------------------------------------------------ ACKs and loss (RFC 9002)

  private onAck(space: Space, ranges: readonly AckRange[], delayUs: number): void {
    const now = this.io.now();
    const acked: SentPacket[] = [];
    for (const r of ranges) {
      for (const [pn, p] of space.sent) if (pn >= r.from && pn <= r.to) acked.push(p);
    }
    if (acked.length === 0) return;
    for (const p of acked) space.sent.delete(p.pn);
    const largest = ranges[0].to;
    if (largest > space.largestAcked) {
      space.largestAcked = largest;
      const top = acked.find((p) => p.pn === largest);
      if (top && top.path === this.pathEpoch && acked.some((p) => p.ackEliciting)) {
        this.rtt.update(now - top.time, space.name === 'app' ? delayUs * 1000 : 0, this.handshakeConfirmed, MAX_ACK_DELAY_NS);
        if (this.firstRttSampleAt < 0) this.firstRttSampleAt = now;
      }
    }
    for (const p of acked) {
      if (p.path !== this.pathEpoch) continue;
      if (p.size > 0) this.cc.onAcked(p.size, p.time);
      if (p.pmtuProbe > this.maxDatagram) {
        this.maxDatagram = p.pmtuProbe;
        this.cc.setMaxDatagramSize(p.pmtuProbe);
        this.pmtu = { done: true, inFlight: false, lost: this.pmtu.lost };
        this.io.state('quic pmtu', `${p.pmtuProbe}-byte probe acknowledged: datagrams up to ${p.pmtuProbe} bytes on this path`);
      }
    }
    this.detectLost(space);
    this.ptoCount = 0;
    this.io.state('quic cwnd', `${this.cc.window}`);
    this.setTimer();
  }

  private detectLost(space: Space): void {
    const now = this.io.now();
    const delay = this.rtt.lossDelay();
    space.lossTime = 0;
    const lost: SentPacket[] = [];
    for (const p of space.sent.values()) {
      if (p.pn > space.largestAcked) continue;
      if (p.pn <= space.largestAcked - PACKET_THRESHOLD || p.time <= now - delay) lost.push(p);
      else if (space.lossTime === 0 || p.time + delay < space.lossTime) space.lossTime = p.time + delay;
    }
    if (lost.length === 0) return;
    let congestion = false;
    for (const p of lost) {
      space.sent.delete(p.pn);
      if (p.pmtuProbe > 0) {
        // A lost PMTU probe says nothing about congestion (RFC 9000 section 14.4).
        if (p.path === this.pathEpoch) this.onPmtuProbeLost(p.pmtuProbe);
        continue;
      }
      if (!p.reprobed) this.requeue(space, p);
      this.io.state('quic lost', `${space.name} packet ${p.pn}: ${p.frames.map(describeFrame).join(', ') || 'no data'}`);
      if (p.path !== this.pathEpoch) continue; // the old path's losses leave the new path's window alone
      this.cc.onRemoved(p.size);
      if (p.ackEliciting && this.cc.onCongestion(p.time, now)) congestion = true;
    }
    // Entering recovery, one packet may go before the reduced window applies, so that the lost
    // data is sent again at once (RFC 9002 7.3.2).
    if (congestion) this.recoverySend = true;
    if (this.persistentCongestion(space, lost)) {
      this.cc.onPersistentCongestion(now);
      this.io.state('quic cwnd', `${this.cc.window} (persistent congestion)`);
    } else if (congestion) this.io.state('quic cwnd', `${this.cc.window} (loss)`);
  }

  /**
   * RFC 9002 7.6.2: ack-eliciting packets lost in a row (no packet between them acknowledged)
   * spanning more than three probe timeouts, all sent after the path's first RTT sample.
   */
  private persistentCongestion(space: Space, lost: readonly SentPacket[]): boolean {
    if (this.firstRttSampleAt < 0) return false;
    const duration = (this.rtt.pto() + (space.name === 'app' ? MAX_ACK_DELAY_NS : 0)) * PERSISTENT_CONGESTION_THRESHOLD;
    const run = lost.filter((p) => p.path === this.pathEpoch && p.pmtuProbe === 0 && p.time > this.firstRttSampleAt).sort((a, b) => a.pn - b.pn);
    let start = 0;
    for (let i = 0; i < run.length; i++) {
      if (i > 0 && run[i].pn !== run[i - 1].pn + 1) start = i;
      if (run[start].ackEliciting && run[i].ackEliciting && run[i].time - run[start].time > duration) return true;
    }
    return false;
  }

  private onPmtuProbeLost(size: number): void {
    this.pmtu.inFlight = false;
    this.pmtu.lost++;
    if (this.pmtu.lost >= MAX_PMTU_PROBES) {
      this.pmtu.done = true;
      this.io.state('quic pmtu', `${MAX_PMTU_PROBES} probes of ${size} bytes lost: staying at ${this.maxDatagram}-byte datagrams`);
    } else this.io.state('quic pmtu', `${size}-byte probe lost: trying again`);
  }

  /** Puts a lost (or probed) packet's retransmittable frames back in the queues. */
  private requeue(space: Space, p: SentPacket): void {
    for (const f of p.frames) {
      if (f.type === 'crypto') space.cryptoRetx.push({ offset: f.offset, data: f.data });
      else if (f.type === 'stream') {
        const s = this.streams.get(f.id);
        s?.retx.push({ offset: f.offset, length: f.data.length, fin: f.fin });
      } else if (f.type === 'handshake_done' || f.type === 'new_connection_id' || f.type === 'retire_connection_id') this.control.push(f);
    }
  }

  private discardSpace(space: Space): void {
    if (space.discarded) return;
    space.discarded = true;
    for (const p of space.sent.values()) if (p.path === this.pathEpoch) this.cc.onRemoved(p.size);
    space.sent.clear();
    space.cryptoRetx = [];
    space.lossTime = 0;
    space.ackNow = false;
    space.ackPending = false;
    if (space.ackTimer) this.io.cancel(space.ackTimer);
    space.ackTimer = 0;
  }

  private activeSpaces(): Space[] {
    return [this.spaces.initial, this.spaces.handshake, this.spaces.app].filter((s) => !s.discarded);
  }

  private setTimer(): void {
    let at = 0;
    let kind: 'loss' | 'pto' = 'loss';
    for (const s of this.activeSpaces()) if (s.lossTime && (at === 0 || s.lossTime < at)) at = s.lossTime;
    if (at === 0) {
      kind = 'pto';
      for (const s of this.activeSpaces()) {
        const eliciting = [...s.sent.values()].some((p) => p.ackEliciting && p.pmtuProbe === 0);
        if (!eliciting) continue;
        if (s.name === 'app' && !this.handshakeComplete) continue;
        const t = s.lastAckElicitingTime + (this.rtt.pto() + (s.name === 'app' ? MAX_ACK_DELAY_NS : 0)) * 2 ** this.ptoCount;
        if (at === 0 || t < at) at = t;
      }
    }
    if (at === this.timerAt && this.timer) return;
    if (this.timer) this.io.cancel(this.timer);
    this.timer = 0;
    this.timerAt = at;
    if (at === 0 || this.closed) return;
    const delay = Math.max(0, at - this.io.now());
    this.timer = this.io.after(delay, () => {
      this.timer = 0;
      this.timerAt = 0;
      if (kind === 'loss') {
        for (const s of this.activeSpaces()) if (s.lossTime && s.lossTime <= this.io.now()) this.detectLost(s);
      } else this.onPto();
      this.flush();
    });
  }

  /**
   * A probe timeout (RFC 9002 6.2.4): one or two ack-eliciting probe datagrams go out, past the
   * congestion window, carrying new data if there is any, else the oldest unacknowledged data, else
   * a PING. Nothing is declared lost and the window is left alone: only ACKs declare losses.
   */
  private onPto(): void {
    this.ptoCount++;
    for (const s of this.activeSpaces()) {
      if (s.name === 'app' && !this.handshakeComplete) continue;
      const outstanding = [...s.sent.values()].filter((p) => p.ackEliciting && p.pmtuProbe === 0).sort((a, b) => a.pn - b.pn);
      if (outstanding.length === 0) continue;
      this.probes = PTO_PROBES;
      let what = 'new data';
      if (!this.hasData(s)) {
        let again = 0;
        for (const p of outstanding) {
          if (again === PTO_PROBES) break;
          if (p.reprobed || p.frames.length === 0) continue;
          this.requeue(s, p);
          p.reprobed = true;
          again++;
        }
        what = again > 0 ? 'oldest unacknowledged data again' : 'PING';
        if (again === 0) s.pingPending = true;
      }
      this.io.state('quic pto', `probe timeout #${this.ptoCount} (${s.name}): up to ${PTO_PROBES} probe datagrams with ${what}, nothing declared lost`);
      return;
    }
  }

  // ------------------------------------------------------------------ sending

  private hasData(s: Space): boolean {
    if (s.cryptoRetx.length > 0 || s.cryptoSent < s.cryptoOut.length) return true;
    if (s.name !== 'app') return false;
    return this.control.length > 0 || this.closeFrame !== undefined || this.streamOrder.some((id) => this.streams.get(id)?.hasToSend());
  }

  /** Sends every datagram the congestion window, the amplification limit and the queues allow. */
  flush(): void {
    if (this.pmtuProbeDue()) this.sendPmtuProbe();
    for (let guard = 0; guard < 1000 && !this.closed; guard++) {
      const d = this.buildDatagram();
      if (!d) break;
      this.bytesSent += d.length;
      this.io.send(d, this.peer);
    }
    this.setTimer();
  }

  /** The size DPLPMTUD tries: the largest the peer accepts, at most an Ethernet path's. */
  private get pmtuTarget(): number {
    return Math.min(MAX_UDP_PAYLOAD, this.peerParams?.maxUdpPayloadSize ?? BASE_DATAGRAM_SIZE);
  }

  private pmtuProbeDue(): boolean {
    return (
      this.handshakeConfirmed &&
      this.addressValidated &&
      !this.pathChallenge &&
      !this.closeFrame &&
      !this.pmtu.done &&
      !this.pmtu.inFlight &&
      this.pmtuTarget > this.maxDatagram &&
      this.spaces.app.sendKeys !== undefined
    );
  }

  /**
   * A DPLPMTUD probe (RFC 8899, RFC 9000 section 14.3): one 1-RTT packet of PING and PADDING
   * filling a datagram of the target size, sent with DF like every QUIC datagram. It is not
   * counted in flight; its ACK raises the datagram size, its loss only ends the search.
   */
  private sendPmtuProbe(): void {
    const size = this.pmtuTarget;
    this.pmtu.inFlight = true;
    this.io.state('quic pmtu', `probing the path with a ${size}-byte datagram (PING + PADDING, DF set)`);
    this.sendAlone([{ type: 'ping' }], this.peer, size, size);
  }

  /**
   * One 1-RTT packet in a datagram of its own to `to`, padded to `padTo` bytes (as far as the
   * amplification limit allows on an unvalidated path); kept for loss detection, not in flight.
   */
  private sendAlone(frames: QuicFrame[], to: QuicAddress, padTo: number, pmtuProbe = 0): void {
    const space = this.spaces.app;
    if (!space.sendKeys) return;
    const onPath = to.addr === this.peer.addr && to.port === this.peer.port;
    const limit = onPath && !this.addressValidated && this.role === 'server' ? 3 * this.bytesReceived - this.bytesSent : padTo;
    const used = SHORT_OVERHEAD + frames.reduce((n, f) => n + frameLength(f), 0);
    const pad = Math.min(padTo, limit) - used;
    const all: QuicFrame[] = pad > 0 ? [...frames, { type: 'padding', length: pad }] : frames;
    const w = new QuicWriter();
    for (const f of all) encodeFrame(w, f);
    const pn = space.nextPn++;
    const pkt = protectPacket(space.sendKeys, encodeShortHeader(this.dcid, pn), 2, pn, w.finish());
    space.sent.set(pn, {
      pn,
      time: this.io.now(),
      size: 0,
      ackEliciting: all.some(isAckEliciting),
      frames: [],
      path: this.pathEpoch,
      pmtuProbe,
      reprobed: false,
    });
    if (onPath) this.bytesSent += pkt.length;
    this.io.send(pkt, to);
  }

  private buildDatagram(): Uint8Array | undefined {
    let budget = this.maxDatagram;
    if (!this.addressValidated && this.role === 'server') budget = Math.min(budget, 3 * this.bytesReceived - this.bytesSent);
    if (budget < 64) return undefined;
    const packets: { space: Space; frames: QuicFrame[]; type: 'initial' | 'handshake' | '0rtt' | '1rtt' }[] = [];
    let used = 0;
    const congestionOk = this.probes > 0 || this.recoverySend || this.cc.canSend(this.maxDatagram);
    for (const space of [this.spaces.initial, this.spaces.handshake, this.spaces.app]) {
      if (space.discarded) continue;
      let type: 'initial' | 'handshake' | '0rtt' | '1rtt' = space.name === 'app' ? '1rtt' : space.name;
      let keys = space.sendKeys;
      if (space.name === 'app' && !keys && this.role === 'client' && this.zeroRttKeys && !this.handshakeComplete) {
        type = '0rtt';
        keys = this.zeroRttKeys;
      }
      // The server may send 1-RTT data once it has sent its Finished (0.5-RTT), not before.
      if (!keys) continue;
      const overhead = type === '1rtt' ? SHORT_OVERHEAD : 1 + 4 + 2 + 2 * CID_LENGTH + (type === 'initial' ? 1 : 0) + 2 + 2 + AEAD_TAG;
      const room = budget - used - overhead;
      if (room < 32) break;
      const frames = this.framesFor(space, type, room, congestionOk);
      if (frames.length === 0) continue;
      const size = overhead + frames.reduce((n, f) => n + frameLength(f), 0);
      packets.push({ space, frames, type });
      used += size;
    }
    if (packets.length === 0) return undefined;
    // Pad datagrams that carry Initial packets (client: all; server: ack-eliciting) to 1200 bytes.
    const first = packets[0];
    const padInitial = first.type === 'initial' && (this.role === 'client' || first.frames.some(isAckEliciting));
    // Datagrams probing a path are padded too (RFC 9000 8.2.1), as far as the amplification limit allows.
    const probe = packets.some((p) => p.frames.some((f) => f.type === 'path_challenge' || f.type === 'path_response'));
    const target = Math.min(MIN_INITIAL_DATAGRAM, budget);
    if ((padInitial || probe) && used < target) {
      const last = packets[packets.length - 1];
      last.frames.push({ type: 'padding', length: target - used });
    }
    // Header protection samples 16 bytes from 4 past the packet number: keep payloads long enough.
    for (const p of packets) {
      const len = p.frames.reduce((n, f) => n + frameLength(f), 0);
      if (len < 4) p.frames.push({ type: 'padding', length: 4 - len });
    }
    const out: Uint8Array[] = [];
    const now = this.io.now();
    let elicitingDatagram = false;
    for (const p of packets) {
      const w = new QuicWriter();
      for (const f of p.frames) encodeFrame(w, f);
      const payload = w.finish();
      const pn = p.space.nextPn++;
      const scid = this.scids[0];
      const header = p.type === '1rtt' ? encodeShortHeader(this.dcid, pn) : encodeLongHeader(p.type, this.dcid, scid, pn, payload.length + AEAD_TAG);
      const keys = p.type === '0rtt' ? (this.zeroRttKeys as PacketKeys) : (p.space.sendKeys as PacketKeys);
      const pkt = protectPacket(keys, header, 2, pn, payload);
      out.push(pkt);
      const eliciting = p.frames.some(isAckEliciting);
      const retransmittable = p.frames.filter((f) => f.type !== 'ack' && f.type !== 'padding' && f.type !== 'ping');
      const inFlight = eliciting || p.frames.some((f) => f.type === 'padding');
      p.space.sent.set(pn, {
        pn,
        time: now,
        size: inFlight ? pkt.length : 0,
        ackEliciting: eliciting,
        frames: retransmittable,
        path: this.pathEpoch,
        pmtuProbe: 0,
        reprobed: false,
      });
      if (inFlight) this.cc.onSent(pkt.length);
      if (eliciting) {
        p.space.lastAckElicitingTime = now;
        elicitingDatagram = true;
      }
      // The client drops Initial keys once it sends its first Handshake packet (RFC 9001 4.9.1).
      if (this.role === 'client' && p.type === 'handshake') this.discardSpace(this.spaces.initial);
    }
    if (elicitingDatagram && this.probes > 0) this.probes--;
    else if (elicitingDatagram) this.recoverySend = false;
    if (this.closeFrame) this.closed = true;
    return concat(...out);
  }

  private framesFor(space: Space, type: string, room: number, congestionOk: boolean): QuicFrame[] {
    const frames: QuicFrame[] = [];
    let left = room;
    const add = (f: QuicFrame): boolean => {
      const n = frameLength(f);
      if (n > left) return false;
      frames.push(f);
      left -= n;
      return true;
    };
    if (this.closeFrame) {
      if (space.name === 'app' && type === '1rtt') add(this.closeFrame);
      else if (space.name !== 'app') add({ type: 'connection_close', app: false, code: (this.closeFrame as { code: number }).code, frameType: 0, reason: '' });
      return frames;
    }
    if (type !== '0rtt' && space.ackPending && space.recv.length > 0 && (space.ackNow || congestionOk)) {
      const delayUs = Math.floor((this.io.now() - space.largestRecvTime) / 1000);
      if (add({ type: 'ack', ranges: space.recv.slice(0, 8), delayUs })) {
        space.ackPending = false;
        space.ackNow = false;
        space.elicitingSinceAck = 0;
        if (space.ackTimer) this.io.cancel(space.ackTimer);
        space.ackTimer = 0;
      }
    }
    if (!congestionOk) return frames;
    if (space.pingPending && type !== '0rtt' && add({ type: 'ping' })) space.pingPending = false;
    if (space.name === 'app' && type === '1rtt') {
      while (this.control.length > 0) {
        if (!add(this.control[0])) break;
        this.control.shift();
      }
    }
    while (space.cryptoRetx.length > 0 && left > 16) {
      const r = space.cryptoRetx[0];
      const take = Math.min(r.data.length, left - 12);
      if (take <= 0) break;
      add({ type: 'crypto', offset: r.offset, data: r.data.subarray(0, take) });
      if (take === r.data.length) space.cryptoRetx.shift();
      else space.cryptoRetx[0] = { offset: r.offset + take, data: r.data.subarray(take) };
    }
    while (space.cryptoSent < space.cryptoOut.length && left > 16 && type !== '0rtt') {
      const take = Math.min(space.cryptoOut.length - space.cryptoSent, left - 12);
      add({ type: 'crypto', offset: space.cryptoSent, data: space.cryptoOut.subarray(space.cryptoSent, space.cryptoSent + take) });
      space.cryptoSent += take;
    }
    if (space.name === 'app') this.streamFrames(add, () => left);
    return frames;
  }

  /**
   * Stream data: first every stream's lost data, then new data, the packet filled from the streams
   * in round-robin order (several streams' frames in one packet when one has too little left to
   * fill it); the next packet starts with the stream after the first one served here.
   */
  private streamFrames(add: (f: QuicFrame) => boolean, left: () => number): void {
    const order = this.streamOrder;
    for (let i = 0; i < order.length && left() > 24; i++) {
      const s = this.streams.get(order[i]) as QuicStream;
      while (s.retx.length > 0 && left() > 24) {
        const r = s.retx[0];
        const take = Math.min(r.length, left() - streamFrameHeader(s.id, r.offset));
        const fin = r.fin && take === r.length;
        add({ type: 'stream', id: s.id, offset: r.offset, data: s.out.subarray(r.offset, r.offset + take), fin });
        if (take === r.length) s.retx.shift();
        else s.retx[0] = { offset: r.offset + take, length: r.length - take, fin: r.fin };
      }
    }
    let first = -1;
    for (let i = 0; i < order.length && left() > 24; i++) {
      const s = this.streams.get(order[i]) as QuicStream;
      if (!s.hasToSend()) continue;
      if (first < 0) first = i;
      while (s.retx.length > 0 && left() > 24) {
        const r = s.retx[0];
        const take = Math.min(r.length, left() - streamFrameHeader(s.id, r.offset));
        const fin = r.fin && take === r.length;
        add({ type: 'stream', id: s.id, offset: r.offset, data: s.out.subarray(r.offset, r.offset + take), fin });
        if (take === r.length) s.retx.shift();
        else s.retx[0] = { offset: r.offset + take, length: r.length - take, fin: r.fin };
      }
      while ((s.sent < s.out.length || (s.finQueued && !s.finSent)) && left() > 24) {
        const take = Math.min(s.out.length - s.sent, left() - streamFrameHeader(s.id, s.sent));
        const fin = s.finQueued && s.sent + take === s.out.length;
        add({ type: 'stream', id: s.id, offset: s.sent, data: s.out.subarray(s.sent, s.sent + take), fin });
        s.sent += take;
        if (fin) s.finSent = true;
      }
    }
    if (first >= 0) order.push(...order.splice(0, first + 1));
  }

  // ------------------------------------------------------------------ ending

  private fail(code: number, reason: string): void {
    this.closeFrame = { type: 'connection_close', app: false, code, frameType: 0, reason };
    this.flush();
    this.terminate(reason);
  }

  private terminated = false;

  /** Forgets the connection without a word to the peer (the program exited or the host crashed). */
  abandon(): void {
    this.handlerSilenced = true;
    this.terminate();
  }

  private handlerSilenced = false;

  private terminate(error?: string): void {
    if (this.terminated) return;
    this.terminated = true;
    this.closed = true;
    if (this.timer) this.io.cancel(this.timer);
    this.timer = 0;
    for (const s of Object.values(this.spaces)) if (s.ackTimer) this.io.cancel(s.ackTimer);
    if (!this.handlerSilenced) this.handler.onClose?.(this, error);
  }

  /** Smoothed RTT in ns (for tools). */
  get smoothedRtt(): number {
    return this.rtt.smoothed;
  }

  /** The grace unit of loss timers, exported for tests. */
  static readonly granularity = GRANULARITY_NS;
}

/** Bytes of a STREAM frame before its data: type, stream ID, offset and a 2-byte length. */
function streamFrameHeader(id: number, offset: number): number {
  return 1 + varintLength(id) + varintLength(offset) + 2;
}

function formatAddr(a: QuicAddress): string {
  return `${a.addr >>> 24}.${(a.addr >>> 16) & 255}.${(a.addr >>> 8) & 255}.${a.addr & 255}:${a.port}`;
}
