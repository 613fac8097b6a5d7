/**
 * Handshake messages (RFC 8446 section 4, RFC 5246 section 7.4), as bytes with no record layer:
 * `encode*` returns a whole message (1-byte type, 3-byte length, body); {@link decodeHandshake}
 * parses one. TLS 1.3 messages here are exactly what QUIC carries in CRYPTO frames.
 */

import { ExtensionType, HandshakeType, VERSION_TLS12 } from './constants';
import { TlsDecodeError, TlsReader, TlsWriter, utf8, fromUtf8 } from './wire';

/** A raw extension. */
interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

interface KeyShareEntry {
  readonly group: number;
  readonly key: Uint8Array;
}

interface PskIdentity {
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
}

/** ClientHello with its extensions decoded (unknown ones kept raw in `extensions`). */
export interface ClientHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly extensions: readonly Extension[];
  readonly serverName?: string;
  readonly alpn?: readonly string[];
  readonly supportedVersions?: readonly number[];
  readonly keyShares?: readonly KeyShareEntry[];
  readonly signatureAlgorithms?: readonly number[];
  readonly supportedGroups?: readonly number[];
  readonly pskModes?: readonly number[];
  readonly psk?: { readonly identities: readonly PskIdentity[]; readonly binders: readonly Uint8Array[] };
  readonly earlyData?: boolean;
  /** QUIC transport parameters (RFC 9001 section 8.2), still encoded. */
  readonly quicTransportParameters?: Uint8Array;
  /** TLS 1.2 SessionTicket extension (RFC 5077): empty = "I support tickets". */
  readonly sessionTicket?: Uint8Array;
}

export interface ServerHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly extensions: readonly Extension[];
  readonly selectedVersion?: number;
  readonly keyShare?: KeyShareEntry;
  readonly selectedIdentity?: number;
  readonly sessionTicket?: boolean;
  /** TLS 1.2 ALPN selection (in TLS 1.3 it travels in EncryptedExtensions). */
  readonly alpn?: string;
}

export interface EncryptedExtensions {
  readonly alpn?: string;
  readonly earlyData?: boolean;
  readonly serverNameAck?: boolean;
  /** QUIC transport parameters (RFC 9001 section 8.2), still encoded. */
  readonly quicTransportParameters?: Uint8Array;
}

export type HandshakeMessage =
  | { readonly kind: 'client_hello'; readonly body: ClientHello }
  | { readonly kind: 'server_hello'; readonly body: ServerHello }
  | { readonly kind: 'encrypted_extensions'; readonly body: EncryptedExtensions }
  | { readonly kind: 'certificate'; readonly context: Uint8Array; readonly chain: readonly Uint8Array[] }
  | { readonly kind: 'certificate_verify'; readonly scheme: number; readonly signature: Uint8Array }
  | { readonly kind: 'finished'; readonly verifyData: Uint8Array }
  | {
      readonly kind: 'new_session_ticket';
      readonly lifetime: number;
      readonly ageAdd: number;
      readonly nonce: Uint8Array;
      readonly ticket: Uint8Array;
      readonly maxEarlyData?: number;
    }
  | { readonly kind: 'end_of_early_data' }
  | {
      readonly kind: 'server_key_exchange';
      readonly group: number;
      readonly publicKey: Uint8Array;
      readonly params: Uint8Array;
      readonly scheme: number;
      readonly signature: Uint8Array;
    }
  | { readonly kind: 'server_hello_done' }
  | { readonly kind: 'client_key_exchange'; readonly publicKey: Uint8Array }
  | { readonly kind: 'key_update'; readonly requestUpdate: boolean };

/** Wraps a body with the 4-byte handshake header. */
function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  return new TlsWriter().u8(type).opaque(3, body).finish();
}

// ---------------------------------------------------------------- extensions

function ext(w: TlsWriter, type: number, fill: (w: TlsWriter) => void): void {
  w.u16(type).vector(2, fill);
}

/** What a ClientHello should say. `pskBinderCount` reserves binders, filled by {@link fillBinders}. */
export interface ClientHelloSpec {
  readonly legacyVersion?: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly serverName?: string;
  readonly alpn?: readonly string[];
  readonly supportedVersions?: readonly number[];
  readonly keyShares?: readonly KeyShareEntry[];
  readonly signatureAlgorithms: readonly number[];
  readonly supportedGroups: readonly number[];
  readonly pskModes?: readonly number[];
  readonly earlyData?: boolean;
  readonly sessionTicket?: Uint8Array;
  /** QUIC transport parameters, already encoded (RFC 9001 section 8.2). */
  readonly quicTransportParameters?: Uint8Array;
  /** TLS 1.2 ECDHE needs ec_point_formats (uncompressed). */
  readonly ecPointFormats?: boolean;
  readonly psk?: { readonly identities: readonly PskIdentity[] };
}

/** Length of the binders list at the end of a ClientHello with `count` SHA-256 binders. */
export function bindersLength(count: number): number {
  return 2 + count * 33;
}

export function encodeClientHello(spec: ClientHelloSpec): Uint8Array {
  const w = new TlsWriter();
  w.u16(spec.legacyVersion ?? VERSION_TLS12)
    .bytes(spec.random)
    .opaque(1, spec.sessionId);
  w.vector(2, (v) => spec.cipherSuites.forEach((c) => v.u16(c)));
  w.vector(1, (v) => v.u8(0)); // compression: null
  w.vector(2, (e) => {
    if (spec.serverName !== undefined) {
      ext(e, ExtensionType.serverName, (x) => x.vector(2, (l) => l.u8(0).opaque(2, utf8(spec.serverName ?? ''))));
    }
    if (spec.ecPointFormats) ext(e, ExtensionType.ecPointFormats, (x) => x.vector(1, (l) => l.u8(0)));
    ext(e, ExtensionType.supportedGroups, (x) => x.vector(2, (l) => spec.supportedGroups.forEach((g) => l.u16(g))));
    if (spec.sessionTicket) ext(e, ExtensionType.sessionTicket, (x) => x.bytes(spec.sessionTicket ?? new Uint8Array(0)));
    ext(e, ExtensionType.signatureAlgorithms, (x) => x.vector(2, (l) => spec.signatureAlgorithms.forEach((s) => l.u16(s))));
    if (spec.alpn && spec.alpn.length > 0) {
      ext(e, ExtensionType.alpn, (x) => x.vector(2, (l) => spec.alpn?.forEach((p) => l.opaque(1, utf8(p)))));
    }
    if (spec.keyShares) {
      ext(e, ExtensionType.keyShare, (x) => x.vector(2, (l) => spec.keyShares?.forEach((k) => l.u16(k.group).opaque(2, k.key))));
    }
    if (spec.supportedVersions) {
      ext(e, ExtensionType.supportedVersions, (x) => x.vector(1, (l) => spec.supportedVersions?.forEach((v) => l.u16(v))));
    }
    if (spec.pskModes) ext(e, ExtensionType.pskKeyExchangeModes, (x) => x.vector(1, (l) => spec.pskModes?.forEach((m) => l.u8(m))));
    if (spec.earlyData) ext(e, ExtensionType.earlyData, () => undefined);
    if (spec.quicTransportParameters) ext(e, ExtensionType.quicTransportParameters, (x) => x.bytes(spec.quicTransportParameters ?? new Uint8Array(0)));
    if (spec.psk) {
      // pre_shared_key must be the last extension (RFC 8446 4.2.11); binders are zero until filled.
      const ids = spec.psk.identities;
      ext(e, ExtensionType.preSharedKey, (x) => {
        x.vector(2, (l) => ids.forEach((id) => l.opaque(2, id.identity).u32(id.obfuscatedTicketAge)));
        x.vector(2, (l) => ids.forEach(() => l.opaque(1, new Uint8Array(32))));
      });
    }
  });
  return handshakeMessage(HandshakeType.clientHello, w.finish());
}

/** Writes the binders (each 32 bytes) over the placeholders at the end of an encoded ClientHello. */
export function fillBinders(clientHello: Uint8Array, binders: readonly Uint8Array[]): void {
  let o = clientHello.length - bindersLength(binders.length) + 2;
  for (const b of binders) {
    clientHello[o] = 32;
    clientHello.set(b, o + 1);
    o += 33;
  }
}

function readExtensions(r: TlsReader): Extension[] {
  const out: Extension[] = [];
  if (r.left === 0) return out;
  const list = r.sub(2, 'extensions');
  const seen = new Set<number>();
  while (list.left > 0) {
    const type = list.u16('extension type');
    const data = list.opaque(2, 'extension data');
    if (seen.has(type)) throw new TlsDecodeError(`TLS: duplicate extension ${type}`, 47);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

// eslint-disable-next-line max-lines-per-function -- decodes ClientHello field by field and its extensions (RFC 8446 §4.1.2, §4.2) in wire order
function decodeClientHello(r: TlsReader): ClientHello {
  const legacyVersion = r.u16('client_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.opaque(1, 'session_id');
  const cs = r.sub(2, 'cipher_suites');
  const cipherSuites: number[] = [];
  while (cs.left > 0) cipherSuites.push(cs.u16());
  r.opaque(1, 'compression_methods');
  const extensions = readExtensions(r);
  r.done('ClientHello');
  const ch: { -readonly [K in keyof ClientHello]: ClientHello[K] } = { legacyVersion, random, sessionId, cipherSuites, extensions };
  extensions.forEach((e, idx) => {
    const x = new TlsReader(e.data);
    switch (e.type) {
      case ExtensionType.serverName: {
        const l = x.sub(2, 'server_name_list');
        while (l.left > 0) {
          const t = l.u8();
          const n = l.opaque(2, 'host_name');
          if (t === 0) ch.serverName = fromUtf8(n);
        }
        break;
      }
      case ExtensionType.alpn: {
        const l = x.sub(2, 'protocol_name_list');
        const names: string[] = [];
        while (l.left > 0) names.push(fromUtf8(l.opaque(1)));
        ch.alpn = names;
        break;
      }
      case ExtensionType.supportedVersions: {
        const l = x.sub(1, 'versions');
        const v: number[] = [];
        while (l.left > 0) v.push(l.u16());
        ch.supportedVersions = v;
        break;
      }
      case ExtensionType.keyShare: {
        const l = x.sub(2, 'client_shares');
        const ks: KeyShareEntry[] = [];
        while (l.left > 0) ks.push({ group: l.u16(), key: l.opaque(2, 'key_exchange') });
        ch.keyShares = ks;
        break;
      }
      case ExtensionType.signatureAlgorithms:
      case ExtensionType.supportedGroups: {
        const l = x.sub(2, 'list');
        const v: number[] = [];
        while (l.left > 0) v.push(l.u16());
        if (e.type === ExtensionType.supportedGroups) ch.supportedGroups = v;
        else ch.signatureAlgorithms = v;
        break;
      }
      case ExtensionType.pskKeyExchangeModes: {
        ch.pskModes = Array.from(x.opaque(1, 'ke_modes'));
        break;
      }
      case ExtensionType.earlyData:
        ch.earlyData = true;
        break;
      case ExtensionType.quicTransportParameters:
        ch.quicTransportParameters = e.data;
        break;
      case ExtensionType.sessionTicket:
        ch.sessionTicket = e.data;
        break;
      case ExtensionType.preSharedKey: {
        if (idx !== extensions.length - 1) throw new TlsDecodeError('TLS: pre_shared_key is not the last extension', 47);
        const ids = x.sub(2, 'identities');
        const identities: PskIdentity[] = [];
        while (ids.left > 0) identities.push({ identity: ids.opaque(2, 'identity'), obfuscatedTicketAge: ids.u32() });
        const bl = x.sub(2, 'binders');
        const binders: Uint8Array[] = [];
        while (bl.left > 0) binders.push(bl.opaque(1, 'binder'));
        ch.psk = { identities, binders };
        break;
      }
      default:
        break;
    }
  });
  return ch;
}

/** What a ServerHello should say. */
export interface ServerHelloSpec {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly selectedVersion?: number;
  readonly keyShare?: KeyShareEntry;
  readonly selectedIdentity?: number;
  readonly sessionTicket?: boolean;
  readonly ecPointFormats?: boolean;
  readonly alpn?: string;
}

export function encodeServerHello(spec: ServerHelloSpec): Uint8Array {
  const w = new TlsWriter();
  w.u16(VERSION_TLS12).bytes(spec.random).opaque(1, spec.sessionId).u16(spec.cipherSuite).u8(0);
  w.vector(2, (e) => {
    if (spec.ecPointFormats) ext(e, ExtensionType.ecPointFormats, (x) => x.vector(1, (l) => l.u8(0)));
    if (spec.sessionTicket) ext(e, ExtensionType.sessionTicket, () => undefined);
    if (spec.alpn !== undefined) ext(e, ExtensionType.alpn, (x) => x.vector(2, (l) => l.opaque(1, utf8(spec.alpn ?? ''))));
    if (spec.selectedIdentity !== undefined) ext(e, ExtensionType.preSharedKey, (x) => x.u16(spec.selectedIdentity ?? 0));
    if (spec.keyShare) ext(e, ExtensionType.keyShare, (x) => x.u16(spec.keyShare?.group ?? 0).opaque(2, spec.keyShare?.key ?? new Uint8Array(0)));
    if (spec.selectedVersion !== undefined) ext(e, ExtensionType.supportedVersions, (x) => x.u16(spec.selectedVersion ?? 0));
  });
  return handshakeMessage(HandshakeType.serverHello, w.finish());
}

function decodeServerHello(r: TlsReader): ServerHello {
  const legacyVersion = r.u16('server_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.opaque(1, 'session_id');
  const cipherSuite = r.u16('cipher_suite');
  r.u8('compression_method');
  const extensions = readExtensions(r);
  r.done('ServerHello');
  const sh: { -readonly [K in keyof ServerHello]: ServerHello[K] } = { legacyVersion, random, sessionId, cipherSuite, extensions };
  for (const e of extensions) {
    const x = new TlsReader(e.data);
    if (e.type === ExtensionType.supportedVersions) sh.selectedVersion = x.u16();
    else if (e.type === ExtensionType.keyShare) sh.keyShare = { group: x.u16(), key: x.opaque(2) };
    else if (e.type === ExtensionType.preSharedKey) sh.selectedIdentity = x.u16();
    else if (e.type === ExtensionType.sessionTicket) sh.sessionTicket = true;
    else if (e.type === ExtensionType.alpn) sh.alpn = fromUtf8(x.sub(2).opaque(1));
  }
  return sh;
}

export function encodeEncryptedExtensions(ee: EncryptedExtensions): Uint8Array {
  const w = new TlsWriter();
  w.vector(2, (e) => {
    if (ee.serverNameAck) ext(e, ExtensionType.serverName, () => undefined);
    if (ee.alpn !== undefined) ext(e, ExtensionType.alpn, (x) => x.vector(2, (l) => l.opaque(1, utf8(ee.alpn ?? ''))));
    if (ee.earlyData) ext(e, ExtensionType.earlyData, () => undefined);
    if (ee.quicTransportParameters) ext(e, ExtensionType.quicTransportParameters, (x) => x.bytes(ee.quicTransportParameters ?? new Uint8Array(0)));
  });
  return handshakeMessage(HandshakeType.encryptedExtensions, w.finish());
}

/** TLS 1.3 Certificate (with request context and per-entry extensions) or TLS 1.2 (bare list). */
export function encodeCertificateMessage(chain: readonly Uint8Array[], tls13: boolean): Uint8Array {
  const w = new TlsWriter();
  if (tls13) w.opaque(1, new Uint8Array(0));
  w.vector(3, (l) =>
    chain.forEach((c) => {
      l.opaque(3, c);
      if (tls13) l.u16(0);
    }),
  );
  return handshakeMessage(HandshakeType.certificate, w.finish());
}

export function encodeCertificateVerify(scheme: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.certificateVerify, new TlsWriter().u16(scheme).opaque(2, signature).finish());
}

export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.finished, verifyData);
}

/** TLS 1.3 NewSessionTicket (with early_data max size when 0-RTT is allowed). */
export function encodeNewSessionTicket13(t: { lifetime: number; ageAdd: number; nonce: Uint8Array; ticket: Uint8Array; maxEarlyData?: number }): Uint8Array {
  const w = new TlsWriter().u32(t.lifetime).u32(t.ageAdd).opaque(1, t.nonce).opaque(2, t.ticket);
  w.vector(2, (e) => {
    if (t.maxEarlyData !== undefined) ext(e, ExtensionType.earlyData, (x) => x.u32(t.maxEarlyData ?? 0));
  });
  return handshakeMessage(HandshakeType.newSessionTicket, w.finish());
}

/** TLS 1.2 NewSessionTicket (RFC 5077): lifetime hint and opaque ticket. */
export function encodeNewSessionTicket12(lifetimeHint: number, ticket: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.newSessionTicket, new TlsWriter().u32(lifetimeHint).opaque(2, ticket).finish());
}

/** ServerECDHParams: named_curve, group, public point (the bytes the signature covers). */
export function encodeEcdheParams(group: number, publicKey: Uint8Array): Uint8Array {
  return new TlsWriter().u8(3).u16(group).opaque(1, publicKey).finish();
}

export function encodeServerKeyExchange(params: Uint8Array, scheme: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.serverKeyExchange, new TlsWriter().bytes(params).u16(scheme).opaque(2, signature).finish());
}

export function encodeClientKeyExchange(publicKey: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.clientKeyExchange, new TlsWriter().opaque(1, publicKey).finish());
}

export function encodeEmpty(type: number): Uint8Array {
  return handshakeMessage(type, new Uint8Array(0));
}

/**
 * Decodes one handshake message body. `tls13` picks the TLS 1.3 layout of Certificate and
 * NewSessionTicket. Throws {@link TlsDecodeError}.
 */
// eslint-disable-next-line max-lines-per-function -- one case per handshake message type (RFC 8446 §4); the switch is the table
export function decodeHandshake(type: number, body: Uint8Array, tls13: boolean): HandshakeMessage {
  const r = new TlsReader(body);
  switch (type) {
    case HandshakeType.clientHello:
      return { kind: 'client_hello', body: decodeClientHello(r) };
    case HandshakeType.serverHello:
      return { kind: 'server_hello', body: decodeServerHello(r) };
    case HandshakeType.encryptedExtensions: {
      const ee: { alpn?: string; earlyData?: boolean; serverNameAck?: boolean; quicTransportParameters?: Uint8Array } = {};
      for (const e of readExtensions(r)) {
        if (e.type === ExtensionType.alpn) ee.alpn = fromUtf8(new TlsReader(e.data).sub(2).opaque(1));
        else if (e.type === ExtensionType.earlyData) ee.earlyData = true;
        else if (e.type === ExtensionType.serverName) ee.serverNameAck = true;
        else if (e.type === ExtensionType.quicTransportParameters) ee.quicTransportParameters = e.data;
      }
      r.done('EncryptedExtensions');
      return { kind: 'encrypted_extensions', body: ee };
    }
    case HandshakeType.certificate: {
      const context = tls13 ? r.opaque(1, 'certificate_request_context') : new Uint8Array(0);
      const l = r.sub(3, 'certificate_list');
      const chain: Uint8Array[] = [];
      while (l.left > 0) {
        chain.push(l.opaque(3, 'cert_data'));
        if (tls13) l.opaque(2, 'extensions');
      }
      r.done('Certificate');
      return { kind: 'certificate', context, chain };
    }
    case HandshakeType.certificateVerify: {
      const scheme = r.u16();
      const signature = r.opaque(2, 'signature');
      r.done('CertificateVerify');
      return { kind: 'certificate_verify', scheme, signature };
    }
    case HandshakeType.finished:
      return { kind: 'finished', verifyData: body.slice() };
    case HandshakeType.newSessionTicket: {
      if (!tls13) {
        const lifetime = r.u32();
        const ticket = r.opaque(2, 'ticket');
        r.done('NewSessionTicket');
        return { kind: 'new_session_ticket', lifetime, ageAdd: 0, nonce: new Uint8Array(0), ticket };
      }
      const lifetime = r.u32();
      const ageAdd = r.u32();
      const nonce = r.opaque(1, 'ticket_nonce');
      const ticket = r.opaque(2, 'ticket');
      let maxEarlyData: number | undefined;
      for (const e of readExtensions(r)) if (e.type === ExtensionType.earlyData) maxEarlyData = new TlsReader(e.data).u32();
      r.done('NewSessionTicket');
      return { kind: 'new_session_ticket', lifetime, ageAdd, nonce, ticket, maxEarlyData };
    }
    case HandshakeType.endOfEarlyData:
      r.done('EndOfEarlyData');
      return { kind: 'end_of_early_data' };
    case HandshakeType.serverKeyExchange: {
      if (r.u8('curve_type') !== 3) throw new TlsDecodeError('TLS: ServerKeyExchange curve_type is not named_curve', 47);
      const group = r.u16();
      const publicKey = r.opaque(1, 'public');
      const params = body.slice(0, r.pos);
      const scheme = r.u16();
      const signature = r.opaque(2, 'signature');
      r.done('ServerKeyExchange');
      return { kind: 'server_key_exchange', group, publicKey, params, scheme, signature };
    }
    case HandshakeType.serverHelloDone:
      r.done('ServerHelloDone');
      return { kind: 'server_hello_done' };
    case HandshakeType.clientKeyExchange: {
      const publicKey = r.opaque(1, 'ecdh_Yc');
      r.done('ClientKeyExchange');
      return { kind: 'client_key_exchange', publicKey };
    }
    case HandshakeType.keyUpdate: {
      const v = r.u8();
      r.done('KeyUpdate');
      return { kind: 'key_update', requestUpdate: v === 1 };
    }
    default:
      throw new TlsDecodeError(`TLS: unexpected handshake message type ${type}`, 10);
  }
}

/**
 * Splits a byte stream of handshake messages into whole messages (they may span records or
 * QUIC CRYPTO frames). Push bytes, then take messages while {@link next} returns one.
 */
export class HandshakeReassembler {
  private buf: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array): void {
    const n = new Uint8Array(this.buf.length + bytes.length);
    n.set(this.buf);
    n.set(bytes, this.buf.length);
    this.buf = n;
  }

  /** Bytes received but not yet part of a whole message. */
  get pending(): number {
    return this.buf.length;
  }

  /** The next whole message (header included), or undefined. */
  next(): { type: number; body: Uint8Array; raw: Uint8Array } | undefined {
    if (this.buf.length < 4) return undefined;
    const len = (this.buf[1] << 16) | (this.buf[2] << 8) | this.buf[3];
    if (this.buf.length < 4 + len) return undefined;
    const raw = this.buf.slice(0, 4 + len);
    this.buf = this.buf.slice(4 + len);
    return { type: raw[0], body: raw.subarray(4), raw };
  }
}
