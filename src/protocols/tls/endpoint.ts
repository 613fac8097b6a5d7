/**
 * TLS 1.2 and 1.3 endpoints as pure state machines over byte streams (no sockets, no timers):
 * the transport (TCP) calls {@link TlsEndpoint.feed} with bytes from the peer and writes out every
 * `send` event's bytes; the application calls `write` / `close` and reads `data` events.
 *
 * Every method returns the events it caused, in order. A flight (all records an endpoint sends in
 * reply to one input) is one `send` event, so tests can count round trips.
 *
 * Simplifications (also in the inspector's notes): one cipher suite per version
 * (TLS_AES_128_GCM_SHA256; TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), one group (x25519), one
 * signature scheme (ecdsa_secp256r1_sha256); no HelloRetryRequest, client certificates,
 * renegotiation, KeyUpdate initiation, extended master secret, middlebox-compatibility CCS in 1.3,
 * or record padding; session tickets are keys into the server's `TlsSessionCache` (server.ts;
 * stateful, single use) rather than self-encrypted blobs.
 */

import {
  AlertDescription,
  ALERT_NAMES,
  ContentType,
  HANDSHAKE_TYPE_NAMES,
  HandshakeType,
  MAX_FRAGMENT,
  type TlsVersion,
  VERSION_TLS10,
  VERSION_TLS12,
} from './constants';
import { hash, prf12, type TlsRandom } from './crypto';
import { decodeHandshake, HandshakeReassembler, type HandshakeMessage } from './messages';
import { encodeRecord, type RecordCipher, RecordReader, type TlsRecord, Tls12RecordCipher } from './record';
import { type CertificateProblem } from './x509';
import { concatBytes, TlsDecodeError, toHex, utf8 } from './wire';

/** Where handshake bytes travel (QUIC's encryption levels; over TCP, which record keys protect them). */
export type EncryptionLevel = 'initial' | 'early' | 'handshake' | 'application';

/** Something an endpoint did, in order. */
export type TlsEvent =
  /**
   * Bytes for the transport to send: one flight (one or more records). In QUIC mode: bare
   * handshake messages for the CRYPTO frames of encryption level `level` (no records).
   */
  | { readonly type: 'send'; readonly bytes: Uint8Array; readonly records: readonly string[]; readonly level?: EncryptionLevel }
  | { readonly type: 'handshake'; readonly direction: 'sent' | 'received'; readonly message: string; readonly level: EncryptionLevel }
  /** A new secret (also recorded as an NSS key log line). */
  | { readonly type: 'secret'; readonly label: string; readonly level: EncryptionLevel; readonly secret: Uint8Array }
  | {
      readonly type: 'connected';
      readonly version: TlsVersion;
      readonly cipherSuite: number;
      readonly alpn?: string;
      readonly serverName?: string;
      readonly resumed: boolean;
      readonly earlyData: 'none' | 'accepted' | 'rejected';
    }
  | { readonly type: 'data'; readonly data: Uint8Array; readonly early: boolean }
  /** Client: a session the application can pass as `session` to resume later. */
  | { readonly type: 'session'; readonly session: TlsSession }
  | {
      readonly type: 'alert';
      readonly direction: 'sent' | 'received';
      readonly level: 'warning' | 'fatal';
      readonly description: number;
      readonly name: string;
      readonly reason?: string;
      /**
       * The protocol version of the connection when the alert moved: the negotiated one, or before
       * the ServerHello the highest this end enables (what OpenSSL's message callback reports).
       */
      readonly version: TlsVersion;
      /** A client refusing the server's certificate: which check failed. */
      readonly certificate?: CertificateProblem;
    }
  | { readonly type: 'closed'; readonly reason: 'close_notify' | 'alert' };

/** What a client keeps to resume a session. Plain data: safe to store and reuse. */
export interface TlsSession {
  readonly version: TlsVersion;
  readonly serverName?: string;
  readonly alpn?: string;
  /** TLS 1.3 ticket, or TLS 1.2 session ticket (RFC 5077). */
  readonly ticket?: Uint8Array;
  /** TLS 1.3 resumption PSK. */
  readonly psk?: Uint8Array;
  readonly ageAdd?: number;
  /** Simulated time (ns) the ticket arrived. */
  readonly receivedAtNs?: number;
  /** Ticket lifetime, seconds. */
  readonly lifetime?: number;
  /** 0-RTT allowance (bytes); 0 or absent: no early data. */
  readonly maxEarlyData?: number;
  /** TLS 1.2 session ID and master secret. */
  readonly sessionId?: Uint8Array;
  readonly masterSecret?: Uint8Array;
}

/** Settings both ends share. */
export interface TlsCommonConfig {
  /** Deterministic randomness (in the simulator: `rngRandom(host.rng('tls:...'))`). */
  readonly random: TlsRandom;
  /** Simulated time in nanoseconds (kernel.now). */
  readonly now: () => number;
  /** Versions enabled; default both. */
  readonly versions?: readonly TlsVersion[];
  /** ALPN protocols, most preferred first. */
  readonly alpn?: readonly string[];
  /** Wall-clock ms that simulated time 0 stands for (certificate validity); default `TLS_EPOCH_MS` (x509.ts). */
  readonly epochMs?: number;
  /**
   * QUIC mode (RFC 9001): handshake messages travel without records, one `send` event per
   * encryption level, and arrive through {@link TlsEndpoint.feedCrypto}; this endpoint's transport
   * parameters ride in the quic_transport_parameters extension; no EndOfEarlyData, no
   * legacy_session_id, no alerts on the wire (the transport turns them into CONNECTION_CLOSE).
   * TLS 1.3 only.
   */
  readonly quic?: { readonly transportParameters: Uint8Array };
}
/** A fatal error: the alert to send. */
class TlsAlert extends Error {
  constructor(
    readonly description: number,
    reason: string,
    readonly certificate?: CertificateProblem,
  ) {
    super(reason);
  }
}

/** Abort the handshake with a fatal alert. */
export const fail = (description: number, reason: string, certificate?: CertificateProblem): never => {
  throw new TlsAlert(description, reason, certificate);
};

/** The last 8 bytes of a TLS 1.3-capable server's random when it negotiates 1.2 (RFC 8446 4.1.3). */
export const TLS13_DOWNGRADE = utf8('DOWNGRD\x01');
/** What a server's TLS 1.3 CertificateVerify signs before the transcript hash (RFC 8446 4.4.3). */
export const CV_PREFIX = concatBytes(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), Uint8Array.of(0));

type Phase = 'start' | 'handshake' | 'connected' | 'closed';

/** What the two ends share: record layer, transcript, events, alerts, key log. */
export abstract class TlsEndpoint {
  protected readonly out: TlsEvent[] = [];
  private flight: Uint8Array[] = [];
  private flightNames: string[] = [];
  /** QUIC mode: the encryption level of the bytes in `flight`. */
  private flightLevel: EncryptionLevel = 'initial';
  /** QUIC mode: the peer's transport parameters, once received. */
  protected peerQuicParams?: Uint8Array;
  private readonly records = new RecordReader();
  private readonly hsIn = new HandshakeReassembler();
  protected readCipher?: RecordCipher;
  protected writeCipher?: RecordCipher;
  protected transcript: Uint8Array[] = [];
  protected phase: Phase = 'start';
  protected version?: TlsVersion;
  protected clientRandom: Uint8Array = new Uint8Array(32);
  protected serverRandom: Uint8Array = new Uint8Array(32);
  protected readLevel: EncryptionLevel = 'initial';
  protected writeLevel: EncryptionLevel = 'initial';
  protected readonly keyLog: string[] = [];
  private sentCloseNotify = false;
  /** Data written before the handshake finished, sent once connected. */
  protected pendingWrites: Uint8Array[] = [];
  /** TLS 1.2: the peer's ChangeCipherSpec has arrived and its cipher is ready. */
  protected expectCcs?: () => void;
  /** TLS 1.3 server rejecting 0-RTT: skip records that do not decrypt (RFC 8446 4.2.10). */
  protected skipEarlyBytes = 0;

  protected constructor(protected readonly cfg: TlsCommonConfig) {}

  /** The negotiated version, once known. */
  get negotiatedVersion(): TlsVersion | undefined {
    return this.version;
  }

  /** The version an alert is reported under: the negotiated one, else the highest enabled. */
  private alertVersion(): TlsVersion {
    return this.version ?? (versionsOf(this.cfg).includes('1.3') ? '1.3' : '1.2');
  }

  /** True once application data can flow both ways. */
  get connected(): boolean {
    return this.phase === 'connected';
  }

  /** NSS key log lines (SSLKEYLOGFILE format) for Wireshark. */
  keyLogLines(): readonly string[] {
    return this.keyLog;
  }

  /** QUIC mode: the peer's quic_transport_parameters (still encoded), once received. */
  get peerTransportParameters(): Uint8Array | undefined {
    return this.peerQuicParams;
  }

  /** QUIC mode: handshake bytes from CRYPTO frames at encryption level `level`, in order. */
  feedCrypto(level: EncryptionLevel, bytes: Uint8Array): TlsEvent[] {
    if (this.phase === 'closed') return [];
    this.readLevel = level;
    try {
      this.onHandshakeBytes(bytes);
    } catch (e) {
      this.abort(e);
    }
    return this.drain();
  }

  /** Bytes from the peer (any split). */
  feed(bytes: Uint8Array): TlsEvent[] {
    if (this.phase === 'closed') return [];
    this.records.push(bytes);
    try {
      for (;;) {
        const r = this.records.next();
        if (!r) break;
        if ('error' in r) fail(AlertDescription.recordOverflow, 'record longer than 2^14 + 2048');
        this.onRecord(r as TlsRecord);
        if ((this.phase as Phase) === 'closed') break;
      }
    } catch (e) {
      this.abort(e);
    }
    return this.drain();
  }

  /** Application data to protect and send (queued until the handshake allows it). */
  write(data: Uint8Array): TlsEvent[] {
    if (this.phase === 'closed') return [];
    if (this.phase !== 'connected' && !this.canWriteBeforeConnected()) {
      this.pendingWrites.push(data.slice());
      this.onEarlyWrite();
    } else {
      this.sendAppData(data);
    }
    return this.drain();
  }

  /** Sends close_notify; no more data is sent. */
  close(): TlsEvent[] {
    if (this.phase !== 'closed') this.sendAlert(AlertDescription.closeNotify, 'warning');
    this.phase = 'closed';
    this.out.push({ type: 'closed', reason: 'close_notify' });
    return this.drain();
  }

  protected onEarlyWrite(): void {}

  /** TLS 1.3 server after its Finished: 0.5-RTT data under the application keys (RFC 8446 2.3). */
  protected canWriteBeforeConnected(): boolean {
    return false;
  }

  protected drain(): TlsEvent[] {
    this.flush();
    return this.out.splice(0);
  }

  /** Ends the current flight: its records become one `send` event. */
  protected flush(): void {
    if (this.flight.length === 0) return;
    if (this.cfg.quic) {
      this.out.push({ type: 'send', bytes: concatBytes(...this.flight), records: this.flightNames, level: this.flightLevel });
      this.flight = [];
      this.flightNames = [];
      return;
    }
    this.out.push({ type: 'send', bytes: concatBytes(...this.flight), records: this.flightNames });
    this.flight = [];
    this.flightNames = [];
  }

  protected abort(e: unknown): void {
    let desc: number = AlertDescription.internalError;
    let reason = String(e);
    let certificate: CertificateProblem | undefined;
    if (e instanceof TlsAlert) {
      desc = e.description;
      reason = e.message;
      certificate = e.certificate;
    } else if (e instanceof TlsDecodeError) {
      desc = e.alert;
      reason = e.message;
    } else if (e instanceof Error) {
      reason = e.message;
    }
    this.sendAlert(desc, 'fatal', reason, certificate);
    this.phase = 'closed';
    this.out.push({ type: 'closed', reason: 'alert' });
  }

  private pushRecord(type: number, content: Uint8Array, name: string): void {
    if (this.cfg.quic) {
      // RFC 9001 section 4: no records; only handshake messages travel (in CRYPTO frames).
      if (type !== ContentType.handshake) return;
      if (this.flight.length > 0 && this.flightLevel !== this.writeLevel) this.flush();
      this.flightLevel = this.writeLevel;
      this.flight.push(content);
      this.flightNames.push(`${name} (${this.writeLevel})`);
      return;
    }
    for (let o = 0; o < content.length || o === 0; o += MAX_FRAGMENT) {
      const part = content.subarray(o, Math.min(content.length, o + MAX_FRAGMENT));
      const legacy = type === ContentType.handshake && this.phase === 'start' && content[0] === HandshakeType.clientHello ? VERSION_TLS10 : VERSION_TLS12;
      this.flight.push(this.writeCipher ? this.writeCipher.seal(type, part) : encodeRecord(type, legacy, part));
      this.flightNames.push(this.writeCipher ? `${name} (encrypted, ${this.writeLevel})` : name);
      if (content.length === 0) break;
    }
  }

  /** Sends handshake messages in one record (adding them to the transcript unless `post`). */
  protected sendHandshake(msgs: readonly Uint8Array[], post = false): void {
    const names = msgs.map((m) => HANDSHAKE_TYPE_NAMES[m[0]] ?? `type ${m[0]}`);
    for (let i = 0; i < msgs.length; i++) {
      if (!post) this.transcript.push(msgs[i]);
      this.out.push({ type: 'handshake', direction: 'sent', message: names[i], level: this.writeLevel });
    }
    this.pushRecord(ContentType.handshake, concatBytes(...msgs), `Handshake: ${names.join(', ')}`);
  }

  protected sendCcs(): void {
    this.pushRecord(ContentType.changeCipherSpec, Uint8Array.of(1), 'Change Cipher Spec');
  }

  protected sendAppData(data: Uint8Array): void {
    for (let o = 0; o < data.length; o += MAX_FRAGMENT) {
      this.pushRecord(ContentType.applicationData, data.subarray(o, Math.min(data.length, o + MAX_FRAGMENT)), 'Application Data');
    }
  }

  protected sendAlert(description: number, level: 'warning' | 'fatal', reason?: string, certificate?: CertificateProblem): void {
    if (description === AlertDescription.closeNotify) {
      if (this.sentCloseNotify) return;
      this.sentCloseNotify = true;
    }
    const name = ALERT_NAMES[description] ?? `alert ${description}`;
    this.pushRecord(ContentType.alert, Uint8Array.of(level === 'fatal' ? 2 : 1, description), `Alert: ${name}`);
    this.out.push({ type: 'alert', direction: 'sent', level, description, name, reason, version: this.alertVersion(), certificate });
    this.flush();
  }

  protected transcriptHash(): Uint8Array {
    return hash(concatBytes(...this.transcript));
  }

  protected logSecret(label: string, level: EncryptionLevel, secret: Uint8Array): void {
    this.keyLog.push(`${label} ${toHex(this.clientRandom)} ${toHex(secret)}`);
    this.out.push({ type: 'secret', label, level, secret });
  }

  protected emitConnected(info: Omit<Extract<TlsEvent, { type: 'connected' }>, 'type'>): void {
    this.phase = 'connected';
    // The flight that completes the handshake goes out before anything the application writes
    // in response to `connected`.
    this.flush();
    this.out.push({ type: 'connected', ...info });
    const queued = this.pendingWrites;
    this.pendingWrites = [];
    for (const d of queued) this.sendAppData(d);
  }

  private onRecord(r: TlsRecord): void {
    let type = r.type;
    let content = r.fragment;
    if (type === ContentType.changeCipherSpec && !(this.readCipher && this.version === '1.2')) {
      if (content.length !== 1 || content[0] !== 1) fail(AlertDescription.decodeError, 'bad ChangeCipherSpec');
      if (this.version === '1.2') {
        if (!this.expectCcs) fail(AlertDescription.unexpectedMessage, 'unexpected ChangeCipherSpec');
        const f = this.expectCcs as () => void;
        this.expectCcs = undefined;
        f();
      }
      return; // TLS 1.3: compatibility CCS, ignored
    }
    if (this.readCipher) {
      const opened = this.readCipher.open(r);
      if (!opened) {
        if (this.skipEarlyBytes > 0 && r.type === ContentType.applicationData && r.fragment.length <= this.skipEarlyBytes) {
          this.skipEarlyBytes -= r.fragment.length;
          return;
        }
        fail(AlertDescription.badRecordMac, 'record failed authentication');
      }
      ({ type, content } = opened as { type: number; content: Uint8Array });
    } else if (type === ContentType.applicationData) {
      fail(AlertDescription.unexpectedMessage, 'application data before keys');
    }
    switch (type) {
      case ContentType.handshake:
        this.onHandshakeBytes(content);
        return;
      case ContentType.alert: {
        if (content.length !== 2) fail(AlertDescription.decodeError, 'bad alert');
        const level = content[0] === 2 ? 'fatal' : 'warning';
        const description = content[1];
        this.out.push({
          type: 'alert',
          direction: 'received',
          level,
          description,
          name: ALERT_NAMES[description] ?? `alert ${description}`,
          version: this.alertVersion(),
        });
        if (description === AlertDescription.closeNotify) {
          this.sendAlert(AlertDescription.closeNotify, 'warning');
          this.phase = 'closed';
          this.out.push({ type: 'closed', reason: 'close_notify' });
        } else if (level === 'fatal' || this.version === '1.3') {
          this.phase = 'closed';
          this.out.push({ type: 'closed', reason: 'alert' });
        }
        return;
      }
      case ContentType.applicationData: {
        if (this.phase !== 'connected' && this.readLevel !== 'early')
          fail(AlertDescription.unexpectedMessage, 'application data before the handshake finished');
        this.flush(); // anything the application writes in reply goes after what we already owe
        this.out.push({ type: 'data', data: content, early: this.readLevel === 'early' });
        return;
      }
      default:
        fail(AlertDescription.unexpectedMessage, `unexpected record type ${type}`);
    }
  }

  private onHandshakeBytes(content: Uint8Array): void {
    this.hsIn.push(content);
    for (;;) {
      const m = this.hsIn.next();
      if (!m) break;
      const msg = decodeHandshake(m.type, m.body, this.version !== '1.2');
      this.out.push({ type: 'handshake', direction: 'received', message: HANDSHAKE_TYPE_NAMES[m.type] ?? `type ${m.type}`, level: this.readLevel });
      this.onHandshake(msg, m.raw);
      if (this.phase === 'closed') return;
    }
  }

  protected abstract onHandshake(msg: HandshakeMessage, raw: Uint8Array): void;
}

/** The versions an endpoint enables, most preferred first. */
export function versionsOf(cfg: TlsCommonConfig): readonly TlsVersion[] {
  return cfg.versions && cfg.versions.length > 0 ? cfg.versions : ['1.3', '1.2'];
}

/** TLS 1.2 keys from the master secret (RFC 5246 6.3, RFC 5288: 16-byte keys, 4-byte salts). */
export function keyBlock12(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array) {
  const kb = prf12(master, 'key expansion', concatBytes(serverRandom, clientRandom), 40);
  return {
    client: new Tls12RecordCipher(kb.slice(0, 16), kb.slice(32, 36)),
    server: new Tls12RecordCipher(kb.slice(16, 32), kb.slice(36, 40)),
  };
}

/** TLS 1.2 Finished verify_data (RFC 5246 7.4.9). */
export function finished12(master: Uint8Array, label: 'client finished' | 'server finished', transcriptHash: Uint8Array): Uint8Array {
  return prf12(master, label, transcriptHash, 12);
}
