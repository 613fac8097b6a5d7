/**
 * Rewriting an IPv4 packet's source or destination address and port (TCP, UDP) or ICMP echo
 * identifier, as a NAT does, with every checksum it touches patched incrementally (RFC 1624, as
 * RFC 3022 §4.2 describes): the IPv4 header checksum, the TCP or UDP checksum (whose pseudo-header
 * holds the addresses), and the ICMP checksum (which covers the identifier, no pseudo-header).
 */
import { readU16, readU32, writeU16, writeU32 } from '../../protocols/bytes';
import { updateChecksum16 } from '../../protocols/checksum';
import { ETHERNET_HEADER_BYTES } from '../../protocols/ethernet/ethernet';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from '../../protocols/ipv4/ipv4';

const IP = ETHERNET_HEADER_BYTES;
const IP_CHECKSUM = IP + 10;

/** Which end of the packet to rewrite. */
export type NatSide = 'src' | 'dst';

/** Where the checksum of the transport header lies, or -1 when there is none to patch. */
function checksumOffset(protocol: number, body: Uint8Array): number {
  if (protocol === IP_PROTO_TCP) return body.length >= 18 ? 16 : -1;
  if (protocol === IP_PROTO_UDP) return body.length >= 8 && readU16(body, 6) !== 0 ? 6 : -1; // 0: no checksum (RFC 768)
  if (protocol === IP_PROTO_ICMP) return body.length >= 8 ? 2 : -1;
  return -1;
}

/** Patches the 16-bit checksum at `at` of `buf` for a word changing from `from` to `to`. */
function patch(buf: Uint8Array, at: number, from: number, to: number, udp: boolean): void {
  let c = updateChecksum16(readU16(buf, at), from, to);
  if (udp && c === 0) c = 0xffff; // a computed 0 is sent as all ones (RFC 768)
  writeU16(buf, at, c);
}

/**
 * Rewrites, in place, the `side` address of the IPv4 header in `head` (at byte 14) and the port
 * (TCP/UDP) or echo identifier (ICMP) at the start of `body`: the source port or identifier for
 * `src`, the destination port for `dst` (an ICMP echo has one identifier, rewritten on either side).
 * `body` must be the packet's own copy.
 */
export function rewritePacket(head: Uint8Array, body: Uint8Array, side: NatSide, addr: number, port: number): void {
  const protocol = head[IP + 9];
  const addrAt = IP + (side === 'src' ? 12 : 16);
  const oldAddr = readU32(head, addrAt);
  const at = checksumOffset(protocol, body);
  const udp = protocol === IP_PROTO_UDP;
  // The address: the IPv4 header checksum, and the TCP/UDP pseudo-header (not ICMP's: it has none).
  for (const half of [0, 2]) {
    const from = readU16(head, addrAt + half);
    const to = half === 0 ? addr >>> 16 : addr & 0xffff;
    patch(head, IP_CHECKSUM, from, to, false);
    if (at >= 0 && protocol !== IP_PROTO_ICMP) patch(body, at, from, to, udp);
  }
  if (oldAddr !== addr) writeU32(head, addrAt, addr);
  const portAt = protocol === IP_PROTO_ICMP ? 4 : side === 'src' ? 0 : 2;
  if (body.length < portAt + 2) return;
  const oldPort = readU16(body, portAt);
  if (at >= 0) patch(body, at, oldPort, port, udp);
  writeU16(body, portAt, port);
}
