/**
 * X.509 v3 certificates for the scene's small PKI (RFC 5280): a self-signed test CA and leaf
 * certificates it issues, ECDSA P-256 keys, signatures ecdsa-with-SHA256. Keys and serial numbers
 * come from the injected randomness and validity dates from a fixed epoch, so the same seed gives
 * byte-identical certificates. Also the client's checks: chain to the scene CA, host name against
 * subjectAltName, validity against simulated time.
 */

import { ecdsaSign, ecdsaVerify, p256KeyPair, type TlsRandom } from './crypto';
import {
  bitString,
  boolean,
  contentOf,
  explicit,
  formatUtc,
  implicitPrimitive,
  int,
  type DerNode,
  octetString,
  oid,
  oidText,
  parseDer,
  parseTime,
  seq,
  set,
  TAG,
  time,
  uintBytes,
  utf8String,
} from './der';
import { AlertDescription } from './constants';
import { bytesEqual, fromUtf8, TlsDecodeError, utf8 } from './wire';

/**
 * Wall-clock time (ms since the Unix epoch) that simulated time 0 stands for: 2023-11-14 22:13:20
 * UTC, the same instant as the pcapng export's default start (timeline/pcapng.ts
 * DEFAULT_START_EPOCH_NS), so certificate dates and capture timestamps agree.
 */
export const TLS_EPOCH_MS = 1_700_000_000_000;

const DAY_MS = 86_400_000;

const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_PRIME256V1 = '1.2.840.10045.3.1.7';
const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SAN = '2.5.29.17';
const OID_EKU = '2.5.29.37';
const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** A key pair: `secretKey` 32 bytes, `publicKey` uncompressed SEC1 (65 bytes). */
export interface KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** What goes into a certificate. */
interface CertificateSpec {
  readonly serial: Uint8Array;
  readonly issuer: string;
  readonly subject: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly publicKey: Uint8Array;
  /** subjectAltName dNSName entries (leaf certificates). */
  readonly dnsNames?: readonly string[];
  readonly isCA: boolean;
}

function name(cn: string): Uint8Array {
  return seq(set(seq(oid(OID_O), utf8String('Packetarium'))), set(seq(oid(OID_CN), utf8String(cn))));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), boolean(true), octetString(value)) : seq(oid(id), octetString(value));
}

/** DER of a certificate signed with `issuerKey` (ECDSA P-256 / SHA-256). */
function encodeCertificate(spec: CertificateSpec, issuerKey: Uint8Array): Uint8Array {
  const sigAlg = seq(oid(OID_ECDSA_SHA256));
  const exts: Uint8Array[] = [];
  if (spec.isCA) {
    exts.push(extension(OID_BASIC_CONSTRAINTS, true, seq(boolean(true), int(0))));
    // keyCertSign (bit 5) + cRLSign (bit 6): 0b0000_0110, 1 unused bit.
    exts.push(extension(OID_KEY_USAGE, true, bitString(Uint8Array.of(0x06), 1)));
  } else {
    exts.push(extension(OID_BASIC_CONSTRAINTS, true, seq()));
    // digitalSignature (bit 0): 0b1000_0000, 7 unused bits.
    exts.push(extension(OID_KEY_USAGE, true, bitString(Uint8Array.of(0x80), 7)));
    exts.push(extension(OID_EKU, false, seq(oid(OID_SERVER_AUTH))));
  }
  if (spec.dnsNames && spec.dnsNames.length > 0) {
    exts.push(extension(OID_SAN, false, seq(...spec.dnsNames.map((n) => implicitPrimitive(2, utf8(n))))));
  }
  const tbs = seq(
    explicit(0, int(2)),
    uintBytes(spec.serial),
    sigAlg,
    name(spec.issuer),
    seq(time(spec.notBeforeMs), time(spec.notAfterMs)),
    name(spec.subject),
    seq(seq(oid(OID_EC_PUBLIC_KEY), oid(OID_PRIME256V1)), bitString(spec.publicKey)),
    explicit(3, seq(...exts)),
  );
  return seq(tbs, sigAlg, bitString(ecdsaSign(issuerKey, tbs)));
}

/** A decoded certificate (only what the engine and inspector use). */
export interface Certificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly serialHex: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** Uncompressed SEC1 point for id-ecPublicKey / prime256v1, else the raw BIT STRING content. */
  readonly publicKey: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly dnsNames: readonly string[];
  readonly isCA: boolean;
}

function cnOf(buf: Uint8Array, nameNode: DerNode): string {
  for (const rdn of nameNode.children) {
    for (const atv of rdn.children) {
      if (atv.children.length === 2 && oidText(contentOf(buf, atv.children[0])) === OID_CN) {
        return fromUtf8(contentOf(buf, atv.children[1]));
      }
    }
  }
  return '';
}

/** Parses a DER certificate; throws {@link TlsDecodeError} (alert bad_certificate) when malformed. */
export function parseCertificate(der: Uint8Array): Certificate {
  const root = parseDer(der);
  if (root.end !== der.length || root.children.length !== 3) throw new TlsDecodeError('X.509: not a Certificate', 42);
  const [tbsNode, algNode, sigNode] = root.children;
  const t = tbsNode.children;
  let i = 0;
  if (t[0]?.tag === 0xa0) i++;
  if (t.length < i + 6) throw new TlsDecodeError('X.509: short TBSCertificate', 42);
  const serial = contentOf(der, t[i]);
  const validity = t[i + 3];
  const spki = t[i + 5];
  if (validity.children.length !== 2 || spki.children.length !== 2) throw new TlsDecodeError('X.509: bad validity / SPKI', 42);
  const [nb, na] = validity.children;
  const spkiAlg = spki.children[0].children.map((c) => oidText(contentOf(der, c))).join(' ');
  const pk = contentOf(der, spki.children[1]).subarray(1);
  let dnsNames: string[] = [];
  let isCA = false;
  const extsNode = t.find((n) => n.tag === 0xa3);
  if (extsNode?.children[0]) {
    for (const ext of extsNode.children[0].children) {
      const id = oidText(contentOf(der, ext.children[0]));
      const valueNode = ext.children[ext.children.length - 1];
      const inner = parseDer(der, valueNode.contentStart, valueNode.end);
      if (id === OID_SAN) {
        dnsNames = inner.children.filter((c) => c.tag === 0x82).map((c) => fromUtf8(contentOf(der, c)));
      } else if (id === OID_BASIC_CONSTRAINTS) {
        const b = inner.children[0];
        isCA = b !== undefined && b.tag === TAG.boolean && der[b.contentStart] !== 0;
      }
    }
  }
  const sigContent = contentOf(der, sigNode);
  return {
    der,
    tbs: der.subarray(tbsNode.start, tbsNode.end),
    serialHex: Array.from(serial, (b) => b.toString(16).padStart(2, '0')).join(':'),
    issuer: cnOf(der, t[i + 2]),
    subject: cnOf(der, t[i + 4]),
    notBeforeMs: parseTime(nb.tag, contentOf(der, nb)),
    notAfterMs: parseTime(na.tag, contentOf(der, na)),
    signatureAlgorithm: oidText(contentOf(der, algNode.children[0])),
    signature: sigContent.subarray(1),
    publicKey: pk,
    publicKeyAlgorithm: spkiAlg,
    dnsNames,
    isCA,
  };
}

/** A certificate with its private key. */
export interface CertifiedKey {
  readonly certificate: Uint8Array;
  readonly key: KeyPair;
}

function serialFrom(rand: TlsRandom): Uint8Array {
  const s = rand.bytes(8);
  s[0] = (s[0] & 0x7f) | 0x01; // positive, non-zero, 8 bytes
  return s;
}

/** Options for {@link createTestCa}. */
export interface CaOptions {
  readonly name?: string;
  /** Defaults: from 30 days before {@link TLS_EPOCH_MS} to ten years after. */
  readonly notBeforeMs?: number;
  readonly notAfterMs?: number;
}

/** A self-signed test CA, keys from `rand`. */
export function createTestCa(rand: TlsRandom, opts: CaOptions = {}): CertifiedKey & { readonly name: string } {
  const key = p256KeyPair(rand);
  const caName = opts.name ?? 'Packetarium Test CA';
  const certificate = encodeCertificate(
    {
      serial: serialFrom(rand),
      issuer: caName,
      subject: caName,
      notBeforeMs: opts.notBeforeMs ?? TLS_EPOCH_MS - 30 * DAY_MS,
      notAfterMs: opts.notAfterMs ?? TLS_EPOCH_MS + 3650 * DAY_MS,
      publicKey: key.publicKey,
      isCA: true,
    },
    key.secretKey,
  );
  return { certificate, key, name: caName };
}

/** Options for {@link issueServerCertificate}. */
export interface LeafOptions {
  /** DNS names (subjectAltName); the first is also the subject CN. */
  readonly names: readonly string[];
  /** Defaults: from 1 day before {@link TLS_EPOCH_MS} to 90 days after. */
  readonly notBeforeMs?: number;
  readonly notAfterMs?: number;
}

/** A server certificate issued by `ca`, keys from `rand`. */
export function issueServerCertificate(ca: CertifiedKey & { readonly name: string }, rand: TlsRandom, opts: LeafOptions): CertifiedKey {
  const key = p256KeyPair(rand);
  const certificate = encodeCertificate(
    {
      serial: serialFrom(rand),
      issuer: ca.name,
      subject: opts.names[0] ?? 'localhost',
      notBeforeMs: opts.notBeforeMs ?? TLS_EPOCH_MS - DAY_MS,
      notAfterMs: opts.notAfterMs ?? TLS_EPOCH_MS + 90 * DAY_MS,
      publicKey: key.publicKey,
      dnsNames: opts.names,
      isCA: false,
    },
    ca.key.secretKey,
  );
  return { certificate, key };
}

/** True when `host` matches a dNSName (case-insensitive; `*.` matches exactly one left-most label). */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p === h) return true;
  if (p.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === p.slice(2);
  }
  return false;
}

/**
 * Which certificate check failed, as a type (OpenSSL's X509_V_ERR_* and the host name check):
 * what a client program turns into its own error text.
 */
export type CertificateProblem =
  'missing' | 'unparsable' | 'expired' | 'not-yet-valid' | 'unknown-issuer' | 'untrusted-root' | 'not-a-ca' | 'bad-signature' | 'name-mismatch';

/** Why a chain was refused: the alert a client sends, which check failed and a sentence for the learner. */
export interface ChainFailure {
  readonly ok: false;
  readonly alert: number;
  readonly problem: CertificateProblem;
  readonly reason: string;
}

/**
 * The client's certificate checks: the chain must lead to one of `trustAnchors` with valid
 * signatures, every certificate must be valid at `nowMs`, and the leaf must name `hostname`
 * (when given) in subjectAltName.
 */
export function verifyChain(
  chain: readonly Uint8Array[],
  trustAnchors: readonly Uint8Array[],
  hostname: string | undefined,
  nowMs: number,
): { ok: true; leaf: Certificate } | ChainFailure {
  if (chain.length === 0) return { ok: false, alert: AlertDescription.certificateRequired, problem: 'missing', reason: 'no certificate' };
  let parsed: Certificate[];
  let anchors: Certificate[];
  try {
    parsed = chain.map(parseCertificate);
    anchors = trustAnchors.map(parseCertificate);
  } catch (e) {
    return { ok: false, alert: AlertDescription.badCertificate, problem: 'unparsable', reason: (e as Error).message };
  }
  for (const c of parsed) {
    if (nowMs > c.notAfterMs) {
      return {
        ok: false,
        alert: AlertDescription.certificateExpired,
        problem: 'expired',
        reason: `certificate "${c.subject}" expired ${formatUtc(c.notAfterMs)} (now ${formatUtc(nowMs)})`,
      };
    }
    if (nowMs < c.notBeforeMs) {
      return {
        ok: false,
        alert: AlertDescription.certificateExpired,
        problem: 'not-yet-valid',
        reason: `certificate "${c.subject}" not valid before ${formatUtc(c.notBeforeMs)} (now ${formatUtc(nowMs)})`,
      };
    }
  }
  // Walk up: each certificate must be signed by the next, the last by a trust anchor.
  for (let k = 0; k < parsed.length; k++) {
    const c = parsed[k];
    const anchor = anchors.find((a) => bytesEqual(a.der, c.der));
    if (anchor) break; // a server may send the anchor itself
    // Several anchors may share a name (two scenes' test CAs): the one whose key verifies is the issuer.
    const issuer = k + 1 < parsed.length ? parsed[k + 1] : anchors.find((a) => a.subject === c.issuer && ecdsaVerify(a.publicKey, c.tbs, c.signature));
    if (!issuer) return { ok: false, alert: AlertDescription.unknownCa, problem: 'unknown-issuer', reason: `issuer "${c.issuer}" is not a trusted CA` };
    if (k + 1 < parsed.length && !issuer.isCA)
      return { ok: false, alert: AlertDescription.badCertificate, problem: 'not-a-ca', reason: `"${issuer.subject}" is not a CA` };
    if (c.signatureAlgorithm !== OID_ECDSA_SHA256 || !ecdsaVerify(issuer.publicKey, c.tbs, c.signature)) {
      return { ok: false, alert: AlertDescription.badCertificate, problem: 'bad-signature', reason: `bad signature on "${c.subject}"` };
    }
    if (k + 1 >= parsed.length && !anchors.includes(issuer))
      return { ok: false, alert: AlertDescription.unknownCa, problem: 'untrusted-root', reason: 'chain does not end at a trusted CA' };
    if (k + 1 >= parsed.length && nowMs > issuer.notAfterMs) {
      return { ok: false, alert: AlertDescription.certificateExpired, problem: 'expired', reason: `CA "${issuer.subject}" expired` };
    }
  }
  const leaf = parsed[0];
  if (hostname !== undefined && !leaf.dnsNames.some((n) => hostnameMatches(n, hostname))) {
    return {
      ok: false,
      alert: AlertDescription.badCertificate,
      problem: 'name-mismatch',
      reason: `certificate names [${leaf.dnsNames.join(', ')}] do not include "${hostname}"`,
    };
  }
  return { ok: true, leaf };
}
