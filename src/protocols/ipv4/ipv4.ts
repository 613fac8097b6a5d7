/**
 * The IPv4 header (RFC 791) with its header checksum (RFC 1071) and in-place TTL decrement with
 * incremental checksum update (RFC 1624).
 *
 * Simplifications: options are never emitted (IHL is always 5); decode accepts IHL > 5 and skips
 * the options without interpreting them. The reserved ("evil") flag bit is written as 0 and
 * ignored on decode. DF is set as Linux sets it for TCP connections and ping (-M want), but never on
 * UDP datagrams (Linux's IP_PMTUDISC_WANT sets it there too) nor on ICMP replies and errors.
 * Path-MTU discovery is RFC 1191's (a per-destination cache aged out after 10 minutes, see
 * net/ip/path-mtu-cache.ts), without RFC 4821/8899 packetization-layer probing.
 */

import { formatIpv4, type Ipv4 } from '../addr';
import { readU16, readU32, writeU16, writeU32 } from '../bytes';
import { internetChecksum, onesComplementSum, updateChecksum16 } from '../checksum';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectStep, Dissector, DissectFailure } from '../dissect-types';
import { checksumText, hex, hexBytes } from '../format';

/** IP protocol number of ICMP. */
export const IP_PROTO_ICMP = 1;
/** IP protocol number of TCP. */
export const IP_PROTO_TCP = 6;
/** IP protocol number of UDP. */
export const IP_PROTO_UDP = 17;

/** Size of the header this module emits (no options). */
export const IPV4_HEADER_BYTES = 20;
/** Largest IPv4 datagram (header + payload). */
export const IPV4_MAX_TOTAL_LENGTH = 65535;

/** An IPv4 header. */
export interface Ipv4Header {
  /** The whole second byte: DSCP (6 bits) and ECN (2 bits). */
  tos: number;
  /** Header + payload, in bytes. */
  totalLength: number;
  id: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Offset of this fragment's data in the original payload, in bytes (a multiple of 8). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  /** As received by decode; encode and the write helpers ignore it and compute the real one. */
  checksum: number;
  src: Ipv4;
  dst: Ipv4;
}

const NOTES: readonly string[] = [
  'Options are never emitted (IHL is always 5); received options are skipped, not interpreted.',
  'The reserved flag bit is sent as 0 and ignored on receipt.',
  "DF as Linux sets it: on every segment of a TCP connection (not on RSTs answering segments for no connection); ping's echo requests while they fit the path MTU (-M want, the default); UDP datagrams and ICMP replies and errors never (Linux sets DF on UDP too).",
  'Path-MTU discovery (RFC 1191): hosts keep a per-destination path MTU learned from ICMP "fragmentation needed" for 10 minutes; no PLPMTUD (RFC 4821/8899) probing.',
];

/** Wireshark's name for an IP protocol number, e.g. `UDP`. */
function ipProtocolName(n: number): string {
  switch (n) {
    case IP_PROTO_ICMP:
      return 'ICMP';
    case 2:
      return 'IGMP';
    case IP_PROTO_TCP:
      return 'TCP';
    case IP_PROTO_UDP:
      return 'UDP';
    case 41:
      return 'IPv6';
    case 47:
      return 'GRE';
    case 50:
      return 'ESP';
    case 89:
      return 'OSPF';
    case 132:
      return 'SCTP';
    default:
      return 'Unknown';
  }
}

function isUint(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= max;
}

/** Why `h` cannot be encoded (a field out of range), or `undefined` if it can. */
export function validateIpv4Header(h: Ipv4Header): string | undefined {
  if (!isUint(h.tos, 0xff)) return `IPv4: tos ${h.tos} is not a byte`;
  if (!isUint(h.totalLength, IPV4_MAX_TOTAL_LENGTH) || h.totalLength < IPV4_HEADER_BYTES) {
    return `IPv4: total length ${h.totalLength} outside ${IPV4_HEADER_BYTES}..${IPV4_MAX_TOTAL_LENGTH}`;
  }
  if (!isUint(h.id, 0xffff)) return `IPv4: id ${h.id} is not 16-bit`;
  if (!isUint(h.fragmentOffset, 0x1fff * 8) || h.fragmentOffset % 8 !== 0) {
    return `IPv4: fragment offset ${h.fragmentOffset} is not a multiple of 8 in 0..65528`;
  }
  if (!isUint(h.ttl, 0xff)) return `IPv4: ttl ${h.ttl} is not a byte`;
  if (!isUint(h.protocol, 0xff)) return `IPv4: protocol ${h.protocol} is not a byte`;
  if (!isUint(h.src, 0xffff_ffff)) return `IPv4: src ${h.src} is not a 32-bit address`;
  if (!isUint(h.dst, 0xffff_ffff)) return `IPv4: dst ${h.dst} is not a 32-bit address`;
  return undefined;
}

/**
 * Writes the 20-byte header at `off` and its checksum (ignoring `h.checksum`); returns the offset
 * just past it. No validation: out-of-range values are masked to their field width.
 */
export function writeIpv4Header(buf: Uint8Array, off: number, h: Ipv4Header): number {
  const flags = (h.dontFragment ? 0x4000 : 0) | (h.moreFragments ? 0x2000 : 0) | ((h.fragmentOffset >>> 3) & 0x1fff);
  return writeIpv4Fields(buf, off, h.tos, h.totalLength, h.id, flags, h.ttl, h.protocol, h.src, h.dst);
}

/**
 * {@link writeIpv4Header} with the fields given one by one, for the per-packet path (no header
 * object). `flags` is the 16-bit flags and fragment offset word as on the wire.
 */
export function writeIpv4Fields(
  buf: Uint8Array,
  off: number,
  tos: number,
  totalLength: number,
  id: number,
  flags: number,
  ttl: number,
  protocol: number,
  src: Ipv4,
  dst: Ipv4,
): number {
  const w0 = 0x4500 | (tos & 0xff);
  const w1 = totalLength & 0xffff;
  const w2 = id & 0xffff;
  const w3 = flags & 0xffff;
  const w4 = ((ttl & 0xff) << 8) | (protocol & 0xff);
  writeU16(buf, off, w0);
  writeU16(buf, off + 2, w1);
  writeU16(buf, off + 4, w2);
  writeU16(buf, off + 6, w3);
  writeU16(buf, off + 8, w4);
  writeU32(buf, off + 12, src);
  writeU32(buf, off + 16, dst);
  // The RFC 1071 sum of the ten header words, from the values just written (checksum word = 0).
  let sum = w0 + w1 + w2 + w3 + w4 + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  writeU16(buf, off + 10, ~sum & 0xffff);
  return off + IPV4_HEADER_BYTES;
}

const scratch = new Uint8Array(IPV4_HEADER_BYTES);

/** The header checksum `h` gets when encoded (as {@link writeIpv4Header} would write it). */
export function ipv4HeaderChecksum(h: Ipv4Header): number {
  writeIpv4Header(scratch, 0, h);
  return readU16(scratch, 10);
}

/** Header length in bytes from the IHL nibble of the header at `off`. No bounds check. */
function ipv4HeaderLength(buf: Uint8Array, off: number): number {
  return (buf[off] & 0x0f) * 4;
}

/** Total length field of the header at `off`. No bounds check. */
export function readIpv4TotalLength(buf: Uint8Array, off: number): number {
  return readU16(buf, off + 2);
}

/** Identification field of the header at `off`. No bounds check. */
export function readIpv4Id(buf: Uint8Array, off: number): number {
  return readU16(buf, off + 4);
}

/** Whether the header at `off` is a fragment (more-fragments set, or a fragment offset). No bounds check. */
export function isIpv4Fragment(buf: Uint8Array, off: number): boolean {
  return (readU16(buf, off + 6) & 0x3fff) !== 0;
}

/** TTL of the header at `off`. No bounds check. */
export function readIpv4Ttl(buf: Uint8Array, off: number): number {
  return buf[off + 8];
}

/** Protocol field of the header at `off`. No bounds check. */
export function readIpv4Protocol(buf: Uint8Array, off: number): number {
  return buf[off + 9];
}

/** Source address of the header at `off`. No bounds check. */
export function readIpv4Src(buf: Uint8Array, off: number): Ipv4 {
  return readU32(buf, off + 12);
}

/** Destination address of the header at `off`. No bounds check. */
export function readIpv4Dst(buf: Uint8Array, off: number): Ipv4 {
  return readU32(buf, off + 16);
}

/**
 * Why the bytes `[off, end)` do not start with a decodable IPv4 header, or `undefined` if they do.
 * Checks version, IHL and that the header fits; the total length only has to cover the header
 * (whether the payload is present is the caller's business). The checksum is not checked.
 */
function checkIpv4Header(buf: Uint8Array, off: number, end = buf.length): string | undefined {
  end = Math.min(end, buf.length);
  if (!Number.isInteger(off) || off < 0 || end - off < IPV4_HEADER_BYTES) {
    return `IPv4: truncated header (${Math.max(0, end - off)} of ${IPV4_HEADER_BYTES} bytes)`;
  }
  const version = buf[off] >>> 4;
  if (version !== 4) return `IPv4: version ${version}, expected 4`;
  const hl = ipv4HeaderLength(buf, off);
  if (hl < IPV4_HEADER_BYTES) return `IPv4: header length ${hl} bytes is below the minimum 20`;
  if (end - off < hl) return `IPv4: truncated header (${end - off} of ${hl} bytes with options)`;
  const total = readU16(buf, off + 2);
  if (total < hl) return `IPv4: total length ${total} is smaller than the header (${hl})`;
  return undefined;
}

/** Reads a header already checked with {@link checkIpv4Header} into `out` (reuse it to avoid allocation). */
export function readIpv4Header(
  buf: Uint8Array,
  off: number,
  out: Ipv4Header = {
    tos: 0,
    totalLength: 0,
    id: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 0,
    protocol: 0,
    checksum: 0,
    src: 0,
    dst: 0,
  },
): Ipv4Header {
  const flags = readU16(buf, off + 6);
  out.tos = buf[off + 1];
  out.totalLength = readU16(buf, off + 2);
  out.id = readU16(buf, off + 4);
  out.dontFragment = (flags & 0x4000) !== 0;
  out.moreFragments = (flags & 0x2000) !== 0;
  out.fragmentOffset = (flags & 0x1fff) * 8;
  out.ttl = buf[off + 8];
  out.protocol = buf[off + 9];
  out.checksum = readU16(buf, off + 10);
  out.src = readU32(buf, off + 12);
  out.dst = readU32(buf, off + 16);
  return out;
}

/** True when the header at `off` (options included) is present and its checksum is right. */
export function verifyIpv4Checksum(buf: Uint8Array, off: number): boolean {
  if (!Number.isInteger(off) || off < 0 || buf.length - off < IPV4_HEADER_BYTES) return false;
  const hl = ipv4HeaderLength(buf, off);
  if (hl < IPV4_HEADER_BYTES || buf.length - off < hl) return false;
  if (hl > IPV4_HEADER_BYTES) return internetChecksum(buf, off, hl) === 0;
  // No options (every packet the simulator sends): the ten words summed inline.
  let sum = 0;
  for (let i = off; i < off + IPV4_HEADER_BYTES; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** The checksum the header at `off` (length `hl`) should carry, whatever it carries now. */
function expectedChecksum(buf: Uint8Array, off: number, hl: number): number {
  const sum = onesComplementSum(buf, off, 10);
  return internetChecksum(buf, off + 12, hl - 12, sum);
}

/**
 * Decrements the TTL of the header at `off` in place and patches the checksum incrementally
 * (RFC 1624), as a router does. Returns the new TTL; a TTL already 0 is left alone and 0 returned.
 * A checksum that was wrong stays wrong (by design, like real routers).
 */
export function decrementTtl(buf: Uint8Array, off: number): number {
  const ttl = buf[off + 8];
  if (ttl === 0) return 0;
  const proto = buf[off + 9];
  const old = readU16(buf, off + 10);
  buf[off + 8] = ttl - 1;
  writeU16(buf, off + 10, updateChecksum16(old, (ttl << 8) | proto, ((ttl - 1) << 8) | proto));
  return ttl - 1;
}

/** True when the header says this is a fragment (more fragments follow, or a non-zero offset). */
export function isFragment(h: Ipv4Header): boolean {
  return h.moreFragments || h.fragmentOffset !== 0;
}

const DSCP_NAMES: Record<number, string> = {
  0: 'CS0',
  8: 'CS1',
  16: 'CS2',
  24: 'CS3',
  32: 'CS4',
  40: 'CS5',
  48: 'CS6',
  56: 'CS7',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  44: 'VA',
  46: 'EF',
};
const ECN_NAMES = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

function flagsText(df: boolean, mf: boolean, rb: boolean): string {
  const v = (rb ? 4 : 0) | (df ? 2 : 0) | (mf ? 1 : 0);
  const names = [rb ? 'Reserved' : '', df ? "Don't fragment" : '', mf ? 'More fragments' : ''].filter(Boolean);
  return names.length ? `${hex(v, 1)}, ${names.join(', ')}` : hex(v, 1);
}

const set = (b: boolean): string => (b ? 'Set' : 'Not set');

/**
 * The inspector layer for the IPv4 header at `offset`, its checksum verified. Lenient about the
 * payload: a total length that overruns `end` is mentioned in the notes, not an error.
 */
export function describeIpv4(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const bad = checkIpv4Header(bytes, offset, end);
  if (bad) return { error: bad };
  end = Math.min(end, bytes.length);
  const o = offset;
  const h = readIpv4Header(bytes, o);
  const hl = ipv4HeaderLength(bytes, o);
  const rb = (bytes[o + 6] & 0x80) !== 0;
  const dscp = h.tos >>> 2;
  const ecn = h.tos & 3;
  const dscpName = DSCP_NAMES[dscp] ?? `${dscp}`;
  const fields: Field[] = [
    { key: 'ip.version', label: 'Version', value: '4', offset: o, length: 0 },
    { key: 'ip.hdr_len', label: 'Header Length', value: `${hl} bytes (${hl / 4})`, offset: o, length: 0 },
    {
      key: 'ip.dsfield',
      label: 'Differentiated Services Field',
      value: `${hex(h.tos, 2)} (DSCP: ${dscpName}, ECN: ${ECN_NAMES[ecn]})`,
      offset: o + 1,
      length: 1,
      children: [
        { key: 'ip.dsfield.dscp', label: 'Differentiated Services Codepoint', value: `${dscpName} (${dscp})`, offset: o + 1, length: 0 },
        { key: 'ip.dsfield.ecn', label: 'Explicit Congestion Notification', value: `${ECN_NAMES[ecn]} (${ecn})`, offset: o + 1, length: 0 },
      ],
    },
    { key: 'ip.len', label: 'Total Length', value: `${h.totalLength}`, offset: o + 2, length: 2 },
    { key: 'ip.id', label: 'Identification', value: `${hex(h.id, 4)} (${h.id})`, offset: o + 4, length: 2 },
    {
      key: 'ip.flags',
      label: 'Flags',
      value: flagsText(h.dontFragment, h.moreFragments, rb),
      offset: o + 6,
      length: 1,
      children: [
        { key: 'ip.flags.rb', label: 'Reserved bit', value: set(rb), offset: o + 6, length: 0 },
        { key: 'ip.flags.df', label: "Don't fragment", value: set(h.dontFragment), offset: o + 6, length: 0 },
        { key: 'ip.flags.mf', label: 'More fragments', value: set(h.moreFragments), offset: o + 6, length: 0 },
      ],
    },
    { key: 'ip.frag_offset', label: 'Fragment Offset', value: `${h.fragmentOffset}`, offset: o + 6, length: 2 },
    { key: 'ip.ttl', label: 'Time to Live', value: `${h.ttl}`, offset: o + 8, length: 1 },
    { key: 'ip.proto', label: 'Protocol', value: `${ipProtocolName(h.protocol)} (${h.protocol})`, offset: o + 9, length: 1 },
    {
      key: 'ip.checksum',
      label: 'Header Checksum',
      value: checksumText(h.checksum, expectedChecksum(bytes, o, hl)),
      offset: o + 10,
      length: 2,
    },
    { key: 'ip.src', label: 'Source Address', value: formatIpv4(h.src), offset: o + 12, length: 4 },
    { key: 'ip.dst', label: 'Destination Address', value: formatIpv4(h.dst), offset: o + 16, length: 4 },
  ];
  const notes = [...NOTES];
  if (hl > IPV4_HEADER_BYTES) {
    fields.push({
      key: 'ip.options',
      label: 'Options',
      value: `(${hl - IPV4_HEADER_BYTES} bytes) ${hexBytes(bytes, o + IPV4_HEADER_BYTES, o + hl)}, not interpreted`,
      offset: o + IPV4_HEADER_BYTES,
      length: hl - IPV4_HEADER_BYTES,
    });
    notes.push(`This header carries ${hl - IPV4_HEADER_BYTES} bytes of options; they were skipped.`);
  }
  if (o + h.totalLength > end) {
    notes.push(`Total length ${h.totalLength} runs past the ${end - o} bytes available.`);
  }
  return {
    protocol: 'ip',
    title: `Internet Protocol Version 4, Src: ${formatIpv4(h.src)}, Dst: ${formatIpv4(h.dst)}`,
    offset,
    length: hl,
    fields,
    notes,
  };
}

/** Wireshark's Info for a fragment: `Fragmented IP protocol (proto=UDP 17, off=1480, ID=0001)`. */
function fragmentSummary(h: Ipv4Header): string {
  const id = h.id.toString(16).padStart(4, '0');
  return `Fragmented IP protocol (proto=${ipProtocolName(h.protocol)} ${h.protocol}, off=${h.fragmentOffset}, ID=${id})`;
}

/** Dissector for EtherType 0x0800: hands the payload on by protocol number unless it is a fragment. */
export const dissectIpv4: Dissector = (bytes, offset, end, ctx): DissectStep | DissectFailure => {
  const layer = describeIpv4(bytes, offset, end);
  if ('error' in layer) return layer;
  const h = readIpv4Header(bytes, offset);
  const hl = ipv4HeaderLength(bytes, offset);
  if (offset + h.totalLength > end) {
    return { error: `IPv4: total length ${h.totalLength} exceeds the ${end - offset} bytes captured`, layer };
  }
  ctx.ipv4 = { src: h.src, dst: h.dst, ttl: h.ttl, protocol: h.protocol };
  const stop = offset + h.totalLength;
  if (isFragment(h)) {
    return { layer, protocol: 'IPv4', summary: fragmentSummary(h), end: stop };
  }
  return {
    layer,
    protocol: 'IPv4',
    summary: `${ipProtocolName(h.protocol)} (${h.protocol}), ${h.totalLength - hl} bytes of payload`,
    end: stop,
    next: { table: 'ipProtocol', keys: [h.protocol], offset: offset + hl, end: stop },
  };
};

/**
 * Codec for the IPv4 header: `encode` computes the checksum (and throws a RangeError for a field out
 * of range, see {@link validateIpv4Header}); `decode` skips options and never throws.
 */
export const ipv4: Codec<Ipv4Header> = {
  protocol: 'ip',
  encode(h: Ipv4Header): Uint8Array {
    const bad = validateIpv4Header(h);
    if (bad) throw new RangeError(bad);
    const buf = new Uint8Array(IPV4_HEADER_BYTES);
    writeIpv4Header(buf, 0, h);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<Ipv4Header> {
    const bad = checkIpv4Header(bytes, offset);
    if (bad) return { ok: false, error: bad };
    return { ok: true, value: readIpv4Header(bytes, offset), length: ipv4HeaderLength(bytes, offset) };
  },
  byteLength(): number {
    return IPV4_HEADER_BYTES;
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeIpv4(bytes, offset);
  },
};
