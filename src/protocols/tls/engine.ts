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
 * or record padding; session tickets are keys into the server's {@link TlsSessionCache} (stateful,
 * single use) rather than self-encrypted blobs.
 */

import {
  AlertDescription,
  ALERT_NAMES,
  ContentType,
  GROUP_X25519,
  HANDSHAKE_TYPE_NAMES,
  HandshakeType,
  MAX_FRAGMENT,
  PSK_DHE_KE,
  SIG_ECDSA_SECP256R1_SHA256,
  TLS_AES_128_GCM_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  type TlsVersion,
  VERSION_TLS10,
  VERSION_TLS12,
  VERSION_TLS13,
} from './constants';
import { ecdsaSign, ecdsaVerify, hash, prf12, type TlsRandom, x25519KeyPair, x25519Shared } from './crypto';
import { finishedVerifyData, resumptionPsk, Tls13KeySchedule, trafficKeys } from './key-schedule';
import {
  bindersLength,
  type ClientHello,
  decodeHandshake,
  encodeCertificateMessage,
  encodeCertificateVerify,
  encodeClientHello,
  encodeClientKeyExchange,
  encodeEcdheParams,
  encodeEmpty,
  encodeEncryptedExtensions,
  encodeFinished,
  encodeNewSessionTicket12,
  encodeNewSessionTicket13,
  encodeServerHello,
  encodeServerKeyExchange,
  fillBinders,
  HandshakeReassembler,
  type HandshakeMessage,
  type ServerHello,
} from './messages';
import { encodeRecord, type RecordCipher, RecordReader, type TlsRecord, Tls12RecordCipher, Tls13RecordCipher } from './record';
import { type CertificateProblem, type KeyPair, parseCertificate, TLS_EPOCH_MS, verifyChain } from './x509';
import { bytesEqual, concatBytes, TlsDecodeError, toHex, utf8 } from './wire';

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

interface ServerSessionState {
  readonly version: TlsVersion;
  readonly psk?: Uint8Array;
  readonly masterSecret?: Uint8Array;
  readonly ageAdd: number;
  readonly issuedAtNs: number;
  readonly lifetime: number;
  readonly maxEarlyData: number;
  readonly alpn?: string;
  readonly serverName?: string;
}

/**
 * The server's memory of sessions (TLS 1.3 tickets, TLS 1.2 session IDs and tickets), shared by
 * every connection of one server. Lookups are by key only (no iteration), so it stays deterministic.
 */
export class TlsSessionCache {
  private readonly map = new Map<string, ServerSessionState>();

  /** @internal */
  put(key: Uint8Array, s: ServerSessionState): void {
    this.map.set(toHex(key), s);
  }

  /** @internal */
  get(key: Uint8Array): ServerSessionState | undefined {
    return this.map.get(toHex(key));
  }

  /** @internal Single-use tickets: taking one removes it (RFC 8446 section 8.1 anti-replay). */
  take(key: Uint8Array): ServerSessionState | undefined {
    const k = toHex(key);
    const s = this.map.get(k);
    this.map.delete(k);
    return s;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Settings both ends share. */
interface TlsCommonConfig {
  /** Deterministic randomness (in the simulator: `rngRandom(host.rng('tls:...'))`). */
  readonly random: TlsRandom;
  /** Simulated time in nanoseconds (kernel.now). */
  readonly now: () => number;
  /** Versions enabled; default both. */
  readonly versions?: readonly TlsVersion[];
  /** ALPN protocols, most preferred first. */
  readonly alpn?: readonly string[];
  /** Wall-clock ms that simulated time 0 stands for (certificate validity); default {@link TLS_EPOCH_MS}. */
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

export interface TlsClientConfig extends TlsCommonConfig {
  /** SNI and the name the certificate must carry. */
  readonly serverName?: string;
  /** DER certificates of the CAs the client trusts (the scene CA). */
  readonly trustAnchors: readonly Uint8Array[];
  /** A session from an earlier connection's `session` event, to resume. */
  readonly session?: TlsSession;
  /** Send data written before the handshake as 0-RTT early data when the session allows (default true). */
  readonly earlyData?: boolean;
  /** TLS 1.2: offer the SessionTicket extension (default true; false makes the server use session IDs). */
  readonly sessionTickets?: boolean;
}

/** One certificate the server can present. */
export interface TlsServerIdentity {
  /** Leaf first. */
  readonly chain: readonly Uint8Array[];
  readonly key: KeyPair;
  /** Names it serves (default: the leaf's subjectAltName). */
  readonly names?: readonly string[];
}

export interface TlsServerConfig extends TlsCommonConfig {
  /** Certificates, chosen by SNI; the first is the default. */
  readonly identities: readonly TlsServerIdentity[];
  /** Send a fatal unrecognized_name alert when SNI matches no identity (default: use the first). */
  readonly rejectUnknownSni?: boolean;
  /** Shared across this server's connections; resumption needs one. */
  readonly sessionCache?: TlsSessionCache;
  /** 0-RTT allowance advertised in TLS 1.3 tickets (default 16384; 0 disables 0-RTT). */
  readonly maxEarlyData?: number;
  /** Ticket lifetime in seconds (default 7200). */
  readonly ticketLifetime?: number;
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

const fail = (description: number, reason: string, certificate?: CertificateProblem): never => {
  throw new TlsAlert(description, reason, certificate);
};

const TLS13_DOWNGRADE = utf8('DOWNGRD\x01');
const CV_PREFIX = concatBytes(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), Uint8Array.of(0));

type Phase = 'start' | 'handshake' | 'connected' | 'closed';

/** What the two ends share: record layer, transcript, events, alerts, key log. */
abstract class TlsEndpoint {
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

function versionsOf(cfg: TlsCommonConfig): readonly TlsVersion[] {
  return cfg.versions && cfg.versions.length > 0 ? cfg.versions : ['1.3', '1.2'];
}

/** TLS 1.2 keys from the master secret (RFC 5246 6.3, RFC 5288: 16-byte keys, 4-byte salts). */
function keyBlock12(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array) {
  const kb = prf12(master, 'key expansion', concatBytes(serverRandom, clientRandom), 40);
  return {
    client: new Tls12RecordCipher(kb.slice(0, 16), kb.slice(32, 36)),
    server: new Tls12RecordCipher(kb.slice(16, 32), kb.slice(36, 40)),
  };
}

function finished12(master: Uint8Array, label: 'client finished' | 'server finished', transcriptHash: Uint8Array): Uint8Array {
  return prf12(master, label, transcriptHash, 12);
}

function nowMs(cfg: TlsCommonConfig): number {
  return (cfg.epochMs ?? TLS_EPOCH_MS) + Math.floor(cfg.now() / 1e6);
}

// ====================================================================== client

/** A TLS client. Call {@link start} when the transport connects. */
export class TlsClient extends TlsEndpoint {
  private readonly ccfg: TlsClientConfig;
  private x25519?: { secretKey: Uint8Array; publicKey: Uint8Array };
  private offeredSessionId: Uint8Array = new Uint8Array(0);
  private ks?: Tls13KeySchedule;
  private pskOffered = false;
  private earlySent = false;
  private earlyAccepted = false;
  private earlyData: Uint8Array[] = [];
  private resumed = false;
  private alpn?: string;
  private hsSecrets?: { client: Uint8Array; server: Uint8Array };
  private appSecrets?: { client: Uint8Array; server: Uint8Array };
  private resumptionMaster?: Uint8Array;
  private peerChain?: readonly Uint8Array[];
  private serverKeyShare?: Uint8Array;
  private master12?: Uint8Array;
  private ticket12?: { ticket: Uint8Array; lifetime: number };
  private expect: string[] = [];

  constructor(cfg: TlsClientConfig) {
    super(cfg);
    this.ccfg = cfg;
  }

  /** Sends the ClientHello (with 0-RTT data already written, when the session allows it). */
  start(): TlsEvent[] {
    if (this.phase !== 'start') return this.drain();
    const cfg = this.ccfg;
    const versions = versionsOf(cfg);
    const want13 = versions.includes('1.3');
    const want12 = versions.includes('1.2');
    this.clientRandom = cfg.random.bytes(32);
    this.x25519 = x25519KeyPair(cfg.random);
    const session = cfg.session;
    const resume13 = want13 && session?.version === '1.3' && session.psk && session.ticket;
    const resume12 = want12 && session?.version === '1.2' && session.masterSecret;
    const tickets12 = want12 && cfg.sessionTickets !== false;
    if (resume12 && session?.ticket) this.offeredSessionId = cfg.random.bytes(32);
    else if (resume12 && session?.sessionId) this.offeredSessionId = session.sessionId;
    else if (want13 && !cfg.quic) this.offeredSessionId = cfg.random.bytes(32); // middlebox-compatibility legacy_session_id (never in QUIC, RFC 9001 8.4)
    const maxEarly = resume13 ? (session?.maxEarlyData ?? 0) : 0;
    // QUIC sends its own 0-RTT packets: the handshake only needs to know whether to offer them.
    const early = resume13 && cfg.earlyData !== false && maxEarly > 0 && (cfg.quic !== undefined || this.pendingWrites.length > 0);
    const ageMs = session?.receivedAtNs !== undefined ? Math.floor((cfg.now() - session.receivedAtNs) / 1e6) : 0;
    let ch = encodeClientHello({
      random: this.clientRandom,
      sessionId: this.offeredSessionId,
      cipherSuites: [...(want13 ? [TLS_AES_128_GCM_SHA256] : []), ...(want12 ? [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] : [])],
      serverName: cfg.serverName,
      alpn: cfg.alpn,
      supportedVersions: want13 ? [...(want13 ? [VERSION_TLS13] : []), ...(want12 ? [VERSION_TLS12] : [])] : undefined,
      keyShares: want13 ? [{ group: GROUP_X25519, key: this.x25519.publicKey }] : undefined,
      signatureAlgorithms: [SIG_ECDSA_SECP256R1_SHA256],
      supportedGroups: [GROUP_X25519],
      ecPointFormats: want12,
      sessionTicket: tickets12 ? (resume12 && session?.ticket ? session.ticket : new Uint8Array(0)) : undefined,
      pskModes: want13 ? [PSK_DHE_KE] : undefined,
      earlyData: early || undefined,
      quicTransportParameters: cfg.quic?.transportParameters,
      psk: resume13 ? { identities: [{ identity: session.ticket as Uint8Array, obfuscatedTicketAge: (ageMs + (session.ageAdd ?? 0)) >>> 0 }] } : undefined,
    });
    if (resume13) {
      this.ks = new Tls13KeySchedule(session.psk);
      const truncated = ch.subarray(0, ch.length - bindersLength(1));
      ch = ch.slice();
      fillBinders(ch, [finishedVerifyData(this.ks.binderKey(true), hash(truncated))]);
      this.pskOffered = true;
    }
    this.sendHandshake([ch]);
    this.phase = 'handshake';
    this.expect = ['server_hello'];
    if (early && this.ks) {
      const secret = this.ks.clientEarlyTrafficSecret(this.transcriptHash());
      this.logSecret('CLIENT_EARLY_TRAFFIC_SECRET', 'early', secret);
      this.writeCipher = new Tls13RecordCipher(trafficKeys(secret));
      this.writeLevel = 'early';
      let budget = maxEarly;
      const keep: Uint8Array[] = [];
      for (const d of this.pendingWrites) {
        if (d.length <= budget) {
          budget -= d.length;
          this.earlyData.push(d);
          this.sendAppData(d);
        } else keep.push(d);
      }
      this.pendingWrites = keep;
      this.earlySent = true;
    }
    return this.drain();
  }

  protected onHandshake(msg: HandshakeMessage, raw: Uint8Array): void {
    if (!this.expect.includes(msg.kind) && !(this.phase === 'connected' && msg.kind === 'new_session_ticket' && this.version === '1.3')) {
      fail(AlertDescription.unexpectedMessage, `unexpected ${msg.kind} (expected ${this.expect.join(' or ')})`);
    }
    if (this.phase === 'connected' || (msg.kind === 'new_session_ticket' && this.version === '1.3')) {
      this.onPostHandshake(msg);
      return;
    }
    if (msg.kind !== 'finished') this.transcript.push(raw);
    switch (msg.kind) {
      case 'server_hello':
        this.onServerHello(msg.body);
        return;
      case 'encrypted_extensions':
        this.alpn = msg.body.alpn;
        this.peerQuicParams = msg.body.quicTransportParameters;
        if (this.ccfg.quic && !this.peerQuicParams) fail(AlertDescription.missingExtension, 'no quic_transport_parameters from the server');
        this.checkAlpn(this.alpn);
        this.earlyAccepted = this.earlySent && msg.body.earlyData === true;
        if (msg.body.earlyData && !this.earlySent) fail(AlertDescription.illegalParameter, 'early_data accepted but not offered');
        if (this.earlySent && !this.earlyAccepted) this.useClientHandshakeKeys();
        this.expect = this.resumed ? ['finished'] : ['certificate'];
        return;
      case 'certificate': {
        this.peerChain = msg.chain;
        const v = verifyChain(msg.chain, this.ccfg.trustAnchors, this.ccfg.serverName, nowMs(this.ccfg));
        if (!v.ok) fail(v.alert, v.reason, v.problem);
        this.expect = this.version === '1.3' ? ['certificate_verify'] : ['server_key_exchange'];
        return;
      }
      case 'certificate_verify': {
        const leaf = parseCertificate((this.peerChain as Uint8Array[])[0]);
        const signed = concatBytes(CV_PREFIX, hash(concatBytes(...this.transcript.slice(0, -1))));
        if (msg.scheme !== SIG_ECDSA_SECP256R1_SHA256 || !ecdsaVerify(leaf.publicKey, signed, msg.signature)) {
          fail(AlertDescription.decryptError, 'CertificateVerify signature does not verify');
        }
        this.expect = ['finished'];
        return;
      }
      case 'server_key_exchange': {
        const leaf = parseCertificate((this.peerChain as Uint8Array[])[0]);
        if (msg.group !== GROUP_X25519) fail(AlertDescription.illegalParameter, 'server chose a group not offered');
        const signed = concatBytes(this.clientRandom, this.serverRandom, msg.params);
        if (msg.scheme !== SIG_ECDSA_SECP256R1_SHA256 || !ecdsaVerify(leaf.publicKey, signed, msg.signature)) {
          fail(AlertDescription.decryptError, 'ServerKeyExchange signature does not verify');
        }
        this.serverKeyShare = msg.publicKey;
        this.expect = ['server_hello_done'];
        return;
      }
      case 'server_hello_done':
        this.sendClientFlight12();
        return;
      case 'new_session_ticket':
        this.ticket12 = { ticket: msg.ticket, lifetime: msg.lifetime };
        this.expect = ['finished'];
        return;
      case 'finished':
        if (this.version === '1.3') this.onFinished13(msg.verifyData, raw);
        else this.onFinished12(msg.verifyData, raw);
        return;
      default:
        fail(AlertDescription.unexpectedMessage, `unexpected ${msg.kind}`);
    }
  }

  private useClientHandshakeKeys(): void {
    this.writeCipher = new Tls13RecordCipher(trafficKeys((this.hsSecrets as { client: Uint8Array }).client));
    this.writeLevel = 'handshake';
  }

  private checkAlpn(alpn: string | undefined): void {
    if (alpn !== undefined && !(this.ccfg.alpn ?? []).includes(alpn)) fail(AlertDescription.illegalParameter, `server chose ALPN "${alpn}" not offered`);
  }

  private onServerHello(sh: ServerHello): void {
    const versions = versionsOf(this.ccfg);
    this.serverRandom = sh.random;
    if (sh.selectedVersion !== undefined) {
      if (sh.selectedVersion !== VERSION_TLS13 || !versions.includes('1.3'))
        fail(AlertDescription.protocolVersion, `server selected version 0x${sh.selectedVersion.toString(16)}`);
      this.version = '1.3';
    } else {
      if (sh.legacyVersion !== VERSION_TLS12 || !versions.includes('1.2')) {
        fail(
          AlertDescription.protocolVersion,
          `server selected ${sh.legacyVersion === VERSION_TLS12 ? 'TLS 1.2' : `version 0x${sh.legacyVersion.toString(16)}`}, not enabled`,
        );
      }
      if (versions.includes('1.3') && bytesEqual(sh.random.subarray(24), TLS13_DOWNGRADE)) {
        fail(AlertDescription.illegalParameter, 'downgrade sentinel in ServerHello.random');
      }
      this.version = '1.2';
    }
    if (this.version === '1.3') {
      if (sh.cipherSuite !== TLS_AES_128_GCM_SHA256) fail(AlertDescription.illegalParameter, 'cipher suite not offered');
      if (!sh.keyShare || sh.keyShare.group !== GROUP_X25519)
        fail(AlertDescription.illegalParameter, 'no x25519 key_share (HelloRetryRequest is not supported)');
      const dhe = x25519Shared((this.x25519 as { secretKey: Uint8Array }).secretKey, (sh.keyShare as { key: Uint8Array }).key);
      if (!dhe) fail(AlertDescription.illegalParameter, 'bad key share');
      if (sh.selectedIdentity !== undefined) {
        if (!this.pskOffered || sh.selectedIdentity !== 0) fail(AlertDescription.illegalParameter, 'server selected a PSK not offered');
        this.resumed = true;
      } else {
        this.ks = new Tls13KeySchedule();
      }
      const ks = this.ks as Tls13KeySchedule;
      ks.deriveHandshakeSecret(dhe as Uint8Array);
      this.hsSecrets = ks.handshakeTrafficSecrets(this.transcriptHash());
      this.logSecret('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'handshake', this.hsSecrets.client);
      this.logSecret('SERVER_HANDSHAKE_TRAFFIC_SECRET', 'handshake', this.hsSecrets.server);
      this.readCipher = new Tls13RecordCipher(trafficKeys(this.hsSecrets.server));
      this.readLevel = 'handshake';
      // From here on everything the client sends (alerts included) is protected; with 0-RTT in
      // flight the early keys stay until EncryptedExtensions says whether the server took it.
      if (!this.earlySent) this.useClientHandshakeKeys();
      this.expect = ['encrypted_extensions'];
      return;
    }
    // TLS 1.2
    this.alpn = sh.alpn;
    this.checkAlpn(this.alpn);
    if (sh.cipherSuite !== TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) fail(AlertDescription.illegalParameter, 'cipher suite not offered');
    this.pendingWrites = this.earlyData.concat(this.pendingWrites);
    const s = this.ccfg.session;
    if (this.offeredSessionId.length > 0 && s?.version === '1.2' && s.masterSecret && bytesEqual(sh.sessionId, this.offeredSessionId)) {
      this.resumed = true;
      this.master12 = s.masterSecret;
      this.offeredSessionId = sh.sessionId;
      this.alpn = s.alpn;
      this.logSecret('CLIENT_RANDOM', 'handshake', s.masterSecret);
      this.installCcsExpectation12();
      this.expect = sh.sessionTicket ? ['new_session_ticket'] : [];
      return;
    }
    this.offeredSessionId = sh.sessionId;
    this.expect = ['certificate'];
  }

  private installCcsExpectation12(): void {
    this.expectCcs = () => {
      const keys = keyBlock12(this.master12 as Uint8Array, this.clientRandom, this.serverRandom);
      this.readCipher = keys.server;
      this.readLevel = 'application';
      this.expect = ['finished'];
    };
  }

  private sendClientFlight12(): void {
    const pair = x25519KeyPair(this.ccfg.random);
    const pre = x25519Shared(pair.secretKey, this.serverKeyShare as Uint8Array);
    if (!pre) fail(AlertDescription.illegalParameter, 'bad server key share');
    this.master12 = prf12(pre as Uint8Array, 'master secret', concatBytes(this.clientRandom, this.serverRandom), 48);
    this.logSecret('CLIENT_RANDOM', 'handshake', this.master12);
    this.sendHandshake([encodeClientKeyExchange(pair.publicKey)]);
    this.sendCcs();
    const keys = keyBlock12(this.master12, this.clientRandom, this.serverRandom);
    this.writeCipher = keys.client;
    this.writeLevel = 'application';
    this.sendHandshake([encodeFinished(finished12(this.master12, 'client finished', this.transcriptHash()))]);
    this.installCcsExpectation12();
    this.expect = ['new_session_ticket'];
  }

  private onFinished12(verifyData: Uint8Array, raw: Uint8Array): void {
    const master = this.master12 as Uint8Array;
    if (!bytesEqual(verifyData, finished12(master, 'server finished', this.transcriptHash())))
      fail(AlertDescription.decryptError, 'server Finished does not verify');
    this.transcript.push(raw);
    if (this.resumed) {
      this.sendCcs();
      this.writeCipher = keyBlock12(master, this.clientRandom, this.serverRandom).client;
      this.writeLevel = 'application';
      this.sendHandshake([encodeFinished(finished12(master, 'client finished', this.transcriptHash()))]);
    }
    this.expect = [];
    this.emitConnected({
      version: '1.2',
      cipherSuite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
      alpn: this.alpn,
      serverName: this.ccfg.serverName,
      resumed: this.resumed,
      earlyData: this.earlySent ? 'rejected' : 'none',
    });
    const old = this.ccfg.session;
    const ticket = this.ticket12?.ticket ?? (this.resumed && old?.ticket ? old.ticket : undefined);
    if (ticket || this.offeredSessionId.length > 0) {
      this.out.push({
        type: 'session',
        session: {
          version: '1.2',
          serverName: this.ccfg.serverName,
          alpn: this.alpn,
          ticket,
          sessionId: ticket ? undefined : this.offeredSessionId,
          masterSecret: master,
          receivedAtNs: this.ccfg.now(),
          lifetime: this.ticket12?.lifetime,
        },
      });
    }
  }

  private onFinished13(verifyData: Uint8Array, raw: Uint8Array): void {
    const hs = this.hsSecrets as { client: Uint8Array; server: Uint8Array };
    if (!bytesEqual(verifyData, finishedVerifyData(hs.server, this.transcriptHash()))) fail(AlertDescription.decryptError, 'server Finished does not verify');
    this.transcript.push(raw);
    const ks = this.ks as Tls13KeySchedule;
    ks.deriveMasterSecret();
    const app = ks.applicationSecrets(this.transcriptHash());
    this.appSecrets = app;
    this.logSecret('SERVER_TRAFFIC_SECRET_0', 'application', app.server);
    this.logSecret('CLIENT_TRAFFIC_SECRET_0', 'application', app.client);
    this.logSecret('EXPORTER_SECRET', 'application', app.exporter);
    if (this.earlyAccepted) {
      if (!this.ccfg.quic) this.sendHandshake([encodeEmpty(HandshakeType.endOfEarlyData)]); // not in QUIC (RFC 9001 8.3)
      this.useClientHandshakeKeys();
    }
    this.sendHandshake([encodeFinished(finishedVerifyData(hs.client, this.transcriptHash()))]);
    this.resumptionMaster = ks.resumptionMasterSecret(this.transcriptHash());
    this.readCipher = new Tls13RecordCipher(trafficKeys(app.server));
    this.writeCipher = new Tls13RecordCipher(trafficKeys(app.client));
    this.readLevel = 'application';
    this.writeLevel = 'application';
    if (this.earlySent && !this.earlyAccepted) this.pendingWrites = this.earlyData.concat(this.pendingWrites);
    this.expect = [];
    this.emitConnected({
      version: '1.3',
      cipherSuite: TLS_AES_128_GCM_SHA256,
      alpn: this.alpn,
      serverName: this.ccfg.serverName,
      resumed: this.resumed,
      earlyData: this.earlySent ? (this.earlyAccepted ? 'accepted' : 'rejected') : 'none',
    });
  }

  private onPostHandshake(msg: HandshakeMessage): void {
    if (msg.kind !== 'new_session_ticket' || this.version !== '1.3' || !this.resumptionMaster) {
      fail(AlertDescription.unexpectedMessage, `unexpected post-handshake ${msg.kind}`);
      return;
    }
    this.out.push({
      type: 'session',
      session: {
        version: '1.3',
        serverName: this.ccfg.serverName,
        alpn: this.alpn,
        ticket: msg.ticket,
        psk: resumptionPsk(this.resumptionMaster, msg.nonce),
        ageAdd: msg.ageAdd,
        receivedAtNs: this.ccfg.now(),
        lifetime: msg.lifetime,
        maxEarlyData: msg.maxEarlyData ?? 0,
      },
    });
  }

  /** The application traffic secrets (tests and QUIC glue). */
  get trafficSecrets(): { client: Uint8Array; server: Uint8Array } | undefined {
    return this.appSecrets;
  }
}

// ====================================================================== server

/** A TLS server for one connection. It answers the ClientHello fed to it. */
export class TlsServer extends TlsEndpoint {
  private readonly scfg: TlsServerConfig;
  private ks?: Tls13KeySchedule;
  private hsSecrets?: { client: Uint8Array; server: Uint8Array };
  private appSecrets?: { client: Uint8Array; server: Uint8Array };
  private resumed = false;
  private earlyAccepted = false;
  private earlyOffered = false;
  private alpn?: string;
  private serverName?: string;
  private identity?: TlsServerIdentity;
  private ecdhe?: { secretKey: Uint8Array; publicKey: Uint8Array };
  private master12?: Uint8Array;
  private sessionId12: Uint8Array = new Uint8Array(0);
  private issueTicket12 = false;
  private expect: string[] = ['client_hello'];

  constructor(cfg: TlsServerConfig) {
    super(cfg);
    this.scfg = cfg;
  }

  protected override canWriteBeforeConnected(): boolean {
    return this.phase === 'handshake' && this.version === '1.3' && this.writeLevel === 'application';
  }

  protected onHandshake(msg: HandshakeMessage, raw: Uint8Array): void {
    if (!this.expect.includes(msg.kind)) fail(AlertDescription.unexpectedMessage, `unexpected ${msg.kind} (expected ${this.expect.join(' or ')})`);
    switch (msg.kind) {
      case 'client_hello':
        this.phase = 'handshake';
        this.transcript.push(raw);
        this.onClientHello(msg.body, raw);
        return;
      case 'end_of_early_data':
        this.transcript.push(raw);
        this.readCipher = new Tls13RecordCipher(trafficKeys((this.hsSecrets as { client: Uint8Array }).client));
        this.readLevel = 'handshake';
        this.expect = ['finished'];
        return;
      case 'client_key_exchange': {
        this.transcript.push(raw);
        const pre = x25519Shared((this.ecdhe as { secretKey: Uint8Array }).secretKey, msg.publicKey);
        if (!pre) fail(AlertDescription.illegalParameter, 'bad client key share');
        this.master12 = prf12(pre as Uint8Array, 'master secret', concatBytes(this.clientRandom, this.serverRandom), 48);
        this.logSecret('CLIENT_RANDOM', 'handshake', this.master12);
        this.expect = [];
        this.expectCcs = () => {
          this.readCipher = keyBlock12(this.master12 as Uint8Array, this.clientRandom, this.serverRandom).client;
          this.readLevel = 'application';
          this.expect = ['finished'];
        };
        return;
      }
      case 'finished':
        if (this.version === '1.3') this.onFinished13(msg.verifyData, raw);
        else this.onFinished12(msg.verifyData, raw);
        return;
      default:
        fail(AlertDescription.unexpectedMessage, `unexpected ${msg.kind}`);
    }
  }

  private chooseIdentity(ch: ClientHello): TlsServerIdentity {
    const ids = this.scfg.identities;
    if (ids.length === 0) fail(AlertDescription.internalError, 'server has no certificate');
    const namesOf = (id: TlsServerIdentity) => id.names ?? parseCertificate(id.chain[0]).dnsNames;
    if (ch.serverName === undefined) return ids[0];
    const host = ch.serverName.toLowerCase();
    const match = ids.find((id) =>
      namesOf(id).some((n) => {
        const p = n.toLowerCase();
        return p === host || (p.startsWith('*.') && host.indexOf('.') > 0 && host.slice(host.indexOf('.') + 1) === p.slice(2));
      }),
    );
    if (match) return match;
    if (this.scfg.rejectUnknownSni) fail(AlertDescription.unrecognizedName, `no certificate for "${ch.serverName}"`);
    return ids[0];
  }

  private chooseAlpn(ch: ClientHello): string | undefined {
    const mine = this.scfg.alpn;
    if (!ch.alpn || !mine || mine.length === 0) return undefined;
    const pick = mine.find((p) => ch.alpn?.includes(p));
    if (pick === undefined) fail(AlertDescription.noApplicationProtocol, `no common ALPN protocol (client: ${ch.alpn.join(', ')})`);
    return pick;
  }

  private onClientHello(ch: ClientHello, raw: Uint8Array): void {
    const versions = versionsOf(this.scfg);
    this.clientRandom = ch.random;
    const offered = ch.supportedVersions ?? (ch.legacyVersion >= VERSION_TLS12 ? [VERSION_TLS12] : [ch.legacyVersion]);
    if (versions.includes('1.3') && offered.includes(VERSION_TLS13)) this.version = '1.3';
    else if (versions.includes('1.2') && offered.includes(VERSION_TLS12)) this.version = '1.2';
    else {
      const names = offered.map((v) => (v === VERSION_TLS13 ? '1.3' : v === VERSION_TLS12 ? '1.2' : `0x${v.toString(16)}`));
      fail(AlertDescription.protocolVersion, `client offers TLS ${names.join('/')}, server speaks TLS ${versions.join('/')}`);
    }
    this.serverName = ch.serverName;
    if (this.scfg.quic) {
      if (this.version !== '1.3') fail(AlertDescription.protocolVersion, 'QUIC needs TLS 1.3');
      if (!ch.quicTransportParameters) fail(AlertDescription.missingExtension, 'no quic_transport_parameters from the client');
      this.peerQuicParams = ch.quicTransportParameters;
    }
    this.identity = this.chooseIdentity(ch);
    this.alpn = this.chooseAlpn(ch);
    if (this.version === '1.3') this.serverHello13(ch, raw);
    else this.serverHello12(ch);
  }

  // eslint-disable-next-line max-lines-per-function -- the server's TLS 1.3 first flight (RFC 8446 §2: ServerHello through Finished) with its key schedule, in order
  private serverHello13(ch: ClientHello, raw: Uint8Array): void {
    if (!ch.cipherSuites.includes(TLS_AES_128_GCM_SHA256)) fail(AlertDescription.handshakeFailure, 'no common cipher suite');
    const share = ch.keyShares?.find((k) => k.group === GROUP_X25519);
    if (!share) fail(AlertDescription.handshakeFailure, 'no x25519 key_share (HelloRetryRequest is not supported)');
    const cache = this.scfg.sessionCache;
    let psk: Uint8Array | undefined;
    this.earlyOffered = ch.earlyData === true;
    if (ch.psk && cache && ch.pskModes?.includes(PSK_DHE_KE) && ch.psk.identities.length > 0) {
      const id = ch.psk.identities[0];
      const state = cache.take(id.identity);
      const ageMs = state ? (id.obfuscatedTicketAge - state.ageAdd) >>> 0 : 0;
      const realAgeMs = state ? Math.floor((this.scfg.now() - state.issuedAtNs) / 1e6) : 0;
      if (state && state.version === '1.3' && state.psk && realAgeMs <= state.lifetime * 1000 && Math.abs(ageMs - realAgeMs) <= 10_000) {
        const ks = new Tls13KeySchedule(state.psk);
        const truncated = raw.subarray(0, raw.length - bindersLength(ch.psk.binders.length));
        if (!bytesEqual(ch.psk.binders[0] ?? new Uint8Array(0), finishedVerifyData(ks.binderKey(true), hash(truncated)))) {
          fail(AlertDescription.decryptError, 'PSK binder does not verify');
        }
        psk = state.psk;
        this.ks = ks;
        this.resumed = true;
        this.alpn = state.alpn ?? this.alpn;
        const maxEarly = this.scfg.maxEarlyData ?? 16384;
        this.earlyAccepted = this.earlyOffered && state.maxEarlyData > 0 && maxEarly > 0 && state.alpn === this.alpn;
      }
    }
    if (!psk) this.ks = new Tls13KeySchedule();
    const ks = this.ks as Tls13KeySchedule;
    if (this.earlyAccepted) {
      const secret = ks.clientEarlyTrafficSecret(this.transcriptHash());
      this.logSecret('CLIENT_EARLY_TRAFFIC_SECRET', 'early', secret);
      this.readCipher = new Tls13RecordCipher(trafficKeys(secret));
      this.readLevel = 'early';
    } else if (this.earlyOffered) {
      this.skipEarlyBytes = (this.scfg.maxEarlyData ?? 16384) + 256 * 17;
    }
    this.serverRandom = this.scfg.random.bytes(32);
    const kp = x25519KeyPair(this.scfg.random);
    const dhe = x25519Shared(kp.secretKey, (share as { key: Uint8Array }).key);
    if (!dhe) fail(AlertDescription.illegalParameter, 'bad key share');
    this.sendHandshake([
      encodeServerHello({
        random: this.serverRandom,
        sessionId: ch.sessionId,
        cipherSuite: TLS_AES_128_GCM_SHA256,
        selectedVersion: VERSION_TLS13,
        keyShare: { group: GROUP_X25519, key: kp.publicKey },
        selectedIdentity: psk ? 0 : undefined,
      }),
    ]);
    ks.deriveHandshakeSecret(dhe as Uint8Array);
    const hs = ks.handshakeTrafficSecrets(this.transcriptHash());
    this.hsSecrets = hs;
    this.logSecret('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'handshake', hs.client);
    this.logSecret('SERVER_HANDSHAKE_TRAFFIC_SECRET', 'handshake', hs.server);
    this.writeCipher = new Tls13RecordCipher(trafficKeys(hs.server));
    this.writeLevel = 'handshake';
    if (!this.earlyAccepted) {
      this.readCipher = new Tls13RecordCipher(trafficKeys(hs.client));
      this.readLevel = 'handshake';
    }
    const msgs: Uint8Array[] = [];
    const add = (m: Uint8Array) => {
      msgs.push(m);
      this.transcript.push(m);
    };
    add(
      encodeEncryptedExtensions({
        alpn: this.alpn,
        earlyData: this.earlyAccepted || undefined,
        serverNameAck: ch.serverName !== undefined && !this.resumed,
        quicTransportParameters: this.scfg.quic?.transportParameters,
      }),
    );
    if (!psk) {
      const id = this.identity as TlsServerIdentity;
      add(encodeCertificateMessage(id.chain, true));
      add(encodeCertificateVerify(SIG_ECDSA_SECP256R1_SHA256, ecdsaSign(id.key.secretKey, concatBytes(CV_PREFIX, this.transcriptHash()))));
    }
    add(encodeFinished(finishedVerifyData(hs.server, this.transcriptHash())));
    // sendHandshake re-adds to the transcript; send with post=true since they are already in it.
    this.sendHandshake(msgs, true);
    ks.deriveMasterSecret();
    const app = ks.applicationSecrets(this.transcriptHash());
    this.appSecrets = app;
    this.logSecret('SERVER_TRAFFIC_SECRET_0', 'application', app.server);
    this.logSecret('CLIENT_TRAFFIC_SECRET_0', 'application', app.client);
    this.logSecret('EXPORTER_SECRET', 'application', app.exporter);
    this.writeCipher = new Tls13RecordCipher(trafficKeys(app.server));
    this.writeLevel = 'application';
    this.expect = this.earlyAccepted && !this.scfg.quic ? ['end_of_early_data'] : ['finished'];
  }

  private onFinished13(verifyData: Uint8Array, raw: Uint8Array): void {
    const hs = this.hsSecrets as { client: Uint8Array };
    if (!bytesEqual(verifyData, finishedVerifyData(hs.client, this.transcriptHash()))) fail(AlertDescription.decryptError, 'client Finished does not verify');
    this.transcript.push(raw);
    this.skipEarlyBytes = 0;
    const ks = this.ks as Tls13KeySchedule;
    const app = this.appSecrets as { client: Uint8Array };
    this.readCipher = new Tls13RecordCipher(trafficKeys(app.client));
    this.readLevel = 'application';
    this.expect = [];
    const resumptionMaster = ks.resumptionMasterSecret(this.transcriptHash());
    this.emitConnected({
      version: '1.3',
      cipherSuite: TLS_AES_128_GCM_SHA256,
      alpn: this.alpn,
      serverName: this.serverName,
      resumed: this.resumed,
      earlyData: this.earlyOffered ? (this.earlyAccepted ? 'accepted' : 'rejected') : 'none',
    });
    const cache = this.scfg.sessionCache;
    if (cache) {
      const nonce = Uint8Array.of(0);
      const ticket = this.scfg.random.bytes(32);
      const ageAdd = new DataView(this.scfg.random.bytes(4).buffer).getUint32(0);
      const lifetime = this.scfg.ticketLifetime ?? 7200;
      const maxEarlyData = this.scfg.maxEarlyData ?? 16384;
      cache.put(ticket, {
        version: '1.3',
        psk: resumptionPsk(resumptionMaster, nonce),
        ageAdd,
        issuedAtNs: this.scfg.now(),
        lifetime,
        maxEarlyData,
        alpn: this.alpn,
        serverName: this.serverName,
      });
      this.sendHandshake([encodeNewSessionTicket13({ lifetime, ageAdd, nonce, ticket, maxEarlyData: maxEarlyData > 0 ? maxEarlyData : undefined })], true);
    }
  }

  private serverHello12(ch: ClientHello): void {
    if (!ch.cipherSuites.includes(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)) fail(AlertDescription.handshakeFailure, 'no common cipher suite');
    if (ch.supportedGroups && !ch.supportedGroups.includes(GROUP_X25519)) fail(AlertDescription.handshakeFailure, 'no common group');
    const cache = this.scfg.sessionCache;
    this.serverRandom = this.scfg.random.bytes(32);
    if (versionsOf(this.scfg).includes('1.3')) this.serverRandom.set(TLS13_DOWNGRADE, 24);
    // Abbreviated handshake: a known ticket or session ID.
    let state: ServerSessionState | undefined;
    if (cache && ch.sessionTicket && ch.sessionTicket.length > 0) state = cache.get(ch.sessionTicket);
    if (!state && cache && ch.sessionId.length > 0) state = cache.get(ch.sessionId);
    if (state && state.version === '1.2' && state.masterSecret && Math.floor((this.scfg.now() - state.issuedAtNs) / 1e6) <= state.lifetime * 1000) {
      this.resumed = true;
      this.master12 = state.masterSecret;
      this.alpn = state.alpn;
      this.sessionId12 = ch.sessionId;
      this.logSecret('CLIENT_RANDOM', 'handshake', this.master12);
      this.sendHandshake([
        encodeServerHello({
          random: this.serverRandom,
          sessionId: ch.sessionId,
          cipherSuite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
          ecPointFormats: true,
          alpn: this.alpn,
        }),
      ]);
      this.sendCcs();
      this.writeCipher = keyBlock12(this.master12, this.clientRandom, this.serverRandom).server;
      this.writeLevel = 'application';
      this.sendHandshake([encodeFinished(finished12(this.master12, 'server finished', this.transcriptHash()))]);
      this.expect = [];
      this.expectCcs = () => {
        this.readCipher = keyBlock12(this.master12 as Uint8Array, this.clientRandom, this.serverRandom).client;
        this.readLevel = 'application';
        this.expect = ['finished'];
      };
      return;
    }
    this.issueTicket12 = cache !== undefined && ch.sessionTicket !== undefined;
    this.sessionId12 = cache && !this.issueTicket12 ? this.scfg.random.bytes(32) : new Uint8Array(0);
    const id = this.identity as TlsServerIdentity;
    this.ecdhe = x25519KeyPair(this.scfg.random);
    const params = encodeEcdheParams(GROUP_X25519, this.ecdhe.publicKey);
    const sig = ecdsaSign(id.key.secretKey, concatBytes(this.clientRandom, this.serverRandom, params));
    this.sendHandshake([
      encodeServerHello({
        random: this.serverRandom,
        sessionId: this.sessionId12,
        cipherSuite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ecPointFormats: true,
        sessionTicket: this.issueTicket12 || undefined,
        alpn: this.alpn,
      }),
      encodeCertificateMessage(id.chain, false),
      encodeServerKeyExchange(params, SIG_ECDSA_SECP256R1_SHA256, sig),
      encodeEmpty(HandshakeType.serverHelloDone),
    ]);
    this.expect = ['client_key_exchange'];
  }

  private onFinished12(verifyData: Uint8Array, raw: Uint8Array): void {
    const master = this.master12 as Uint8Array;
    if (!bytesEqual(verifyData, finished12(master, 'client finished', this.transcriptHash())))
      fail(AlertDescription.decryptError, 'client Finished does not verify');
    this.transcript.push(raw);
    this.expect = [];
    if (!this.resumed) {
      const cache = this.scfg.sessionCache;
      const lifetime = this.scfg.ticketLifetime ?? 7200;
      const state: ServerSessionState = {
        version: '1.2',
        masterSecret: master,
        ageAdd: 0,
        issuedAtNs: this.scfg.now(),
        lifetime,
        maxEarlyData: 0,
        alpn: this.alpn,
        serverName: this.serverName,
      };
      if (cache && this.issueTicket12) {
        const ticket = this.scfg.random.bytes(32);
        cache.put(ticket, state);
        this.sendHandshake([encodeNewSessionTicket12(lifetime, ticket)]);
      } else if (cache && this.sessionId12.length > 0) {
        cache.put(this.sessionId12, state);
      }
      this.sendCcs();
      this.writeCipher = keyBlock12(master, this.clientRandom, this.serverRandom).server;
      this.writeLevel = 'application';
      this.sendHandshake([encodeFinished(finished12(master, 'server finished', this.transcriptHash()))]);
    }
    this.emitConnected({
      version: '1.2',
      cipherSuite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
      alpn: this.alpn,
      serverName: this.serverName,
      resumed: this.resumed,
      earlyData: 'none',
    });
  }
}
