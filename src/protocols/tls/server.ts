/**
 * The TLS server endpoint and its session cache (RFC 8446, RFC 5246, RFC 5077); what it leaves out
 * is stated in `endpoint.ts`.
 */

import {
  AlertDescription,
  GROUP_X25519,
  HandshakeType,
  PSK_DHE_KE,
  SIG_ECDSA_SECP256R1_SHA256,
  TLS_AES_128_GCM_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  type TlsVersion,
  VERSION_TLS12,
  VERSION_TLS13,
} from './constants';
import { ecdsaSign, hash, prf12, x25519KeyPair, x25519Shared } from './crypto';
import { finishedVerifyData, resumptionPsk, Tls13KeySchedule, trafficKeys } from './key-schedule';
import {
  bindersLength,
  type ClientHello,
  encodeCertificateMessage,
  encodeCertificateVerify,
  encodeEcdheParams,
  encodeEmpty,
  encodeEncryptedExtensions,
  encodeFinished,
  encodeNewSessionTicket12,
  encodeNewSessionTicket13,
  encodeServerHello,
  encodeServerKeyExchange,
  type HandshakeMessage,
} from './messages';
import { Tls13RecordCipher } from './record';
import { type KeyPair, parseCertificate } from './x509';
import { bytesEqual, concatBytes, toHex } from './wire';
import { type TlsCommonConfig, fail, TLS13_DOWNGRADE, CV_PREFIX, TlsEndpoint, versionsOf, keyBlock12, finished12 } from './endpoint';

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
