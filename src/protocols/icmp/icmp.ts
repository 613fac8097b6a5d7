/**
 * ICMP for IPv4 (RFC 792): echo request/reply, destination unreachable (with the RFC 1191 next-hop
 * MTU for "fragmentation needed") and time exceeded. The checksum covers the whole message.
 *
 * Simplifications: other types (redirect, parameter problem, timestamp, ...) decode as `other` and
 * are never generated; RFC 4884 extension structures / length fields are not modelled (the
 * "unused" word is always 0 except for the next-hop MTU).
 */

import { readU16, writeU16 } from '../bytes';
import { internetChecksum, onesComplementSum, updateChecksum16 } from '../checksum';
import { assertNever } from '../assert-never';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectContext, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, checksumText, decHex, hex, hexBytes } from '../format';
import { describeIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from '../ipv4/ipv4';

/** ICMP type: echo reply. */
export const ICMP_ECHO_REPLY = 0;
/** ICMP type: destination unreachable. */
export const ICMP_DEST_UNREACHABLE = 3;
/** ICMP type: echo request. */
export const ICMP_ECHO_REQUEST = 8;
/** ICMP type: time exceeded. */
export const ICMP_TIME_EXCEEDED = 11;

/** Destination unreachable code: network unreachable. */
export const UNREACH_NET = 0;
/** Destination unreachable code: host unreachable. */
export const UNREACH_HOST = 1;
/** Destination unreachable code: protocol unreachable. */
export const UNREACH_PROTOCOL = 2;
/** Destination unreachable code: port unreachable. */
export const UNREACH_PORT = 3;
/** Destination unreachable code: fragmentation needed and DF set (carries the next-hop MTU). */
export const UNREACH_FRAG_NEEDED = 4;
/** Time exceeded code: TTL exceeded in transit. */
export const TIME_EXCEEDED_TTL = 0;
/**
 * Time exceeded code: fragment reassembly time exceeded.
 * @public
 */
export const TIME_EXCEEDED_REASSEMBLY = 1;

/** Type, code, checksum and the 4-byte rest-of-header. */
export const ICMP_HEADER_BYTES = 8;

/** An ICMP message, discriminated by `kind`. */
export type IcmpMessage =
  | { kind: 'echo-request'; identifier: number; sequence: number; data: Uint8Array }
  | { kind: 'echo-reply'; identifier: number; sequence: number; data: Uint8Array }
  | {
      kind: 'dest-unreachable';
      code: number;
      /** Only with code 4 (RFC 1191); otherwise omitted and sent as 0. */
      nextHopMtu?: number;
      /** The offending packet's IP header + first 8 bytes of its payload. */
      original: Uint8Array;
    }
  | { kind: 'time-exceeded'; code: number; original: Uint8Array }
  /** Any other type, kept as raw fields so it can still be shown. */
  | { kind: 'other'; type: number; code: number; rest: number; data: Uint8Array };

const NOTES: readonly string[] = [
  'Only echo, destination unreachable and time exceeded are modelled; other types are shown raw.',
  'RFC 4884 extensions are not modelled: the unused word is 0 (except the RFC 1191 next-hop MTU).',
  'As in Linux, an error about a forwarded packet comes from the interface the error leaves by (routed back to the sender), replies and errors carry no DF, and a "fragmentation needed" lowers the host\'s path MTU to the quoted destination. No rate limiting.',
];

/** The type number of a message. */
function icmpType(m: IcmpMessage): number {
  switch (m.kind) {
    case 'echo-request':
      return ICMP_ECHO_REQUEST;
    case 'echo-reply':
      return ICMP_ECHO_REPLY;
    case 'dest-unreachable':
      return ICMP_DEST_UNREACHABLE;
    case 'time-exceeded':
      return ICMP_TIME_EXCEEDED;
    case 'other':
      return m.type;
    default:
      return assertNever(m, 'ICMP message');
  }
}

/** Bytes the message takes on the wire. */
export function icmpByteLength(m: IcmpMessage): number {
  return ICMP_HEADER_BYTES + icmpBody(m).length;
}

function icmpBody(m: IcmpMessage): Uint8Array {
  return m.kind === 'dest-unreachable' || m.kind === 'time-exceeded' ? m.original : m.data;
}

function isUint(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= max;
}

/** Why `m` cannot be encoded (a field out of range), or `undefined` if it can. */
function validateIcmp(m: IcmpMessage): string | undefined {
  switch (m.kind) {
    case 'echo-request':
    case 'echo-reply':
      if (!isUint(m.identifier, 0xffff)) return `ICMP: identifier ${m.identifier} is not 16-bit`;
      if (!isUint(m.sequence, 0xffff)) return `ICMP: sequence ${m.sequence} is not 16-bit`;
      return undefined;
    case 'dest-unreachable':
      if (!isUint(m.code, 0xff)) return `ICMP: code ${m.code} is not a byte`;
      if (m.nextHopMtu !== undefined && !isUint(m.nextHopMtu, 0xffff)) return `ICMP: MTU ${m.nextHopMtu} is not 16-bit`;
      return undefined;
    case 'time-exceeded':
      return isUint(m.code, 0xff) ? undefined : `ICMP: code ${m.code} is not a byte`;
    case 'other':
      if (!isUint(m.type, 0xff) || !isUint(m.code, 0xff)) return `ICMP: type/code ${m.type}/${m.code} not bytes`;
      return isUint(m.rest, 0xffff_ffff) ? undefined : `ICMP: rest-of-header ${m.rest} is not 32-bit`;
    default:
      return assertNever(m, 'ICMP message');
  }
}

/**
 * Writes the whole message (header, body, checksum) at `off`; returns the offset just past it.
 * No validation: out-of-range values are masked to their field width.
 */
export function writeIcmp(buf: Uint8Array, off: number, m: IcmpMessage): number {
  buf[off] = icmpType(m) & 0xff;
  let rest = 0;
  switch (m.kind) {
    case 'echo-request':
    case 'echo-reply':
      buf[off + 1] = 0;
      rest = (m.identifier & 0xffff) * 0x10000 + (m.sequence & 0xffff);
      break;
    case 'dest-unreachable':
      buf[off + 1] = m.code & 0xff;
      rest = m.code === UNREACH_FRAG_NEEDED ? (m.nextHopMtu ?? 0) & 0xffff : 0;
      break;
    case 'time-exceeded':
      buf[off + 1] = m.code & 0xff;
      break;
    case 'other':
      buf[off + 1] = m.code & 0xff;
      rest = m.rest;
      break;
    default:
      assertNever(m, 'ICMP message');
  }
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  writeU16(buf, off + 4, Math.floor(rest / 0x10000) & 0xffff);
  writeU16(buf, off + 6, rest & 0xffff);
  const body = icmpBody(m);
  buf.set(body, off + ICMP_HEADER_BYTES);
  const len = ICMP_HEADER_BYTES + body.length;
  writeU16(buf, off + 2, internetChecksum(buf, off, len));
  return off + len;
}

/**
 * Writes an echo header in front of `dataLength` data bytes already at `off + 8`, and the
 * checksum; returns the offset just past the data. Lets a sender build pings without copying.
 */
export function writeIcmpEcho(
  buf: Uint8Array,
  off: number,
  type: typeof ICMP_ECHO_REQUEST | typeof ICMP_ECHO_REPLY,
  identifier: number,
  sequence: number,
  dataLength: number,
): number {
  buf[off] = type;
  buf[off + 1] = 0;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  writeU16(buf, off + 4, identifier);
  writeU16(buf, off + 6, sequence);
  const len = ICMP_HEADER_BYTES + dataLength;
  writeU16(buf, off + 2, internetChecksum(buf, off, len));
  return off + len;
}

/**
 * Turns the echo request at `off` into its echo reply in place (type 8 to 0) with an RFC 1624
 * incremental checksum update. Returns false (and changes nothing) if it is not an echo request.
 */
export function echoRequestToReply(buf: Uint8Array, off: number): boolean {
  if (off < 0 || buf.length - off < ICMP_HEADER_BYTES || buf[off] !== ICMP_ECHO_REQUEST) return false;
  const code = buf[off + 1];
  buf[off] = ICMP_ECHO_REPLY;
  writeU16(buf, off + 2, updateChecksum16(readU16(buf, off + 2), (ICMP_ECHO_REQUEST << 8) | code, (ICMP_ECHO_REPLY << 8) | code));
  return true;
}

/** True when the `length`-byte message at `off` has a correct checksum. */
export function verifyIcmpChecksum(buf: Uint8Array, off: number, length: number): boolean {
  if (off < 0 || length < ICMP_HEADER_BYTES || off + length > buf.length) return false;
  return internetChecksum(buf, off, length) === 0;
}

/**
 * What an ICMP error quotes of a packet (RFC 792): its IP header, options included, plus the first
 * 8 bytes of its payload (fewer if it has fewer). Returns a copy.
 */
export function icmpQuote(ipPacket: Uint8Array, offset = 0): Uint8Array {
  const avail = Math.max(0, ipPacket.length - offset);
  const hl = avail > 0 ? (ipPacket[offset] & 0x0f) * 4 : 0;
  const total = avail >= 4 ? readU16(ipPacket, offset + 2) : avail;
  const len = Math.min(avail, total, Math.max(hl, 20) + 8);
  return ipPacket.slice(offset, offset + len);
}

/** Reads the message `[off, end)` (its checksum is not checked). Body bytes are copied. */
export function readIcmp(buf: Uint8Array, off: number, end = buf.length): IcmpMessage {
  const type = buf[off];
  const code = buf[off + 1];
  const hi = readU16(buf, off + 4);
  const lo = readU16(buf, off + 6);
  const body = buf.slice(off + ICMP_HEADER_BYTES, end);
  if ((type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) && code === 0) {
    return {
      kind: type === ICMP_ECHO_REQUEST ? 'echo-request' : 'echo-reply',
      identifier: hi,
      sequence: lo,
      data: body,
    };
  }
  if (type === ICMP_DEST_UNREACHABLE) {
    return code === UNREACH_FRAG_NEEDED
      ? { kind: 'dest-unreachable', code, nextHopMtu: lo, original: body }
      : { kind: 'dest-unreachable', code, original: body };
  }
  if (type === ICMP_TIME_EXCEEDED) return { kind: 'time-exceeded', code, original: body };
  return { kind: 'other', type, code, rest: hi * 0x10000 + lo, data: body };
}

function checkIcmp(buf: Uint8Array, off: number, end: number): string | undefined {
  if (!Number.isInteger(off) || off < 0 || end > buf.length || end - off < ICMP_HEADER_BYTES) {
    return `ICMP: truncated message (${Math.max(0, Math.min(end, buf.length) - off)} of at least ${ICMP_HEADER_BYTES} bytes)`;
  }
  return undefined;
}

const TYPE_NAMES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};

const UNREACH_NAMES = [
  'Network unreachable',
  'Host unreachable',
  'Protocol unreachable',
  'Port unreachable',
  'Fragmentation needed',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively filtered',
  'Host precedence violation',
  'Precedence cutoff in effect',
];

const TIME_EXCEEDED_NAMES = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];

/** Wireshark's name for a type, e.g. `Echo (ping) request`, `Time-to-live exceeded`. */
export function icmpTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
}

/** Wireshark's name for a code of type 3 or 11 (e.g. `Port unreachable`), else `undefined`. */
export function icmpCodeName(type: number, code: number): string | undefined {
  if (type === ICMP_DEST_UNREACHABLE) return UNREACH_NAMES[code];
  if (type === ICMP_TIME_EXCEEDED) return TIME_EXCEEDED_NAMES[code];
  return undefined;
}

/**
 * Wireshark's Info column: `Echo (ping) request  id=0x0001, seq=1/256, ttl=64` (the TTL when the
 * carrying IP header is known), `Destination unreachable (Port unreachable)`,
 * `Time-to-live exceeded (Time to live exceeded in transit)`.
 */
export function icmpSummary(m: IcmpMessage, ttl?: number): string {
  switch (m.kind) {
    case 'echo-request':
    case 'echo-reply': {
      const name = icmpTypeName(icmpType(m));
      const le = ((m.sequence & 0xff) << 8) | (m.sequence >>> 8);
      const t = ttl === undefined ? '' : `, ttl=${ttl}`;
      // Wireshark pads the name to 21 columns: "request  id=", "reply    id=".
      return `${name.padEnd(21)}id=${hex(m.identifier, 4)}, seq=${m.sequence}/${le}${t}`;
    }
    case 'dest-unreachable':
    case 'time-exceeded': {
      const type = icmpType(m);
      const code = icmpCodeName(type, m.code);
      return `${icmpTypeName(type)} (${code ?? `Code ${m.code}`})`;
    }
    case 'other':
      return icmpTypeName(m.type);
    default:
      return assertNever(m, 'ICMP message');
  }
}

function dataField(bytes: Uint8Array, off: number, end: number): Field {
  const n = end - off;
  return {
    key: 'data',
    label: 'Data',
    value: `(${bytesLabel(n)})`,
    offset: off,
    length: n,
    children: [
      { key: 'data.data', label: 'Data', value: hexBytes(bytes, off, end), offset: off, length: n },
      { key: 'data.len', label: 'Length', value: `${n}`, offset: off, length: 0 },
    ],
  };
}

/** Fields for the quoted IP header + first payload bytes inside an ICMP error. */
function quoteFields(bytes: Uint8Array, off: number, end: number): Field[] {
  if (off >= end) return [];
  const ip = describeIpv4(bytes, off, end);
  if ('error' in ip) return [dataField(bytes, off, end)];
  const fields: Field[] = [{ key: 'ip', label: ip.title, value: '', offset: off, length: ip.length, children: ip.fields }];
  const p = off + ip.length;
  if (p >= end) return fields;
  const proto = bytes[off + 9];
  const n = end - p;
  if ((proto === IP_PROTO_UDP || proto === IP_PROTO_TCP) && n >= 4) {
    const sp = readU16(bytes, p);
    const dp = readU16(bytes, p + 2);
    const pre = proto === IP_PROTO_UDP ? 'udp' : 'tcp';
    const children: Field[] = [
      { key: `${pre}.srcport`, label: 'Source Port', value: `${sp}`, offset: p, length: 2 },
      { key: `${pre}.dstport`, label: 'Destination Port', value: `${dp}`, offset: p + 2, length: 2 },
    ];
    if (proto === IP_PROTO_UDP && n >= 8) {
      children.push(
        { key: 'udp.length', label: 'Length', value: `${readU16(bytes, p + 4)}`, offset: p + 4, length: 2 },
        { key: 'udp.checksum', label: 'Checksum', value: `${hex(readU16(bytes, p + 6), 4)} [unverified]`, offset: p + 6, length: 2 },
      );
    } else if (proto === IP_PROTO_TCP && n >= 8) {
      children.push({
        key: 'tcp.seq_raw',
        label: 'Sequence Number (raw)',
        value: `${readU16(bytes, p + 4) * 0x10000 + readU16(bytes, p + 6)}`,
        offset: p + 4,
        length: 4,
      });
    }
    const title = proto === IP_PROTO_UDP ? 'User Datagram Protocol' : 'Transmission Control Protocol';
    fields.push({ key: pre, label: `${title}, Src Port: ${sp}, Dst Port: ${dp}`, value: '', offset: p, length: n, children });
  } else if (proto === IP_PROTO_ICMP && n >= 4) {
    const t = bytes[p];
    const children: Field[] = [
      { key: 'icmp.type', label: 'Type', value: `${t} (${icmpTypeName(t)})`, offset: p, length: 1 },
      { key: 'icmp.code', label: 'Code', value: `${bytes[p + 1]}`, offset: p + 1, length: 1 },
      { key: 'icmp.checksum', label: 'Checksum', value: `${hex(readU16(bytes, p + 2), 4)} [unverified]`, offset: p + 2, length: 2 },
    ];
    if ((t === ICMP_ECHO_REQUEST || t === ICMP_ECHO_REPLY) && n >= 8) {
      children.push(
        { key: 'icmp.ident', label: 'Identifier (BE)', value: decHex(readU16(bytes, p + 4), 4), offset: p + 4, length: 2 },
        { key: 'icmp.seq', label: 'Sequence Number (BE)', value: decHex(readU16(bytes, p + 6), 4), offset: p + 6, length: 2 },
      );
    }
    fields.push({ key: 'icmp', label: 'Internet Control Message Protocol', value: '', offset: p, length: n, children });
  } else {
    fields.push(dataField(bytes, p, end));
  }
  return fields;
}

/**
 * The inspector layer for the ICMP message `[offset, end)` (ICMP has no length field: it runs to
 * the end of the IP payload), checksum verified. Errors show the quoted IP header as a subtree.
 */
export function describeIcmp(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const bad = checkIcmp(bytes, offset, end);
  if (bad) return { error: bad };
  const o = offset;
  const type = bytes[o];
  const code = bytes[o + 1];
  const received = readU16(bytes, o + 2);
  const expected = internetChecksum(bytes, o + 4, end - o - 4, onesComplementSum(bytes, o, 2));
  const codeName = icmpCodeName(type, code);
  const fields: Field[] = [
    { key: 'icmp.type', label: 'Type', value: `${type} (${icmpTypeName(type)})`, offset: o, length: 1 },
    { key: 'icmp.code', label: 'Code', value: codeName ? `${code} (${codeName})` : `${code}`, offset: o + 1, length: 1 },
    { key: 'icmp.checksum', label: 'Checksum', value: checksumText(received, expected), offset: o + 2, length: 2 },
  ];
  const body = o + ICMP_HEADER_BYTES;
  if ((type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) && code === 0) {
    const id = readU16(bytes, o + 4);
    const seq = readU16(bytes, o + 6);
    const swap = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);
    fields.push(
      { key: 'icmp.ident', label: 'Identifier (BE)', value: decHex(id, 4), offset: o + 4, length: 2 },
      { key: 'icmp.ident_le', label: 'Identifier (LE)', value: decHex(swap(id), 4), offset: o + 4, length: 2 },
      { key: 'icmp.seq', label: 'Sequence Number (BE)', value: decHex(seq, 4), offset: o + 6, length: 2 },
      { key: 'icmp.seq_le', label: 'Sequence Number (LE)', value: decHex(swap(seq), 4), offset: o + 6, length: 2 },
    );
    if (end > body) fields.push(dataField(bytes, body, end));
  } else if (type === ICMP_DEST_UNREACHABLE || type === ICMP_TIME_EXCEEDED) {
    if (type === ICMP_DEST_UNREACHABLE && code === UNREACH_FRAG_NEEDED) {
      fields.push(
        { key: 'icmp.unused', label: 'Unused', value: hex(readU16(bytes, o + 4), 4), offset: o + 4, length: 2 },
        { key: 'icmp.mtu', label: 'MTU of next hop', value: `${readU16(bytes, o + 6)}`, offset: o + 6, length: 2 },
      );
    } else {
      fields.push({ key: 'icmp.unused', label: 'Unused', value: hexBytes(bytes, o + 4, o + 8), offset: o + 4, length: 4 });
    }
    fields.push(...quoteFields(bytes, body, end));
  } else {
    fields.push({ key: 'icmp.rest', label: 'Rest of header', value: hexBytes(bytes, o + 4, o + 8), offset: o + 4, length: 4 });
    if (end > body) fields.push(dataField(bytes, body, end));
  }
  return { protocol: 'icmp', title: 'Internet Control Message Protocol', offset, length: end - offset, fields, notes: NOTES };
}

/** Dissector for IP protocol 1: ICMP runs to the end of the IP payload. */
export const dissectIcmp: Dissector = (bytes, offset, end, ctx: DissectContext): DissectStep | { error: string } => {
  const layer = describeIcmp(bytes, offset, end);
  if ('error' in layer) return layer;
  const m = readIcmp(bytes, offset, end);
  return { layer, protocol: 'ICMP', summary: icmpSummary(m, ctx.ipv4?.ttl), end };
};

/**
 * Codec for ICMP messages. `decode` takes everything from `offset` to the end of `bytes` as the
 * message (pass a subarray ending at the IP payload end), does not check the checksum and copies
 * the body; `encode` computes the checksum and throws a RangeError for a field out of range.
 */
export const icmp: Codec<IcmpMessage> = {
  protocol: 'icmp',
  encode(m: IcmpMessage): Uint8Array {
    const bad = validateIcmp(m);
    if (bad) throw new RangeError(bad);
    const buf = new Uint8Array(icmpByteLength(m));
    writeIcmp(buf, 0, m);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<IcmpMessage> {
    const bad = checkIcmp(bytes, offset, bytes.length);
    if (bad) return { ok: false, error: bad };
    return { ok: true, value: readIcmp(bytes, offset), length: bytes.length - offset };
  },
  byteLength(m: IcmpMessage): number {
    return icmpByteLength(m);
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeIcmp(bytes, offset);
  },
};
