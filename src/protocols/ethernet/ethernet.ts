/**
 * Ethernet II framing (IEEE 802.3 clause 3.2.6 "Type" interpretation): destination, source,
 * EtherType, payload.
 *
 * Simplifications: no FCS (frames look like a capture without the 4-byte frame check sequence, so
 * the minimum is 60 bytes, not 64); only Ethernet II (no 802.3 length/LLC, no 802.1Q VLAN tags).
 */

import { formatMac, readMac, writeMac, type Mac } from '../addr';
import { readU16, writeU16 } from '../bytes';
import type { Codec, Decoded, Field, Layer } from '../codec';
import { bytesLabel, hex, hexBytes } from '../format';

/** EtherType of IPv4. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of ARP. */
export const ETHERTYPE_ARP = 0x0806;
/** Destination + source + EtherType. */
export const ETHERNET_HEADER_BYTES = 14;
/** The shortest frame on the wire without FCS; shorter frames are zero-padded to it. */
export const ETHERNET_MIN_FRAME_BYTES = 60;

/** An Ethernet II header. */
export interface EthernetHeader {
  dst: Mac;
  src: Mac;
  etherType: number;
}

const NOTES: readonly string[] = [
  'No FCS: frames are shown as captured without the 4-byte frame check sequence (60-byte minimum, not 64).',
  'Ethernet II framing only: no 802.3 length/LLC frames and no 802.1Q VLAN tags.',
];

/** Wireshark's name for an EtherType, e.g. `IPv4`. */
export function etherTypeName(t: number): string {
  switch (t) {
    case ETHERTYPE_IPV4:
      return 'IPv4';
    case ETHERTYPE_ARP:
      return 'ARP';
    case 0x86dd:
      return 'IPv6';
    case 0x8100:
      return '802.1Q Virtual LAN';
    default:
      return 'Unknown';
  }
}

/** Writes the 14-byte header at `off`; returns the offset just past it. */
export function writeEthernet(buf: Uint8Array, off: number, h: EthernetHeader): number {
  writeMac(buf, off, h.dst);
  writeMac(buf, off + 6, h.src);
  writeU16(buf, off + 12, h.etherType);
  return off + ETHERNET_HEADER_BYTES;
}

/** Reads the header at `off` into `out` (reuse one object to avoid allocation). No bounds check. */
export function readEthernet(buf: Uint8Array, off: number, out: EthernetHeader = { dst: 0, src: 0, etherType: 0 }): EthernetHeader {
  out.dst = readMac(buf, off);
  out.src = readMac(buf, off + 6);
  out.etherType = readU16(buf, off + 12);
  return out;
}

/** The EtherType of the frame starting at `off`. No bounds check. */
export function readEtherType(buf: Uint8Array, off: number): number {
  return readU16(buf, off + 12);
}

/** Header + payload, zero-padded to the 60-byte minimum frame. */
export function encodeEthernetFrame(h: EthernetHeader, payload: Uint8Array): Uint8Array {
  const len = ETHERNET_HEADER_BYTES + payload.length;
  const buf = new Uint8Array(Math.max(ETHERNET_MIN_FRAME_BYTES, len));
  writeEthernet(buf, 0, h);
  buf.set(payload, ETHERNET_HEADER_BYTES);
  return buf;
}

/**
 * Where the payload of the frame at `offset` really ends, by peeking at the lengths IPv4 (total
 * length) and ARP (28 bytes) carry; for other EtherTypes, or when the peek makes no sense, the
 * end of `bytes`. Bytes past it are padding.
 */
export function ethernetPayloadEnd(bytes: Uint8Array, offset = 0): number {
  const start = offset + ETHERNET_HEADER_BYTES;
  if (bytes.length < start) return bytes.length;
  const type = readU16(bytes, offset + 12);
  let len = -1;
  if (type === ETHERTYPE_IPV4 && bytes.length >= start + 4) len = readU16(bytes, start + 2);
  else if (type === ETHERTYPE_ARP) len = 28;
  return len >= 0 && start + len <= bytes.length ? start + len : bytes.length;
}

function macField(key: string, label: string, bytes: Uint8Array, off: number): Field {
  const mac = readMac(bytes, off);
  const first = bytes[off];
  return {
    key,
    label,
    value: mac === 0xffff_ffff_ffff ? `Broadcast (${formatMac(mac)})` : formatMac(mac),
    offset: off,
    length: 6,
    children: [
      {
        key: `${key}.lg`,
        label: 'LG bit',
        value: first & 2 ? 'Locally administered address (this is NOT the factory default)' : 'Globally unique address (factory default)',
        offset: off,
        length: 0,
      },
      {
        key: `${key}.ig`,
        label: 'IG bit',
        value: first & 1 ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)',
        offset: off,
        length: 0,
      },
    ],
  };
}

/**
 * The inspector layer for the Ethernet header at `offset`. Bytes from `payloadEnd` (default: found
 * by {@link ethernetPayloadEnd}) to the end of `bytes` are shown as `Padding`.
 */
export function describeEthernet(bytes: Uint8Array, offset = 0, payloadEnd = ethernetPayloadEnd(bytes, offset)): Layer | { error: string } {
  if (!Number.isInteger(offset) || offset < 0 || bytes.length - offset < ETHERNET_HEADER_BYTES) {
    return { error: `Ethernet: ${bytes.length - offset} bytes, header needs ${ETHERNET_HEADER_BYTES}` };
  }
  const type = readU16(bytes, offset + 12);
  const fields: Field[] = [
    macField('eth.dst', 'Destination', bytes, offset),
    macField('eth.src', 'Source', bytes, offset + 6),
    { key: 'eth.type', label: 'Type', value: `${etherTypeName(type)} (${hex(type, 4)})`, offset: offset + 12, length: 2 },
  ];
  const padStart = Math.max(offset + ETHERNET_HEADER_BYTES, Math.min(payloadEnd, bytes.length));
  if (padStart < bytes.length) {
    fields.push({
      key: 'eth.padding',
      label: 'Padding',
      value: `${hexBytes(bytes, padStart, bytes.length)} (${bytesLabel(bytes.length - padStart)})`,
      offset: padStart,
      length: bytes.length - padStart,
    });
  }
  return {
    protocol: 'eth',
    title: `Ethernet II, Src: ${formatMac(readMac(bytes, offset + 6))}, Dst: ${formatMac(readMac(bytes, offset))}`,
    offset,
    length: ETHERNET_HEADER_BYTES,
    fields,
    notes: NOTES,
  };
}

/** Codec for the 14-byte Ethernet II header (the payload and padding are not part of it). */
export const ethernet: Codec<EthernetHeader> = {
  protocol: 'eth',
  encode(h: EthernetHeader): Uint8Array {
    const buf = new Uint8Array(ETHERNET_HEADER_BYTES);
    writeEthernet(buf, 0, h);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<EthernetHeader> {
    if (!Number.isInteger(offset) || offset < 0 || bytes.length - offset < ETHERNET_HEADER_BYTES) {
      return { ok: false, error: `Ethernet: truncated header (${Math.max(0, bytes.length - offset)} of ${ETHERNET_HEADER_BYTES} bytes)` };
    }
    return { ok: true, value: readEthernet(bytes, offset), length: ETHERNET_HEADER_BYTES };
  },
  byteLength(): number {
    return ETHERNET_HEADER_BYTES;
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeEthernet(bytes, offset);
  },
};
