/**
 * ARP (RFC 826) for Ethernet and IPv4: the fixed 28-byte packet.
 *
 * Simplification: only hardware type 1 (Ethernet, 6-byte addresses) with protocol type 0x0800
 * (IPv4, 4-byte addresses) and opcodes 1 (request) and 2 (reply) are modelled; decode rejects
 * anything else (RARP, InARP, other hardware).
 */

import { formatIpv4, formatMac, readMac, writeMac, type Ipv4, type Mac } from '../addr';
import { readU16, readU32, writeU16, writeU32 } from '../bytes';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectStep, Dissector } from '../dissect-types';

/** Size of an Ethernet/IPv4 ARP packet. */
export const ARP_BYTES = 28;
/** ARP opcode: request. */
export const ARP_REQUEST = 1;
/** ARP opcode: reply. */
export const ARP_REPLY = 2;

/** An Ethernet/IPv4 ARP request (op 1) or reply (op 2). */
export interface ArpPacket {
  op: 1 | 2;
  senderMac: Mac;
  senderIp: Ipv4;
  /** Zero in a request (unknown). */
  targetMac: Mac;
  targetIp: Ipv4;
}

const NOTES: readonly string[] = ['Only Ethernet/IPv4 ARP (hardware type 1, protocol type 0x0800) with request/reply opcodes is modelled.'];

/** Writes the 28-byte packet at `off`; returns the offset just past it. */
export function writeArp(buf: Uint8Array, off: number, p: ArpPacket): number {
  writeU16(buf, off, 1); // hardware type: Ethernet
  writeU16(buf, off + 2, 0x0800); // protocol type: IPv4
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  writeU16(buf, off + 6, p.op);
  writeMac(buf, off + 8, p.senderMac);
  writeU32(buf, off + 14, p.senderIp);
  writeMac(buf, off + 18, p.targetMac);
  writeU32(buf, off + 24, p.targetIp);
  return off + ARP_BYTES;
}

/** Why the bytes at `off` are not an Ethernet/IPv4 ARP request or reply, or `undefined` if they are. */
export function checkArp(buf: Uint8Array, off: number, end = buf.length): string | undefined {
  if (!Number.isInteger(off) || off < 0 || end - off < ARP_BYTES || end > buf.length) {
    return `ARP: truncated packet (${Math.max(0, Math.min(end, buf.length) - off)} of ${ARP_BYTES} bytes)`;
  }
  const htype = readU16(buf, off);
  const ptype = readU16(buf, off + 2);
  if (htype !== 1) return `ARP: hardware type ${htype} not supported (only Ethernet, 1)`;
  if (ptype !== 0x0800) return `ARP: protocol type 0x${ptype.toString(16)} not supported (only IPv4)`;
  if (buf[off + 4] !== 6 || buf[off + 5] !== 4) {
    return `ARP: address sizes ${buf[off + 4]}/${buf[off + 5]}, expected 6/4`;
  }
  const op = readU16(buf, off + 6);
  if (op !== 1 && op !== 2) return `ARP: opcode ${op} not supported (only request 1, reply 2)`;
  return undefined;
}

/** Reads an ARP packet already checked with {@link checkArp} into `out` (reuse it to avoid allocation). */
export function readArp(buf: Uint8Array, off: number, out: ArpPacket = { op: 1, senderMac: 0, senderIp: 0, targetMac: 0, targetIp: 0 }): ArpPacket {
  out.op = readU16(buf, off + 6) === 2 ? 2 : 1;
  out.senderMac = readMac(buf, off + 8);
  out.senderIp = readU32(buf, off + 14);
  out.targetMac = readMac(buf, off + 18);
  out.targetIp = readU32(buf, off + 24);
  return out;
}

/**
 * Wireshark's Info column for an ARP packet: `Who has 10.0.0.2? Tell 10.0.0.1`,
 * `10.0.0.2 is at 02:00:00:00:02:01`, `Who has 10.0.0.2? (ARP Probe)` (sender IP 0),
 * `ARP Announcement for 10.0.0.1` (request for its own address, target MAC 0), or
 * `Gratuitous ARP for 10.0.0.1 (Request)` / `(Reply)`.
 */
export function arpSummary(p: ArpPacket): string {
  const self = p.senderIp === p.targetIp;
  if (p.op === 1) {
    if (p.senderIp === 0 && p.targetMac === 0) return `Who has ${formatIpv4(p.targetIp)}? (ARP Probe)`;
    if (self && p.targetMac === 0) return `ARP Announcement for ${formatIpv4(p.senderIp)}`;
    if (self) return `Gratuitous ARP for ${formatIpv4(p.senderIp)} (Request)`;
    return `Who has ${formatIpv4(p.targetIp)}? Tell ${formatIpv4(p.senderIp)}`;
  }
  if (self) return `Gratuitous ARP for ${formatIpv4(p.senderIp)} (Reply)`;
  return `${formatIpv4(p.senderIp)} is at ${formatMac(p.senderMac)}`;
}

/** The inspector layer for the ARP packet at `offset`. */
export function describeArp(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const bad = checkArp(bytes, offset, end);
  if (bad) return { error: bad };
  const p = readArp(bytes, offset);
  const o = offset;
  const fields: Field[] = [
    { key: 'arp.hw.type', label: 'Hardware type', value: 'Ethernet (1)', offset: o, length: 2 },
    { key: 'arp.proto.type', label: 'Protocol type', value: 'IPv4 (0x0800)', offset: o + 2, length: 2 },
    { key: 'arp.hw.size', label: 'Hardware size', value: '6', offset: o + 4, length: 1 },
    { key: 'arp.proto.size', label: 'Protocol size', value: '4', offset: o + 5, length: 1 },
    { key: 'arp.opcode', label: 'Opcode', value: p.op === 1 ? 'request (1)' : 'reply (2)', offset: o + 6, length: 2 },
    { key: 'arp.src.hw_mac', label: 'Sender MAC address', value: formatMac(p.senderMac), offset: o + 8, length: 6 },
    { key: 'arp.src.proto_ipv4', label: 'Sender IP address', value: formatIpv4(p.senderIp), offset: o + 14, length: 4 },
    { key: 'arp.dst.hw_mac', label: 'Target MAC address', value: formatMac(p.targetMac), offset: o + 18, length: 6 },
    { key: 'arp.dst.proto_ipv4', label: 'Target IP address', value: formatIpv4(p.targetIp), offset: o + 24, length: 4 },
  ];
  return {
    protocol: 'arp',
    title: `Address Resolution Protocol (${p.op === 1 ? 'request' : 'reply'})`,
    offset,
    length: ARP_BYTES,
    fields,
    notes: NOTES,
  };
}

/** Dissector for EtherType 0x0806. */
export const dissectArp: Dissector = (bytes, offset, end): DissectStep | { error: string } => {
  const layer = describeArp(bytes, offset, end);
  if ('error' in layer) return layer;
  return { layer, protocol: 'ARP', summary: arpSummary(readArp(bytes, offset)), end: offset + ARP_BYTES };
};

/** Codec for Ethernet/IPv4 ARP packets. */
export const arp: Codec<ArpPacket> = {
  protocol: 'arp',
  encode(p: ArpPacket): Uint8Array {
    const buf = new Uint8Array(ARP_BYTES);
    writeArp(buf, 0, p);
    return buf;
  },
  decode(bytes: Uint8Array, offset = 0): Decoded<ArpPacket> {
    const bad = checkArp(bytes, offset);
    if (bad) return { ok: false, error: bad };
    return { ok: true, value: readArp(bytes, offset), length: ARP_BYTES };
  },
  byteLength(): number {
    return ARP_BYTES;
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeArp(bytes, offset);
  },
};
