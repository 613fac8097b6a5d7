/**
 * The inspector's view of TLS: the records in a stretch of a TCP stream (content type, version,
 * length), the handshake messages inside plaintext records, alerts, and protected records shown as
 * encrypted data (the inspector has no keys; export the key log for Wireshark to decrypt).
 * Registered on TCP port 443 by the integrator: `dissectTlsRecords(bytes, offset, end)`.
 */

import type { Field, Layer } from '../codec';
import type { DissectFailure, DissectStep } from '../dissect-types';
import { bytesLabel, hex } from '../format';
import {
  ALERT_NAMES,
  CIPHER_SUITE_NAMES,
  codeName,
  CONTENT_TYPE_NAMES,
  ContentType,
  EXTENSION_NAMES,
  GROUP_NAMES,
  HANDSHAKE_TYPE_NAMES,
  HandshakeType,
  SIG_NAMES,
  VERSION_NAMES,
} from './constants';
import { decodeHandshake } from './messages';
import { parseCertificate } from './x509';
import { formatUtc } from './der';
import { toHex } from './wire';

/** Where this engine departs from the RFCs, shown with every TLS layer. */
export const TLS_NOTES: readonly string[] = [
  'Simulated TLS: one cipher suite per version (TLS_AES_128_GCM_SHA256; TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), group x25519, signatures ecdsa_secp256r1_sha256.',
  "No HelloRetryRequest, client certificates, renegotiation, extended master secret or TLS 1.3 middlebox-compatibility ChangeCipherSpec; session tickets are keys into the server's session cache, not self-encrypted.",
  "Encrypted records are shown as they travel; the client's NSS key log (keyLogLines) lets Wireshark decrypt them.",
];

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u24 = (b: Uint8Array, o: number) => (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];

function versionName(v: number): string {
  return `${VERSION_NAMES[v] ?? 'Unknown'} (${hex(v, 4)})`;
}

/** Shown detail of a plaintext handshake message; `null` when it does not parse (so it is encrypted). */
// eslint-disable-next-line max-lines-per-function -- one case per handshake message type (RFC 8446 §4), each a few fields long
function handshakeFields(b: Uint8Array, o: number, type: number, len: number, sink: { info: string[]; tls13: boolean }): Field[] | null {
  const body = b.subarray(o + 4, o + 4 + len);
  let msg;
  try {
    msg = decodeHandshake(type, body, type === HandshakeType.certificate ? b[o + 4] === 0 && len > 3 && u24(b, o + 5) + 4 === len : sink.tls13);
  } catch {
    return null;
  }
  const f: Field[] = [];
  const at = o + 4;
  switch (msg.kind) {
    case 'client_hello': {
      const ch = msg.body;
      f.push({ key: 'tls.handshake.version', label: 'Version', value: versionName(ch.legacyVersion), offset: at, length: 2 });
      f.push({ key: 'tls.handshake.random', label: 'Random', value: toHex(ch.random), offset: at + 2, length: 32 });
      f.push({
        key: 'tls.handshake.session_id',
        label: 'Session ID',
        value: ch.sessionId.length ? toHex(ch.sessionId) : '(empty)',
        offset: at + 34,
        length: 1 + ch.sessionId.length,
      });
      f.push({
        key: 'tls.handshake.ciphersuites',
        label: `Cipher Suites (${ch.cipherSuites.length} suites)`,
        value: ch.cipherSuites.map((c) => codeName(CIPHER_SUITE_NAMES, c)).join(', '),
        offset: at + 35 + ch.sessionId.length,
        length: 2 + 2 * ch.cipherSuites.length,
      });
      f.push({
        key: 'tls.handshake.extensions',
        label: `Extensions (${ch.extensions.length})`,
        value: ch.extensions.map((e) => codeName(EXTENSION_NAMES, e.type)).join(', '),
        offset: at,
        length: 0,
      });
      if (ch.serverName !== undefined)
        f.push({ key: 'tls.handshake.extensions_server_name', label: 'Server Name', value: ch.serverName, offset: at, length: 0 });
      if (ch.alpn) f.push({ key: 'tls.handshake.extensions_alpn_str', label: 'ALPN', value: ch.alpn.join(', '), offset: at, length: 0 });
      if (ch.supportedVersions)
        f.push({
          key: 'tls.handshake.extensions.supported_versions',
          label: 'Supported Versions',
          value: ch.supportedVersions.map((v) => VERSION_NAMES[v] ?? hex(v, 4)).join(', '),
          offset: at,
          length: 0,
        });
      if (ch.keyShares)
        f.push({
          key: 'tls.handshake.extensions_key_share_group',
          label: 'Key Share',
          value: ch.keyShares.map((k) => codeName(GROUP_NAMES, k.group)).join(', '),
          offset: at,
          length: 0,
        });
      if (ch.psk)
        f.push({
          key: 'tls.handshake.extensions.psk.identities',
          label: 'Pre-Shared Key',
          value: `${ch.psk.identities.length} identity (resumption)`,
          offset: at,
          length: 0,
        });
      if (ch.earlyData) f.push({ key: 'tls.handshake.extensions.early_data', label: 'Early Data', value: '0-RTT data follows', offset: at, length: 0 });
      if (ch.supportedVersions?.includes(0x0304)) sink.tls13 = true;
      sink.info.push(`Client Hello${ch.serverName ? ` (SNI=${ch.serverName})` : ''}`);
      return f;
    }
    case 'server_hello': {
      const sh = msg.body;
      f.push({ key: 'tls.handshake.version', label: 'Version', value: versionName(sh.legacyVersion), offset: at, length: 2 });
      f.push({ key: 'tls.handshake.random', label: 'Random', value: toHex(sh.random), offset: at + 2, length: 32 });
      f.push({
        key: 'tls.handshake.ciphersuite',
        label: 'Cipher Suite',
        value: codeName(CIPHER_SUITE_NAMES, sh.cipherSuite),
        offset: at + 35 + sh.sessionId.length,
        length: 2,
      });
      if (sh.selectedVersion !== undefined) {
        f.push({ key: 'tls.handshake.extensions.supported_version', label: 'Selected Version', value: versionName(sh.selectedVersion), offset: at, length: 0 });
        if (sh.selectedVersion === 0x0304) sink.tls13 = true;
      }
      if (sh.selectedIdentity !== undefined)
        f.push({
          key: 'tls.handshake.extensions.psk.identity.selected',
          label: 'Selected PSK identity',
          value: `${sh.selectedIdentity} (resumed)`,
          offset: at,
          length: 0,
        });
      sink.info.push('Server Hello');
      return f;
    }
    case 'certificate': {
      msg.chain.forEach((der, i) => {
        let value = `${bytesLabel(der.length)}`;
        try {
          const c = parseCertificate(der);
          value = `CN=${c.subject}, issuer CN=${c.issuer}, SAN=[${c.dnsNames.join(', ')}], valid ${formatUtc(c.notBeforeMs)} to ${formatUtc(c.notAfterMs)}`;
        } catch {
          value += ' (unparseable)';
        }
        f.push({ key: 'tls.handshake.certificate', label: `Certificate ${i + 1}`, value, offset: at, length: 0 });
      });
      sink.info.push('Certificate');
      return f;
    }
    case 'server_key_exchange':
      f.push({ key: 'tls.handshake.server_named_curve', label: 'Named Curve', value: codeName(GROUP_NAMES, msg.group), offset: at + 1, length: 2 });
      f.push({
        key: 'tls.handshake.sig_hash_alg',
        label: 'Signature Algorithm',
        value: codeName(SIG_NAMES, msg.scheme),
        offset: at + 4 + msg.publicKey.length,
        length: 2,
      });
      sink.info.push('Server Key Exchange');
      return f;
    case 'new_session_ticket':
      f.push({ key: 'tls.handshake.session_ticket_lifetime_hint', label: 'Ticket Lifetime', value: `${msg.lifetime} s`, offset: at, length: 4 });
      sink.info.push('New Session Ticket');
      return f;
    default:
      sink.info.push(HANDSHAKE_TYPE_NAMES[type] ?? `Handshake ${type}`);
      return f;
  }
}

/** One record's field; `null` if the header is incomplete. */
// eslint-disable-next-line max-lines-per-function -- one branch per TLS record content type (RFC 8446 §5.1) building the inspector field with its byte spans
function recordField(
  b: Uint8Array,
  o: number,
  end: number,
  sink: { info: string[]; tls13: boolean; encrypted: boolean; protoVersion: number },
): { field: Field; next: number } | { partial: Field } {
  const type = b[o];
  const version = u16(b, o + 1);
  const len = u16(b, o + 3);
  const whole = o + 5 + len <= end;
  const typeName = codeName(CONTENT_TYPE_NAMES, type, 2);
  if (version > sink.protoVersion) sink.protoVersion = version;
  const head: Field[] = [
    { key: 'tls.record.content_type', label: 'Content Type', value: `${typeName} (${type})`, offset: o, length: 1 },
    { key: 'tls.record.version', label: 'Version', value: versionName(version), offset: o + 1, length: 2 },
    { key: 'tls.record.length', label: 'Length', value: `${len}`, offset: o + 3, length: 2 },
  ];
  if (!whole) {
    return {
      partial: {
        key: 'tls.record',
        label: `${sink.tls13 ? 'TLSv1.3' : 'TLS'} Record Layer: ${typeName}`,
        value: `${len} bytes, ${end - o - 5} here; the rest continues in the next TCP segment`,
        offset: o,
        length: end - o,
        children: head,
      },
    };
  }
  const p = o + 5;
  const children = [...head];
  let what = typeName;
  if (type === ContentType.handshake) {
    let q = p;
    const names: string[] = [];
    let encrypted = false;
    while (q + 4 <= p + len) {
      const ht = b[q];
      const hl = u24(b, q + 1);
      if (!(ht in HANDSHAKE_TYPE_NAMES) || q + 4 + hl > p + len) {
        encrypted = true;
        break;
      }
      const sub = handshakeFields(b, q, ht, hl, sink);
      if (sub === null) {
        encrypted = true;
        break;
      }
      names.push(HANDSHAKE_TYPE_NAMES[ht]);
      children.push({
        key: 'tls.handshake',
        label: `Handshake Protocol: ${HANDSHAKE_TYPE_NAMES[ht]}`,
        value: `${hl} bytes`,
        offset: q,
        length: 4 + hl,
        children: [
          { key: 'tls.handshake.type', label: 'Handshake Type', value: `${HANDSHAKE_TYPE_NAMES[ht]} (${ht})`, offset: q, length: 1 },
          { key: 'tls.handshake.length', label: 'Length', value: `${hl}`, offset: q + 1, length: 3 },
          ...sub,
        ],
      });
      q += 4 + hl;
    }
    if (encrypted || names.length === 0) {
      children.splice(3);
      children.push({ key: 'tls.handshake', label: 'Handshake Protocol', value: 'Encrypted Handshake Message', offset: p, length: len });
      sink.info.push('Encrypted Handshake Message');
      what = 'Encrypted Handshake Message';
    } else what = `Handshake Protocol: ${names.join(', ')}`;
  } else if (type === ContentType.alert) {
    if (len === 2) {
      const level = b[p] === 2 ? 'Fatal' : b[p] === 1 ? 'Warning' : `Level ${b[p]}`;
      const desc = codeName(ALERT_NAMES, b[p + 1], 2);
      children.push({ key: 'tls.alert_message.level', label: 'Level', value: `${level} (${b[p]})`, offset: p, length: 1 });
      children.push({ key: 'tls.alert_message.desc', label: 'Description', value: `${desc} (${b[p + 1]})`, offset: p + 1, length: 1 });
      what = `Alert (Level: ${level}, Description: ${desc})`;
      sink.info.push(`Alert (${level}, ${desc})`);
    } else {
      children.push({ key: 'tls.alert_message', label: 'Alert Message', value: 'Encrypted Alert', offset: p, length: len });
      what = 'Encrypted Alert';
      sink.info.push('Encrypted Alert');
    }
  } else if (type === ContentType.changeCipherSpec) {
    children.push({ key: 'tls.change_cipher_spec', label: 'Change Cipher Spec Message', value: `${b[p]}`, offset: p, length: len });
    sink.info.push('Change Cipher Spec');
    sink.encrypted = true;
  } else if (type === ContentType.applicationData) {
    children.push({
      key: 'tls.app_data',
      label: 'Encrypted Application Data',
      value: `${bytesLabel(len)} (AEAD-protected; in TLS 1.3 this may also be a handshake message or alert: the true type is inside)`,
      offset: p,
      length: len,
    });
    sink.info.push('Application Data');
  }
  const label = `${sink.tls13 ? 'TLSv1.3' : (VERSION_NAMES[version] ?? 'TLS').replace('TLS ', 'TLSv')} Record Layer: ${what}`;
  return { field: { key: 'tls.record', label, value: `${len} bytes`, offset: o, length: 5 + len, children }, next: p + len };
}

/**
 * Dissects the TLS records in `[offset, end)` of a frame (a TCP payload). A record cut by the
 * segment boundary is shown as partial. Never throws.
 */
export function dissectTlsRecords(bytes: Uint8Array, offset: number, end: number = bytes.length): DissectStep | DissectFailure {
  end = Math.min(end, bytes.length);
  if (offset >= end) return { error: 'TLS: no bytes' };
  const fields: Field[] = [];
  const sink = { info: [] as string[], tls13: false, encrypted: false, protoVersion: 0 };
  let o = offset;
  const notes = [...TLS_NOTES];
  while (o < end) {
    if (end - o < 5) {
      fields.push({
        key: 'tls.segment',
        label: 'TLS segment data',
        value: `${end - o} bytes of a record header (continues in the next segment)`,
        offset: o,
        length: end - o,
      });
      break;
    }
    const type = bytes[o];
    if (!(type in CONTENT_TYPE_NAMES) || bytes[o + 1] !== 3) {
      if (fields.length === 0) return { error: `TLS: not a record (content type ${type}, version ${hex(u16(bytes, o + 1), 4)})` };
      fields.push({ key: 'tls.segment', label: 'TLS segment data', value: `${end - o} bytes (continuation of an earlier record)`, offset: o, length: end - o });
      break;
    }
    const r = recordField(bytes, o, end, sink);
    if ('partial' in r) {
      fields.push(r.partial);
      notes.push('The last record continues in the next TCP segment.');
      break;
    }
    fields.push(r.field);
    o = r.next;
  }
  const proto = sink.tls13 ? 'TLSv1.3' : sink.protoVersion === 0x0303 ? 'TLSv1.2' : sink.protoVersion === 0x0301 ? 'TLSv1' : 'TLS';
  const layer: Layer = {
    protocol: 'tls',
    title: 'Transport Layer Security',
    offset,
    length: end - offset,
    fields,
    notes,
  };
  return { layer, protocol: proto, summary: sink.info.join(', ') || 'Continuation Data', end };
}
