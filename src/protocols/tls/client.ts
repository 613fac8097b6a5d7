/**
 * The TLS client endpoint (RFC 8446, RFC 5246); what it leaves out is stated in `endpoint.ts`.
 */

import {
  AlertDescription,
  GROUP_X25519,
  HandshakeType,
  PSK_DHE_KE,
  SIG_ECDSA_SECP256R1_SHA256,
  TLS_AES_128_GCM_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  VERSION_TLS12,
  VERSION_TLS13,
} from './constants';
import { ecdsaVerify, hash, prf12, x25519KeyPair, x25519Shared } from './crypto';
import { finishedVerifyData, resumptionPsk, Tls13KeySchedule, trafficKeys } from './key-schedule';
import {
  bindersLength,
  encodeClientHello,
  encodeClientKeyExchange,
  encodeEmpty,
  encodeFinished,
  fillBinders,
  type HandshakeMessage,
  type ServerHello,
} from './messages';
import { Tls13RecordCipher } from './record';
import { parseCertificate, TLS_EPOCH_MS, verifyChain } from './x509';
import { bytesEqual, concatBytes } from './wire';
import {
  type TlsEvent,
  type TlsSession,
  type TlsCommonConfig,
  fail,
  TLS13_DOWNGRADE,
  CV_PREFIX,
  TlsEndpoint,
  versionsOf,
  keyBlock12,
  finished12,
} from './endpoint';

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

function nowMs(cfg: TlsCommonConfig): number {
  return (cfg.epochMs ?? TLS_EPOCH_MS) + Math.floor(cfg.now() / 1e6);
}

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
