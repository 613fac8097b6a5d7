/**
 * The inspector's QUIC dissector (UDP port 443), Wireshark-like: one layer per QUIC packet of a
 * datagram (coalesced packets each get their own layer), long and short headers field by field,
 * and, for client Initial packets, header protection removed and the payload decrypted with the
 * Initial keys (RFC 9001 section 5.2), so their frames show: CRYPTO (with the TLS message inside),
 * ACK ranges, PADDING, PING, CONNECTION_CLOSE and the rest.
 *
 * It is stateless: it sees one datagram and nothing else. A client's first Initials carry the
 * Destination Connection ID the Initial keys come from, so they decrypt; a server's Initials (and a
 * client's later ones, sent to the server's chosen CID) are protected with keys from a DCID that is
 * not in the packet, and Handshake, 0-RTT and 1-RTT packets with TLS secrets; those show as
 * protected, with a note. (tshark with the scene's key log decrypts everything; see
 * test/wire/quic.test.ts.)
 */
import type { Field, Layer } from '../codec';
import type { DissectContext, DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, hex as hexNum, hexBytes } from '../format';
import { HANDSHAKE_TYPE_NAMES } from '../tls/constants';
import { CID_LENGTH, QUIC_VERSION_1 } from './packet';
import { initialSecrets, packetKeys, unprotectPacket } from './protection';
import { hex, QuicReader } from './wire';

/** The UDP port the dissector is registered for. */
export const QUIC_UDP_PORT = 443;

/** Where the model departs from RFC 9000 / 9001, said plainly in the inspector. */
export const QUIC_MODEL_NOTES: readonly string[] = [
  'Packetarium speaks QUIC version 1 only: no version negotiation, no Retry, no key update (the key phase stays 0).',
  'Packet protection is AES-128-GCM with AES header protection only (TLS_AES_128_GCM_SHA256); no ChaCha20.',
  'Connection IDs are always 8 bytes, packet numbers 2 bytes, and the Length field 2 bytes.',
  'Datagrams are 1200 bytes until one PMTU probe (PING + PADDING, 1472 bytes) is acknowledged; every datagram has DF set.',
  'A probe timeout sends one or two probe datagrams and declares nothing lost (RFC 9002 6.2.4); NewReno congestion control, no pacing.',
  'The dissector is stateless: it decrypts only client Initials whose DCID is the one the Initial keys come from.',
];

const LONG_TYPE_NAMES = ['Initial', '0-RTT', 'Handshake', 'Retry'] as const;

/** Per-frame state while one Ethernet frame is dissected: what earlier coalesced packets said. */
const datagrams = new WeakMap<DissectContext, { summaries: string[]; count: number }>();

interface FrameInfo {
  field: Field;
  /** The packet list name: `CRYPTO`, `ACK`, `PADDING`... */
  name: string;
}

/** Frame type names (RFC 9000 section 19 / 12.4). */
function frameTypeName(t: number): string {
  if (t === 0x00) return 'PADDING';
  if (t === 0x01) return 'PING';
  if (t === 0x02 || t === 0x03) return 'ACK';
  if (t === 0x04) return 'RESET_STREAM';
  if (t === 0x05) return 'STOP_SENDING';
  if (t === 0x06) return 'CRYPTO';
  if (t === 0x07) return 'NEW_TOKEN';
  if (t >= 0x08 && t <= 0x0f) return 'STREAM';
  const names: Record<number, string> = {
    0x10: 'MAX_DATA',
    0x11: 'MAX_STREAM_DATA',
    0x12: 'MAX_STREAMS',
    0x13: 'MAX_STREAMS',
    0x14: 'DATA_BLOCKED',
    0x15: 'STREAM_DATA_BLOCKED',
    0x16: 'STREAMS_BLOCKED',
    0x17: 'STREAMS_BLOCKED',
    0x18: 'NEW_CONNECTION_ID',
    0x19: 'RETIRE_CONNECTION_ID',
    0x1a: 'PATH_CHALLENGE',
    0x1b: 'PATH_RESPONSE',
    0x1c: 'CONNECTION_CLOSE',
    0x1d: 'CONNECTION_CLOSE',
    0x1e: 'HANDSHAKE_DONE',
  };
  return names[t] ?? `Unknown (0x${t.toString(16)})`;
}

/**
 * Walks the frames of a decrypted payload. `wire` is the frame offset of `payload[0]` (AES-GCM
 * keeps byte positions, so plaintext byte i sits over ciphertext byte i). Never throws: a frame
 * that runs past the end or is unknown ends the walk with `error`.
 */
// eslint-disable-next-line max-lines-per-function -- one branch per QUIC frame type (RFC 9000 §19), in the RFC's order, sharing the field helpers of the walk
function describeQuicFrames(payload: Uint8Array, wire: number): { frames: FrameInfo[]; error?: string } {
  const frames: FrameInfo[] = [];
  const r = new QuicReader(payload);
  const dec = new TextDecoder('utf-8', { fatal: false });
  while (r.left > 0) {
    const start = r.pos;
    const at = (p: number) => wire + p;
    const sub = (key: string, label: string, value: string, from: number, to: number): Field => ({ key, label, value, offset: at(from), length: to - from });
    try {
      const t = r.varint('frame type');
      const name = frameTypeName(t);
      const kids: Field[] = [sub('quic.frame_type', 'Frame Type', `${name} (${hexNum(t, 2)})`, start, r.pos)];
      let text = name;
      const v = (key: string, label: string): number => {
        const p = r.pos;
        const n = r.varint(label);
        kids.push(sub(key, label, `${n}`, p, r.pos));
        return n;
      };
      if (t === 0x00) {
        while (r.left > 0 && payload[r.pos] === 0) r.pos++;
        const n = r.pos - start;
        text = `PADDING Length: ${n}`;
        kids.push(sub('quic.padding_length', 'Padding Length', `${n}`, start, r.pos));
      } else if (t === 0x01 || t === 0x1e) {
        // No fields.
      } else if (t === 0x02 || t === 0x03) {
        const largest = v('quic.ack.largest_acknowledged', 'Largest Acknowledged');
        v('quic.ack.ack_delay', 'ACK Delay');
        const count = v('quic.ack.ack_range_count', 'ACK Range Count');
        let to = largest;
        let from = to - v('quic.ack.first_ack_range', 'First ACK Range');
        const ranges = [[from, to]];
        for (let i = 0; i < count && i < 1024; i++) {
          to = from - v('quic.ack.gap', 'Gap') - 2;
          from = to - v('quic.ack.ack_range', 'ACK Range');
          ranges.push([from, to]);
        }
        if (t === 0x03) {
          v('quic.ack.ect0_count', 'ECT(0) Count');
          v('quic.ack.ect1_count', 'ECT(1) Count');
          v('quic.ack.ecn_ce_count', 'ECN-CE Count');
        }
        const list = ranges.map(([a, b]) => (a === b ? `${b}` : `${a}-${b}`)).join(', ');
        kids.push({ key: 'quic.ack.ranges', label: 'Acknowledged', value: from < 0 ? `${list} [invalid: below 0]` : list, offset: at(start), length: 0 });
        text = `ACK ${list}`;
      } else if (t === 0x06) {
        const off = v('quic.crypto.offset', 'Offset');
        const len = v('quic.crypto.length', 'Length');
        const p = r.pos;
        const data = r.bytes(len, 'CRYPTO data');
        kids.push(sub('quic.crypto.crypto_data', 'Crypto Data', `(${bytesLabel(len)})`, p, r.pos));
        text = `CRYPTO Offset: ${off}, Length: ${len}`;
        if (off === 0 && data.length >= 4) {
          const ht = data[0];
          const hlen = (data[1] << 16) | (data[2] << 8) | data[3];
          const htName = HANDSHAKE_TYPE_NAMES[ht] ?? `Unknown (${ht})`;
          kids.push({
            key: 'tls.handshake.type',
            label: 'TLS Handshake Type',
            value: `${htName} (${ht})`,
            offset: at(p),
            length: 1,
            children: [{ key: 'tls.handshake.length', label: 'Length', value: `${hlen}`, offset: at(p + 1), length: 3 }],
          });
          text += ` (${htName})`;
        } else if (len > 0) {
          kids.push({
            key: 'quic.crypto.continuation',
            label: 'TLS',
            value: 'continues a handshake message (no reassembly across packets)',
            offset: at(p),
            length: 0,
          });
        }
      } else if (t >= 0x08 && t <= 0x0f) {
        const id = v('quic.stream.stream_id', 'Stream ID');
        const off = t & 0x04 ? v('quic.stream.offset', 'Offset') : 0;
        const len = t & 0x02 ? v('quic.stream.length', 'Length') : r.left;
        const p = r.pos;
        r.bytes(len, 'STREAM data');
        kids.push(sub('quic.stream_data', 'Stream Data', `(${bytesLabel(len)})`, p, r.pos));
        kids.push({ key: 'quic.stream.fin', label: 'FIN', value: t & 1 ? 'Set' : 'Not set', offset: at(start), length: 0 });
        text = `STREAM id=${id} off=${off} len=${len}${t & 1 ? ' fin' : ''}`;
      } else if (t === 0x1c || t === 0x1d) {
        const code = r.varint();
        kids.push(sub('quic.cc.error_code', 'Error Code', hexNum(code, 2), start + 1, r.pos));
        if (t === 0x1c) v('quic.cc.frame_type', 'Frame Type');
        const lp = r.pos;
        const reason = dec.decode(r.vbytes('reason'));
        kids.push(sub('quic.cc.reason_phrase', 'Reason Phrase', JSON.stringify(reason), lp, r.pos));
        text = `CONNECTION_CLOSE${t === 0x1d ? ' (application)' : ''} code=${hexNum(code, 2)}`;
      } else if (t === 0x04) {
        v('quic.rsts.stream_id', 'Stream ID');
        v('quic.rsts.application_error_code', 'Application Error Code');
        v('quic.rsts.final_size', 'Final Size');
      } else if (t === 0x05) {
        v('quic.ss.stream_id', 'Stream ID');
        v('quic.ss.application_error_code', 'Application Error Code');
      } else if (t === 0x07) {
        const len = v('quic.nt.length', 'Token Length');
        const p = r.pos;
        r.bytes(len, 'token');
        kids.push(sub('quic.nt.token', 'Token', hexBytes(payload, p, r.pos), p, r.pos));
      } else if (t === 0x10 || t === 0x14) {
        v('quic.maximum_data', 'Maximum Data');
      } else if (t === 0x11 || t === 0x15) {
        v('quic.stream_id', 'Stream ID');
        v('quic.maximum_stream_data', 'Maximum Stream Data');
      } else if (t >= 0x12 && t <= 0x17) {
        v('quic.maximum_streams', 'Maximum Streams');
      } else if (t === 0x18) {
        v('quic.nci.sequence', 'Sequence');
        v('quic.nci.retire_prior_to', 'Retire Prior To');
        const cl = r.u8('connection ID length');
        const p = r.pos;
        r.bytes(cl, 'connection ID');
        kids.push(sub('quic.nci.connection_id', 'Connection ID', hexBytes(payload, p, r.pos), p, r.pos));
        const q = r.pos;
        r.bytes(16, 'stateless reset token');
        kids.push(sub('quic.stateless_reset_token', 'Stateless Reset Token', hexBytes(payload, q, r.pos), q, r.pos));
      } else if (t === 0x19) {
        v('quic.rci.sequence', 'Sequence');
      } else if (t === 0x1a || t === 0x1b) {
        const p = r.pos;
        r.bytes(8, 'path data');
        kids.push(sub('quic.path.data', 'Data', hexBytes(payload, p, r.pos), p, r.pos));
      } else {
        return { frames, error: `unknown frame type ${hexNum(t, 2)}: the rest of the payload is not dissected` };
      }
      frames.push({ name, field: { key: 'quic.frame', label: 'Frame', value: text, offset: at(start), length: r.pos - start, children: kids } });
    } catch (e) {
      return { frames, error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { frames };
}

/** `CRYPTO, PADDING` for the Info column: frame names in order, repeats collapsed. */
function frameNames(frames: readonly FrameInfo[]): string {
  const out: string[] = [];
  for (const f of frames) if (out[out.length - 1] !== f.name) out.push(f.name);
  return out.join(', ');
}

interface PacketResult {
  layer: Layer;
  summary: string;
  /** Where the packet ends (the next coalesced packet starts). */
  end: number;
  /** A malformed header: dissection stops here. */
  error?: string;
}

function firstByteField(b: number, o: number, long: boolean, protectedBits: boolean): Field {
  const children: Field[] = [
    { key: 'quic.header_form', label: 'Header Form', value: long ? 'Long Header (1)' : 'Short Header (0)', offset: o, length: 0 },
    { key: 'quic.fixed_bit', label: 'Fixed Bit', value: b & 0x40 ? 'True' : 'False', offset: o, length: 0 },
  ];
  if (long)
    children.push({ key: 'quic.long.packet_type', label: 'Packet Type', value: `${LONG_TYPE_NAMES[(b >> 4) & 3]} (${(b >> 4) & 3})`, offset: o, length: 0 });
  else children.push({ key: 'quic.spin_bit', label: 'Spin Bit', value: b & 0x20 ? 'True' : 'False', offset: o, length: 0 });
  if (protectedBits) {
    children.push({
      key: 'quic.protected_bits',
      label: long ? 'Reserved and Packet Number Length' : 'Reserved, Key Phase and Packet Number Length',
      value: '(protected)',
      offset: o,
      length: 0,
    });
  } else {
    children.push({ key: 'quic.reserved', label: 'Reserved', value: `${long ? (b >> 2) & 3 : (b >> 3) & 3}`, offset: o, length: 0 });
    if (!long) children.push({ key: 'quic.key_phase', label: 'Key Phase', value: b & 0x04 ? '1' : '0', offset: o, length: 0 });
    children.push({ key: 'quic.packet_number_length', label: 'Packet Number Length', value: `${(b & 3) + 1} bytes`, offset: o, length: 0 });
  }
  return { key: 'quic.first_byte', label: 'First Byte', value: hexNum(b, 2), offset: o, length: 1, children };
}

function packetLayer(title: string, offset: number, end: number, fields: Field[], notes: string[]): Layer {
  return { protocol: 'quic', title, offset, length: end - offset, fields, notes: [...notes, ...QUIC_MODEL_NOTES] };
}

/** One QUIC packet starting at `o` of a datagram ending at `end`. Never throws. */
// eslint-disable-next-line max-lines-per-function -- walks one QUIC packet header field by field (RFC 9000 §17), long and short forms, keeping byte spans
function dissectPacket(bytes: Uint8Array, o: number, end: number): PacketResult {
  const first = bytes[o];
  const long = (first & 0x80) !== 0;
  const fields: Field[] = [];
  const notes: string[] = [];
  const fail = (error: string, title: string): PacketResult => ({
    layer: packetLayer(title, o, end, fields, [error]),
    summary: `${title} [Malformed Packet]`,
    end,
    error: `QUIC: ${error}`,
  });

  if (!long) {
    fields.push(firstByteField(first, o, false, true));
    if (end - o < 1 + CID_LENGTH)
      return fail(`short header packet of ${bytesLabel(end - o)} is too short for an ${CID_LENGTH}-byte DCID`, 'QUIC IETF, Short Header');
    const dcid = hex(bytes.subarray(o + 1, o + 1 + CID_LENGTH));
    fields.push({ key: 'quic.dcid', label: 'Destination Connection ID', value: dcid, offset: o + 1, length: CID_LENGTH });
    const p = o + 1 + CID_LENGTH;
    if (end > p) {
      fields.push({ key: 'quic.packet_number', label: 'Packet Number', value: '(protected)', offset: p, length: 0 });
      fields.push({ key: 'quic.protected_payload', label: 'Protected Payload', value: `(${bytesLabel(end - p)})`, offset: p, length: end - p });
    }
    notes.push(
      'Protected payload (keys not in this packet): 1-RTT packets are protected with keys from the TLS handshake; tshark decrypts them with the key log the scene publishes.',
      `A short header does not say how long the DCID is; the receiver knows. Packetarium's are ${CID_LENGTH} bytes.`,
      "The key phase bit is header-protected; KP0 in the summary is the model's (it never updates keys).",
    );
    if ((first & 0x40) === 0) notes.push('Fixed Bit is 0: not a QUIC version 1 packet (RFC 9000 section 17.3.1).');
    const summary = `Protected Payload (KP0), DCID=${dcid}`;
    return { layer: packetLayer(`QUIC IETF, ${summary}`, o, end, fields, notes), summary, end };
  }

  const r = new QuicReader(bytes, o + 1, end);
  const typeCode = (first >> 4) & 3;
  const typeName = LONG_TYPE_NAMES[typeCode];
  fields.push(firstByteField(first, o, true, typeCode !== 3));
  let title = `QUIC IETF, ${typeName}`;
  try {
    const version = r.u32('version');
    fields.push({
      key: 'quic.version',
      label: 'Version',
      value: `${hexNum(version, 8)}${version === QUIC_VERSION_1 ? ' (1)' : version === 0 ? ' (Version Negotiation)' : ''}`,
      offset: o + 1,
      length: 4,
    });
    const dcil = r.u8('DCID length');
    fields.push({ key: 'quic.dcil', label: 'Destination Connection ID Length', value: `${dcil}`, offset: r.pos - 1, length: 1 });
    const dcidAt = r.pos;
    const dcidBytes = r.bytes(dcil, 'destination connection ID');
    const dcid = hex(dcidBytes);
    fields.push({ key: 'quic.dcid', label: 'Destination Connection ID', value: dcid || '(empty)', offset: dcidAt, length: dcil });
    const scil = r.u8('SCID length');
    fields.push({ key: 'quic.scil', label: 'Source Connection ID Length', value: `${scil}`, offset: r.pos - 1, length: 1 });
    const scidAt = r.pos;
    const scid = hex(r.bytes(scil, 'source connection ID'));
    fields.push({ key: 'quic.scid', label: 'Source Connection ID', value: scid || '(empty)', offset: scidAt, length: scil });
    const cids = `${dcil ? `DCID=${dcid}` : ''}${dcil && scil ? ', ' : ''}${scil ? `SCID=${scid}` : ''}`;
    if (version === 0) {
      const n = Math.floor(r.left / 4);
      fields.push({ key: 'quic.supported_versions', label: 'Supported Versions', value: `(${n})`, offset: r.pos, length: r.left });
      notes.push('Version Negotiation: Packetarium never sends one (it speaks version 1 only).');
      const summary = `Version Negotiation${cids ? `, ${cids}` : ''}`;
      return { layer: packetLayer(`QUIC IETF, ${summary}`, o, end, fields, notes), summary, end };
    }
    if (version !== QUIC_VERSION_1) {
      notes.push(`Version ${hexNum(version, 8)} is not QUIC version 1: only the version-independent fields are shown.`);
      const summary = `Unknown version ${hexNum(version, 8)}${cids ? `, ${cids}` : ''}`;
      return { layer: packetLayer(`QUIC IETF, ${summary}`, o, end, fields, notes), summary, end };
    }
    if (typeCode === 3) {
      const tokenLen = Math.max(0, r.left - 16);
      fields.push({ key: 'quic.retry_token', label: 'Retry Token', value: hexBytes(bytes, r.pos, r.pos + tokenLen), offset: r.pos, length: tokenLen });
      if (r.left >= 16)
        fields.push({ key: 'quic.retry_integrity_tag', label: 'Retry Integrity Tag', value: hexBytes(bytes, end - 16, end), offset: end - 16, length: 16 });
      notes.push("Retry: Packetarium's servers never send one; the integrity tag is not checked.");
      const summary = `Retry${cids ? `, ${cids}` : ''}`;
      return { layer: packetLayer(`QUIC IETF, ${summary}`, o, end, fields, notes), summary, end };
    }
    if (typeCode === 0) {
      const p = r.pos;
      const tl = r.varint('token length');
      fields.push({ key: 'quic.token_length', label: 'Token Length', value: `${tl}`, offset: p, length: r.pos - p });
      const tp = r.pos;
      r.bytes(tl, 'token');
      if (tl > 0) fields.push({ key: 'quic.token', label: 'Token', value: hexBytes(bytes, tp, r.pos), offset: tp, length: tl });
    }
    const lp = r.pos;
    const length = r.varint('length');
    fields.push({ key: 'quic.length', label: 'Length', value: `${length}`, offset: lp, length: r.pos - lp });
    const pnOffset = r.pos;
    const pktEnd = pnOffset + length;
    if (pktEnd > end) {
      title += `, ${cids}`;
      return fail(`Length ${length} runs past the datagram (${end - pnOffset} bytes left)`, title);
    }
    title = `QUIC IETF, ${typeName}, ${cids}`;
    let summary = `${typeName}, ${cids}`;

    // Initial packets: try the keys from this packet's own DCID (a client's first Initials).
    const opened = typeCode === 0 && pktEnd - pnOffset >= 20 ? tryOpenInitial(bytes, o, pnOffset, pktEnd, dcidBytes) : null;
    if (opened) {
      const pnLen = (opened.header[0] & 3) + 1;
      fields[0] = { ...firstByteField(opened.header[0], o, true, false), value: `${hexNum(first, 2)} (unprotected ${hexNum(opened.header[0], 2)})` };
      fields.push({ key: 'quic.packet_number', label: 'Packet Number', value: `${opened.pn}`, offset: pnOffset, length: pnLen });
      const payloadAt = pnOffset + pnLen;
      const tagAt = pktEnd - 16;
      const walk = describeQuicFrames(opened.payload, payloadAt);
      fields.push({
        key: 'quic.payload',
        label: 'Payload',
        value: `${bytesLabel(opened.payload.length)} decrypted with the Initial keys (client, DCID ${dcid})`,
        offset: payloadAt,
        length: tagAt - payloadAt,
        children: walk.frames.map((f) => f.field),
      });
      fields.push({ key: 'quic.aead_tag', label: 'AEAD Tag', value: `${hexBytes(bytes, tagAt, pktEnd)} [verified]`, offset: tagAt, length: 16 });
      if (walk.error) notes.push(`Frames: ${walk.error}`);
      notes.push("Decrypted with the client Initial keys derived from this packet's DCID (RFC 9001 section 5.2): anyone on the path can read Initial packets.");
      title += `, PKN: ${opened.pn}`;
      summary += `, PKN: ${opened.pn}`;
      const names = frameNames(walk.frames);
      if (names) summary += `, ${names}`;
      return { layer: packetLayer(title, o, pktEnd, fields, notes), summary, end: pktEnd };
    }

    fields.push({ key: 'quic.packet_number', label: 'Packet Number', value: '(protected)', offset: pnOffset, length: 0 });
    fields.push({
      key: 'quic.protected_payload',
      label: 'Protected Payload',
      value: `(${bytesLabel(length)}, packet number included)`,
      offset: pnOffset,
      length,
    });
    if (typeCode === 0) {
      notes.push(
        "Protected payload (keys not in this packet): Initial keys come from the DCID of the client's first Initial. A server's Initials (and the client's later ones) carry other connection IDs, and a stateless dissector does not know the original one.",
      );
    } else {
      notes.push(
        `Protected payload (keys not in this packet): ${typeName} packets are protected with keys from the TLS handshake; tshark decrypts them with the key log the scene publishes.`,
      );
    }
    summary += ', Protected Payload';
    return { layer: packetLayer(title, o, pktEnd, fields, notes), summary, end: pktEnd };
  } catch (e) {
    return fail(e instanceof Error ? e.message.replace(/^QUIC: /, '') : String(e), title);
  }
}

function tryOpenInitial(bytes: Uint8Array, start: number, pnOffset: number, end: number, dcid: Uint8Array) {
  try {
    return unprotectPacket(packetKeys(initialSecrets(dcid).client), bytes, start, pnOffset, end, -1);
  } catch {
    return null;
  }
}

/**
 * Dissector for UDP port 443: the first QUIC packet of `[offset, end)` as one layer; coalesced
 * packets after it are handed back to this dissector (one layer each), and the Info column lists
 * them all: `Initial, DCID=8394c8f03e515708, PKN: 2, CRYPTO, PADDING`.
 */
export const dissectQuic: Dissector = (bytes, offset, end, ctx): DissectStep | DissectFailure => {
  end = Math.min(end, bytes.length);
  const state = datagrams.get(ctx) ?? { summaries: [], count: 0 };
  datagrams.set(ctx, state);
  if (end <= offset) return { error: 'QUIC: empty datagram' };
  // Zeros after the last coalesced packet: datagram padding, not a packet.
  if (state.count > 0 && (bytes[offset] & 0x40) === 0 && isAllZero(bytes, offset, end)) {
    const n = end - offset;
    return {
      layer: {
        protocol: 'quic',
        title: `QUIC datagram padding (${bytesLabel(n)})`,
        offset,
        length: n,
        fields: [{ key: 'quic.datagram_padding', label: 'Padding', value: `(${bytesLabel(n)})`, offset, length: n }],
      },
      protocol: 'QUIC',
      summary: state.summaries.join(', '),
      end,
    };
  }
  const pkt = dissectPacket(bytes, offset, end);
  state.count++;
  state.summaries.push(pkt.summary);
  if (pkt.error) return { error: pkt.error, layer: pkt.layer };
  const step: DissectStep = { layer: pkt.layer, protocol: 'QUIC', summary: state.summaries.join(', '), end: pkt.end };
  if (pkt.end < end) return { ...step, end, next: { table: 'udpPort', keys: [QUIC_UDP_PORT], offset: pkt.end, end } };
  return step;
};

function isAllZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}
