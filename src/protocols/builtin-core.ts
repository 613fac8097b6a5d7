/**
 * Registers the core dissectors with the frame dissector: ARP and IPv4 by EtherType; ICMP, TCP and
 * UDP by IP protocol; RR and DHCP (67/68) by UDP port. They bring every colour class, so the views can colour any
 * frame with these alone. The richer dissectors (DNS, QUIC, HTTP, TLS, with their crypto) are added
 * by `registerBuiltinProtocols` in `builtin.ts`; a page that loads them only when its trace needs
 * them asks {@link needsMoreDissectors}.
 */

import { dissectArp } from './arp/arp';
import { readU16 } from './bytes';
import { registerEtherType, registerIpProtocol, registerUdpPort } from './dissect';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './ethernet/ethernet';
import { dissectIcmp } from './icmp/icmp';
import { dissectIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from './ipv4/ipv4';
import { dissectRr, RR_PORT } from './rr/rr';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from './dhcp/dhcp';
import { dissectDhcp } from './dhcp/dissect';
import { dissectTcp } from './tcp/tcp-header';
import { dissectUdp } from './udp/udp';

let registered = false;

/** Registers the core dissectors and colour classes. Idempotent. */
export function registerCoreProtocols(): void {
  if (registered) return;
  registered = true;
  // Colour classes in the legend's order: ARP, ICMP, UDP, TCP (IPv4 of another protocol is Other).
  registerEtherType(ETHERTYPE_ARP, dissectArp, { name: 'ARP', color: '#f5c542' });
  registerEtherType(ETHERTYPE_IPV4, dissectIpv4);
  registerIpProtocol(IP_PROTO_ICMP, dissectIcmp, { name: 'ICMP', color: '#4fd1c5' });
  registerIpProtocol(IP_PROTO_UDP, dissectUdp, { name: 'UDP', color: '#b388ff' });
  registerIpProtocol(IP_PROTO_TCP, dissectTcp, { name: 'TCP', color: '#63b3ff' });
  registerUdpPort(RR_PORT, dissectRr);
  // DHCP has a colour of its own (after TCP in the legend): address configuration, not data.
  const dhcpClass = { name: 'DHCP', color: '#f6ad55' };
  registerUdpPort(DHCP_SERVER_PORT, dissectDhcp, dhcpClass);
  registerUdpPort(DHCP_CLIENT_PORT, dissectDhcp, dhcpClass);
}

/**
 * The UDP and TCP ports `builtin.ts` registers beyond the core (DNS, QUIC; HTTP, HTTPS). Kept
 * here as numbers so this module stays free of those dissectors; a unit test holds the two in step.
 */
export const MORE_DISSECTOR_PORTS = { udp: [53, 443], tcp: [80, 443, 8000, 8080, 8443] } as const;

const moreUdp = new Set<number>(MORE_DISSECTOR_PORTS.udp);
const moreTcp = new Set<number>(MORE_DISSECTOR_PORTS.tcp);

/** Whether an Ethernet frame carries UDP or TCP to or from a port only the richer dissectors read. */
export function needsMoreDissectors(frame: Uint8Array): boolean {
  if (frame.length < ETHERNET_HEADER_BYTES + 20 || readU16(frame, 12) !== ETHERTYPE_IPV4) return false;
  const ip = ETHERNET_HEADER_BYTES;
  const ihl = (frame[ip] & 0x0f) * 4;
  const fragOffset = readU16(frame, ip + 6) & 0x1fff;
  const l4 = ip + ihl;
  if (fragOffset !== 0 || frame.length < l4 + 4) return false;
  const ports = moreByProto(frame[ip + 9]);
  return ports !== undefined && (ports.has(readU16(frame, l4)) || ports.has(readU16(frame, l4 + 2)));
}

function moreByProto(proto: number): Set<number> | undefined {
  return proto === IP_PROTO_UDP ? moreUdp : proto === IP_PROTO_TCP ? moreTcp : undefined;
}
