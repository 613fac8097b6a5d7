/**
 * UDP (RFC 768) over IPv4, with the pseudo-header checksum. A computed checksum of 0 is sent as
 * 0xffff; a received checksum of 0 means the sender computed none (allowed over IPv4).
 */

import type { Ipv4 } from '../addr';
import { readU16, writeU16 } from '../bytes';
import { internetChecksum, onesComplementSum, pseudoHeaderSum } from '../checksum';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, checksumText, hex } from '../format';
import { IP_PROTO_UDP } from '../ipv4/ipv4';

/** Size of the UDP header. */
export const UDP_HEADER_BYTES = 8;

/** A UDP header. */
export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  /** Header + payload, in bytes. */
  length: number;
  checksum: number;
}

/** Writes the 8-byte header exactly as given at `off`; returns the offset just past it. */
export function writeUdpHeader(buf: Uint8Array, off: number, h: UdpHeader): number {
  writeU16(buf, off, h.srcPort);
  writeU16(buf, off + 2, h.dstPort);
  writeU16(buf, off + 4, h.length);
  writeU16(buf, off + 6, h.checksum);
  return off + UDP_HEADER_BYTES;
}

/** Reads the header at `off` into `out` (reuse it to avoid allocation). No bounds check. */
export function readUdpHeader(buf: Uint8Array, off: number, out: UdpHeader = { srcPort: 0, dstPort: 0, length: 0, checksum: 0 }): UdpHeader {
  out.srcPort = readU16(buf, off);
  out.dstPort = readU16(buf, off + 2);
  out.length = readU16(buf, off + 4);
  out.checksum = readU16(buf, off + 6);
  return out;
}

/**
 * The checksum the `length`-byte datagram at `off` should carry (its own checksum field is
 * skipped), already mapped 0 to 0xffff. No bounds check.
 */
export function udpChecksum(srcIp: Ipv4, dstIp: Ipv4, buf: Uint8Array, off: number, length: number): number {
  let sum = pseudoHeaderSum(srcIp, dstIp, IP_PROTO_UDP, length);
  sum = onesComplementSum(buf, off, 6, sum);
  const c = internetChecksum(buf, off + UDP_HEADER_BYTES, length - UDP_HEADER_BYTES, sum);
  return c === 0 ? 0xffff : c;
}

/**
 * Writes a UDP header (length and checksum computed) in front of `payloadLength` payload bytes
 * already at `off + 8`; returns the offset just past the payload. Allocation-free.
 */
export function writeUdpDatagram(buf: Uint8Array, off: number, srcIp: Ipv4, dstIp: Ipv4, srcPort: number, dstPort: number, payloadLength: number): number {
  const length = UDP_HEADER_BYTES + payloadLength;
  writeU16(buf, off, srcPort);
  writeU16(buf, off + 2, dstPort);
  writeU16(buf, off + 4, length);
  writeU16(buf, off + 6, udpChecksum(srcIp, dstIp, buf, off, length));
  return off + length;
}

/** Header + payload with the pseudo-header checksum, ready to be an IPv4 payload. */
export function encodeUdpDatagram(srcIp: Ipv4, dstIp: Ipv4, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  if (UDP_HEADER_BYTES + payload.length > 0xffff) {
    throw new RangeError(`UDP: ${payload.length} payload bytes do not fit the 16-bit length`);
  }
  const buf = new Uint8Array(UDP_HEADER_BYTES + payload.length);
  buf.set(payload, UDP_HEADER_BYTES);
  writeUdpDatagram(buf, 0, srcIp, dstIp, srcPort, dstPort, payload.length);
  return buf;
}

/**
 * True when the datagram at `offset` (its length field must fit in the bytes given) carries a
 * correct checksum, or none (0, allowed over IPv4).
 */
export function verifyUdpChecksum(srcIp: Ipv4, dstIp: Ipv4, datagramBytes: Uint8Array, offset = 0): boolean {
  if (checkUdpHeader(datagramBytes, offset, datagramBytes.length, true)) return false;
  const length = readU16(datagramBytes, offset + 4);
  if (readU16(datagramBytes, offset + 6) === 0) return true;
  const sum = pseudoHeaderSum(srcIp, dstIp, IP_PROTO_UDP, length);
  return internetChecksum(datagramBytes, offset, length, sum) === 0;
}

/**
 * Why `[off, end)` does not start with a usable UDP header, or `undefined`. With `whole`, the
 * length field must also fit within `end` (the datagram is all there).
 */
function checkUdpHeader(buf: Uint8Array, off: number, end = buf.length, whole = false): string | undefined {
  end = Math.min(end, buf.length);
  if (!Number.isInteger(off) || off < 0 || end - off < UDP_HEADER_BYTES) {
    return `UDP: truncated header (${Math.max(0, end - off)} of ${UDP_HEADER_BYTES} bytes)`;
  }
  const length = readU16(buf, off + 4);
  if (length < UDP_HEADER_BYTES) return `UDP: bad length ${length} (< 8)`;
  if (whole && length > end - off) return `UDP: bad length ${length} > IP payload length ${end - off}`;
  return undefined;
}

/** Wireshark's Info column: `40000 → 7 Len=512` (Len is the payload length). */
export function udpSummary(h: UdpHeader): string {
  return `${h.srcPort} → ${h.dstPort} Len=${h.length - UDP_HEADER_BYTES}`;
}

/**
 * The inspector layer for the datagram at `offset`. With the IP addresses (`pseudo`) the checksum
 * is verified, otherwise shown as `[unverified]`.
 */
export function describeUdp(bytes: Uint8Array, offset = 0, end = bytes.length, pseudo?: { src: Ipv4; dst: Ipv4 }): Layer | { error: string } {
  const bad = checkUdpHeader(bytes, offset, end);
  if (bad) return { error: bad };
  end = Math.min(end, bytes.length);
  const o = offset;
  const h = readUdpHeader(bytes, o);
  const whole = h.length <= end - o;
  let check: string;
  if (h.checksum === 0) check = '0x0000 [zero-value ignored]';
  else if (pseudo && whole) check = checksumText(h.checksum, udpChecksum(pseudo.src, pseudo.dst, bytes, o, h.length));
  else check = `${hex(h.checksum, 4)} [unverified]`;
  const payloadLen = Math.max(0, Math.min(h.length, end - o) - UDP_HEADER_BYTES);
  const fields: Field[] = [
    { key: 'udp.srcport', label: 'Source Port', value: `${h.srcPort}`, offset: o, length: 2 },
    { key: 'udp.dstport', label: 'Destination Port', value: `${h.dstPort}`, offset: o + 2, length: 2 },
    { key: 'udp.length', label: 'Length', value: `${h.length}`, offset: o + 4, length: 2 },
    { key: 'udp.checksum', label: 'Checksum', value: check, offset: o + 6, length: 2 },
  ];
  if (payloadLen > 0) {
    fields.push({ key: 'udp.payload', label: 'UDP payload', value: `(${bytesLabel(payloadLen)})`, offset: o + 8, length: payloadLen });
  }
  const layer: Layer = {
    protocol: 'udp',
    title: `User Datagram Protocol, Src Port: ${h.srcPort}, Dst Port: ${h.dstPort}`,
    offset,
    length: UDP_HEADER_BYTES,
    fields,
  };
  return whole ? layer : { ...layer, notes: [`Length ${h.length} runs past the ${end - o} bytes available.`] };
}

/** Dissector for IP protocol 17: hands the payload on by port, lower port first (like Wireshark). */
export const dissectUdp: Dissector = (bytes, offset, end, ctx): DissectStep | DissectFailure => {
  const layer = describeUdp(bytes, offset, end, ctx.ipv4);
  if ('error' in layer) return layer;
  const h = readUdpHeader(bytes, offset);
  if (h.length > end - offset) {
    return { error: `UDP: bad length ${h.length} > IP payload length ${end - offset}`, layer };
  }
  const lo = Math.min(h.srcPort, h.dstPort);
  const hi = Math.max(h.srcPort, h.dstPort);
  const stop = offset + h.length;
  return {
    layer,
    protocol: 'UDP',
    summary: udpSummary(h),
    end: stop,
    next: { table: 'udpPort', keys: lo === hi ? [lo] : [lo, hi], offset: offset + UDP_HEADER_BYTES, end: stop },
  };
};

/**
 * Codec for the 8-byte UDP header, written and read exactly as given: computing the checksum
 * needs the IP addresses, so use {@link encodeUdpDatagram} / {@link verifyUdpChecksum} for that.
 * `encode` throws a RangeError for a field that is not 16-bit or a length below 8; `decode` never throws.
 */
export const udp: Codec<UdpHeader> = {
  protocol: 'udp',
  encode(h: UdpHeader): Uint8Array {
    for (const k of ['srcPort', 'dstPort', 'length', 'checksum'] as const) {
      const v = h[k];
      if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`UDP: ${k} ${v} is not 16-bit`);
    }
    if (h.length < UDP_HEADER_BYTES) throw new RangeError(`UDP: length ${h.length} is below the header size 8`);
    const buf = new Uint8Array(UDP_HEADER_BYTES);
    writeUdpHeader(buf, 0, h);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<UdpHeader> {
    const bad = checkUdpHeader(bytes, offset);
    if (bad) return { ok: false, error: bad };
    return { ok: true, value: readUdpHeader(bytes, offset), length: UDP_HEADER_BYTES };
  },
  byteLength(): number {
    return UDP_HEADER_BYTES;
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeUdp(bytes, offset);
  },
};
