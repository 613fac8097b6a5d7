/**
 * The TCP header (RFC 9293 §3.1) with its options (MSS, window scale, SACK-permitted, timestamps;
 * RFC 9293, RFC 7323, RFC 2018) and the pseudo-header checksum. Segments are real bytes, so a
 * capture opens in Wireshark with no malformed packets and no bad checksums.
 */

import type { Ipv4 } from '../addr';
import { readU16, readU32, writeU16, writeU32 } from '../bytes';
import { internetChecksum, pseudoHeaderSum } from '../checksum';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, checksumText, hex } from '../format';
import { IP_PROTO_TCP } from '../ipv4/ipv4';

/** Size of the header without options. */
const TCP_MIN_HEADER_BYTES = 20;
/**
 * Largest header (data offset 15 words).
 * @public
 */
export const TCP_MAX_HEADER_BYTES = 60;

/** Flag bits of byte 13 (plus NS in byte 12, not modelled). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
const TCP_URG = 0x20;
const TCP_ECE = 0x40;
const TCP_CWR = 0x80;

/** Low bit first: Wireshark's Info column order (`[SYN, ACK]`, `[FIN, ACK]`). */
const FLAG_NAMES: readonly [number, string][] = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
];

/** Flag names by bit, as the match language and Wireshark spell them. */
export const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  FIN: TCP_FIN,
  SYN: TCP_SYN,
  RST: TCP_RST,
  PSH: TCP_PSH,
  ACK: TCP_ACK,
  URG: TCP_URG,
  ECE: TCP_ECE,
  CWR: TCP_CWR,
};

/** Options this model writes and reads. Unknown options are skipped on decode. */
export interface TcpOptions {
  /** Maximum segment size (kind 2), SYN only. */
  mss?: number;
  /** Window scale shift (kind 3), SYN only. */
  windowScale?: number;
  /** SACK permitted (kind 4), SYN only. */
  sackPermitted?: boolean;
  /** Timestamps (kind 8). */
  timestamps?: { value: number; echo: number };
}

/** A TCP header. `checksum` is written as given by {@link writeTcpHeader}. */
export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  checksum: number;
  urgent: number;
  options: TcpOptions;
}

/** `SYN, ACK`: the flag names set in `flags`, Wireshark's order. */
function tcpFlagNames(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  return names.join(', ');
}

/** Bytes the options take, padded to a multiple of 4. */
function tcpOptionsLength(o: TcpOptions): number {
  let n = 0;
  if (o.mss !== undefined) n += 4;
  if (o.windowScale !== undefined) n += 4; // NOP + 3
  if (o.sackPermitted) n += o.timestamps ? 2 : 4; // with TS: kind 4 + 10-byte TS shares NOP,NOP
  if (o.timestamps) n += o.sackPermitted ? 10 : 12; // NOP NOP + 10
  return (n + 3) & ~3;
}

/** Header length in bytes for these options. */
export function tcpHeaderLength(o: TcpOptions): number {
  return TCP_MIN_HEADER_BYTES + tcpOptionsLength(o);
}

function writeOptions(buf: Uint8Array, off: number, o: TcpOptions, end: number): void {
  let p = off;
  if (o.mss !== undefined) {
    buf[p++] = 2;
    buf[p++] = 4;
    writeU16(buf, p, o.mss);
    p += 2;
  }
  if (o.sackPermitted && o.timestamps) {
    buf[p++] = 4;
    buf[p++] = 2;
    buf[p++] = 8;
    buf[p++] = 10;
    writeU32(buf, p, o.timestamps.value);
    writeU32(buf, p + 4, o.timestamps.echo);
    p += 8;
  } else {
    if (o.sackPermitted) {
      buf[p++] = 1;
      buf[p++] = 1;
      buf[p++] = 4;
      buf[p++] = 2;
    }
    if (o.timestamps) {
      buf[p++] = 1;
      buf[p++] = 1;
      buf[p++] = 8;
      buf[p++] = 10;
      writeU32(buf, p, o.timestamps.value);
      writeU32(buf, p + 4, o.timestamps.echo);
      p += 8;
    }
  }
  if (o.windowScale !== undefined) {
    buf[p++] = 1;
    buf[p++] = 3;
    buf[p++] = 3;
    buf[p++] = o.windowScale;
  }
  // End of option list, then zero padding (kind 0 is EOL, so zero fill is both).
  while (p < end) buf[p++] = 0;
}

/** Writes the header (options included, checksum as given) at `off`; returns the offset past it. */
function writeTcpHeader(buf: Uint8Array, off: number, h: TcpHeader): number {
  const hl = tcpHeaderLength(h.options);
  writeU16(buf, off, h.srcPort);
  writeU16(buf, off + 2, h.dstPort);
  writeU32(buf, off + 4, h.seq);
  writeU32(buf, off + 8, h.ack);
  buf[off + 12] = (hl / 4) << 4;
  buf[off + 13] = h.flags & 0xff;
  writeU16(buf, off + 14, h.window);
  writeU16(buf, off + 16, h.checksum);
  writeU16(buf, off + 18, h.urgent);
  writeOptions(buf, off + 20, h.options, off + hl);
  return off + hl;
}

/** Why `[off, end)` does not start with a usable TCP header, or undefined. */
export function checkTcpHeader(buf: Uint8Array, off: number, end = buf.length): string | undefined {
  end = Math.min(end, buf.length);
  if (!Number.isInteger(off) || off < 0 || end - off < TCP_MIN_HEADER_BYTES) {
    return `TCP: truncated header (${Math.max(0, end - off)} of ${TCP_MIN_HEADER_BYTES} bytes)`;
  }
  const hl = (buf[off + 12] >> 4) * 4;
  if (hl < TCP_MIN_HEADER_BYTES) return `TCP: bad header length ${hl} (< 20)`;
  if (hl > end - off) return `TCP: header length ${hl} runs past the ${end - off} bytes available`;
  return undefined;
}

/** One option as found in the bytes, for the inspector. */
interface RawOption {
  kind: number;
  offset: number;
  length: number;
}

function scanOptions(buf: Uint8Array, off: number, end: number): { list: RawOption[]; error?: string } {
  const list: RawOption[] = [];
  let p = off;
  while (p < end) {
    const kind = buf[p];
    if (kind === 0) {
      list.push({ kind, offset: p, length: end - p });
      break;
    }
    if (kind === 1) {
      list.push({ kind, offset: p, length: 1 });
      p++;
      continue;
    }
    if (p + 1 >= end) return { list, error: `TCP: option ${kind} truncated` };
    const len = buf[p + 1];
    if (len < 2 || p + len > end) return { list, error: `TCP: option ${kind} has bad length ${len}` };
    list.push({ kind, offset: p, length: len });
    p += len;
  }
  return { list };
}

function readOptions(buf: Uint8Array, raw: readonly RawOption[]): TcpOptions {
  const o: TcpOptions = {};
  for (const r of raw) {
    if (r.kind === 2 && r.length === 4) o.mss = readU16(buf, r.offset + 2);
    else if (r.kind === 3 && r.length === 3) o.windowScale = buf[r.offset + 2];
    else if (r.kind === 4 && r.length === 2) o.sackPermitted = true;
    else if (r.kind === 8 && r.length === 10) o.timestamps = { value: readU32(buf, r.offset + 2), echo: readU32(buf, r.offset + 6) };
  }
  return o;
}

/** Reads the header at `off` (after {@link checkTcpHeader}); malformed options are skipped. */
export function readTcpHeader(buf: Uint8Array, off: number): TcpHeader {
  const hl = (buf[off + 12] >> 4) * 4;
  return {
    srcPort: readU16(buf, off),
    dstPort: readU16(buf, off + 2),
    seq: readU32(buf, off + 4),
    ack: readU32(buf, off + 8),
    flags: buf[off + 13],
    window: readU16(buf, off + 14),
    checksum: readU16(buf, off + 16),
    urgent: readU16(buf, off + 18),
    options: readOptions(buf, scanOptions(buf, off + 20, off + hl).list),
  };
}

/** The checksum the `length`-byte segment at `off` should carry (its own checksum field skipped). */
function tcpChecksum(srcIp: Ipv4, dstIp: Ipv4, buf: Uint8Array, off: number, length: number): number {
  const saved = readU16(buf, off + 16);
  writeU16(buf, off + 16, 0);
  const c = internetChecksum(buf, off, length, pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, length));
  writeU16(buf, off + 16, saved);
  return c;
}

/** Header (checksum computed) + payload, ready to be an IPv4 payload. */
export function encodeTcpSegment(srcIp: Ipv4, dstIp: Ipv4, h: Omit<TcpHeader, 'checksum'>, payload: Uint8Array): Uint8Array {
  const hl = tcpHeaderLength(h.options);
  const buf = new Uint8Array(hl + payload.length);
  writeTcpHeader(buf, 0, { ...h, checksum: 0 });
  buf.set(payload, hl);
  writeU16(buf, 16, internetChecksum(buf, 0, buf.length, pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, buf.length)));
  return buf;
}

/** True when the segment (all of `bytes` from `offset`) carries a correct checksum. */
export function verifyTcpChecksum(srcIp: Ipv4, dstIp: Ipv4, bytes: Uint8Array, offset = 0): boolean {
  if (checkTcpHeader(bytes, offset)) return false;
  const length = bytes.length - offset;
  return internetChecksum(bytes, offset, length, pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, length)) === 0;
}

/**
 * Wireshark's Info column, with absolute numbers (the dissector is stateless, so it cannot know the
 * ISN): `40000 → 5001 [SYN, ACK] Seq=1234 Ack=5678 Win=65535 Len=0 MSS=1460`.
 */
export function tcpSummary(h: TcpHeader, payloadLength: number): string {
  let s = `${h.srcPort} → ${h.dstPort} [${tcpFlagNames(h.flags)}] Seq=${h.seq}`;
  if (h.flags & TCP_ACK) s += ` Ack=${h.ack}`;
  s += ` Win=${h.window} Len=${payloadLength}`;
  if (h.options.mss !== undefined) s += ` MSS=${h.options.mss}`;
  if (h.options.windowScale !== undefined) s += ` WS=${2 ** h.options.windowScale}`;
  if (h.options.sackPermitted) s += ' SACK_PERM';
  return s;
}

/** What the inspector says about where this model departs from the RFCs. */
const TCP_MODEL_NOTES: readonly string[] = [
  'Sequence and acknowledgement numbers are shown raw (absolute); the match language and the time-sequence graph use relative numbers.',
  'Model: every segment is acknowledged at once (no delayed ACKs), no Nagle, no SACK, no timestamps, no urgent data; RST acceptance has no RFC 5961 challenge ACK.',
  'MSS as Linux: the SYN advertises the interface MTU − 40; the send MSS is min(peer MSS, path MTU − 40), lowered by ICMP "fragmentation needed" with a resend at the new size. No PLPMTUD probing (tcp_mtu_probing = 0).',
];

function flagBit(flags: number, bit: number, name: string, off: number): Field {
  const set = (flags & bit) !== 0;
  return { key: `tcp.flags.${name.toLowerCase()}`, label: name, value: set ? '1 (Set)' : '0 (Not set)', offset: off, length: 0 };
}

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'Timestamps',
};

function optionField(buf: Uint8Array, r: RawOption): Field {
  const name = OPTION_NAMES[r.kind] ?? `Unknown option (kind ${r.kind})`;
  let value = name;
  let key = `tcp.option_kind`;
  if (r.kind === 2 && r.length === 4) {
    value = `${readU16(buf, r.offset + 2)} bytes`;
    key = 'tcp.options.mss_val';
  } else if (r.kind === 3 && r.length === 3) {
    value = `${buf[r.offset + 2]} (multiply by ${2 ** buf[r.offset + 2]})`;
    key = 'tcp.options.wscale.shift';
  } else if (r.kind === 8 && r.length === 10) {
    value = `TSval ${readU32(buf, r.offset + 2)}, TSecr ${readU32(buf, r.offset + 6)}`;
    key = 'tcp.options.timestamp.tsval';
  } else if (r.kind === 4) key = 'tcp.options.sack_perm';
  return { key, label: `TCP Option - ${name}`, value, offset: r.offset, length: r.length };
}

/**
 * The inspector layer for the segment `[offset, end)`. With the IP addresses (`pseudo`) the
 * checksum is verified, otherwise shown as `[unverified]`.
 */
export function describeTcp(bytes: Uint8Array, offset = 0, end = bytes.length, pseudo?: { src: Ipv4; dst: Ipv4 }): Layer | { error: string } {
  const bad = checkTcpHeader(bytes, offset, end);
  if (bad) return { error: bad };
  end = Math.min(end, bytes.length);
  const o = offset;
  const hl = (bytes[o + 12] >> 4) * 4;
  const scanned = scanOptions(bytes, o + 20, o + hl);
  const h = readTcpHeader(bytes, o);
  const len = end - o - hl;
  const check = pseudo ? checksumText(h.checksum, tcpChecksum(pseudo.src, pseudo.dst, bytes, o, end - o)) : `${hex(h.checksum, 4)} [unverified]`;
  const flagChildren = FLAG_NAMES.map(([bit, name]) => flagBit(h.flags, bit, name, o + 13)).reverse();
  const fields: Field[] = [
    { key: 'tcp.srcport', label: 'Source Port', value: `${h.srcPort}`, offset: o, length: 2 },
    { key: 'tcp.dstport', label: 'Destination Port', value: `${h.dstPort}`, offset: o + 2, length: 2 },
    { key: 'tcp.len', label: 'TCP Segment Len', value: `${len}`, offset: o, length: 0 },
    { key: 'tcp.seq_raw', label: 'Sequence Number (raw)', value: `${h.seq}`, offset: o + 4, length: 4 },
    { key: 'tcp.ack_raw', label: 'Acknowledgment Number (raw)', value: `${h.ack}`, offset: o + 8, length: 4 },
    { key: 'tcp.hdr_len', label: 'Header Length', value: `${hl} bytes (${hl / 4})`, offset: o + 12, length: 1 },
    {
      key: 'tcp.flags',
      label: 'Flags',
      value: `${hex(h.flags, 3)} (${tcpFlagNames(h.flags) || 'none'})`,
      offset: o + 12,
      length: 2,
      children: flagChildren,
    },
    { key: 'tcp.window_size_value', label: 'Window', value: `${h.window}`, offset: o + 14, length: 2 },
    { key: 'tcp.checksum', label: 'Checksum', value: check, offset: o + 16, length: 2 },
    { key: 'tcp.urgent_pointer', label: 'Urgent Pointer', value: `${h.urgent}`, offset: o + 18, length: 2 },
  ];
  if (hl > TCP_MIN_HEADER_BYTES) {
    fields.push({
      key: 'tcp.options',
      label: 'Options',
      value: `(${bytesLabel(hl - TCP_MIN_HEADER_BYTES)})`,
      offset: o + 20,
      length: hl - TCP_MIN_HEADER_BYTES,
      children: scanned.list.map((r) => optionField(bytes, r)),
    });
  }
  if (len > 0) fields.push({ key: 'tcp.payload', label: 'TCP payload', value: `(${bytesLabel(len)})`, offset: o + hl, length: len });
  const notes = [...TCP_MODEL_NOTES];
  if (scanned.error) notes.push(scanned.error);
  return {
    protocol: 'tcp',
    title: `Transmission Control Protocol, Src Port: ${h.srcPort}, Dst Port: ${h.dstPort}, Seq: ${h.seq}${h.flags & TCP_ACK ? `, Ack: ${h.ack}` : ''}, Len: ${len}`,
    offset,
    length: hl,
    fields,
    notes,
  };
}

/**
 * Dissector for IP protocol 6. A payload is handed on by port, lower port first (like Wireshark),
 * one segment at a time (no stream reassembly).
 */
export const dissectTcp: Dissector = (bytes, offset, end, ctx): DissectStep | DissectFailure => {
  const layer = describeTcp(bytes, offset, end, ctx.ipv4);
  if ('error' in layer) return layer;
  const stop = Math.min(end, bytes.length);
  const hl = (bytes[offset + 12] >> 4) * 4;
  const h = readTcpHeader(bytes, offset);
  const len = stop - offset - hl;
  const lo = Math.min(h.srcPort, h.dstPort);
  const hi = Math.max(h.srcPort, h.dstPort);
  return {
    layer,
    protocol: 'TCP',
    summary: tcpSummary(h, len),
    end: stop,
    ...(len > 0 ? { next: { table: 'tcpPort' as const, keys: lo === hi ? [lo] : [lo, hi], offset: offset + hl, end: stop } } : {}),
  };
};

/**
 * Codec for the TCP header with options, written and read exactly as given: computing the checksum
 * needs the IP addresses, so use {@link encodeTcpSegment} / {@link verifyTcpChecksum} for that.
 */
export const tcp: Codec<TcpHeader> = {
  protocol: 'tcp',
  encode(h: TcpHeader): Uint8Array {
    for (const k of ['srcPort', 'dstPort', 'window', 'checksum', 'urgent'] as const) {
      const v = h[k];
      if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`TCP: ${k} ${v} is not 16-bit`);
    }
    for (const k of ['seq', 'ack'] as const) {
      const v = h[k];
      if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RangeError(`TCP: ${k} ${v} is not 32-bit`);
    }
    if (!Number.isInteger(h.flags) || h.flags < 0 || h.flags > 0xff) throw new RangeError(`TCP: flags ${h.flags} is not 8-bit`);
    const o = h.options;
    if (o.mss !== undefined && (!Number.isInteger(o.mss) || o.mss < 0 || o.mss > 0xffff)) throw new RangeError(`TCP: MSS ${o.mss} is not 16-bit`);
    if (o.windowScale !== undefined && (!Number.isInteger(o.windowScale) || o.windowScale < 0 || o.windowScale > 14)) {
      throw new RangeError(`TCP: window scale ${o.windowScale} is not 0 to 14`);
    }
    const buf = new Uint8Array(tcpHeaderLength(o));
    writeTcpHeader(buf, 0, h);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<TcpHeader> {
    const bad = checkTcpHeader(bytes, offset);
    if (bad) return { ok: false, error: bad };
    const hl = (bytes[offset + 12] >> 4) * 4;
    const scanned = scanOptions(bytes, offset + 20, offset + hl);
    if (scanned.error) return { ok: false, error: scanned.error };
    return { ok: true, value: readTcpHeader(bytes, offset), length: hl };
  },
  byteLength(h: TcpHeader): number {
    return tcpHeaderLength(h.options);
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeTcp(bytes, offset);
  },
};
