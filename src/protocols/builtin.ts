/**
 * Registers the built-in dissectors with the frame dissector: ARP and IPv4 by EtherType; ICMP, TCP
 * and UDP by IP protocol; RR, DNS, DHCP (67/68) and QUIC by UDP port; HTTP (1.1 and cleartext HTTP/2) and TLS
 * records (HTTPS) by TCP port. The protocol services above IP register in `builtin-transports.ts`.
 */

import { dissectArp } from './arp/arp';
import { registerEtherType, registerIpProtocol, registerTcpPort, registerUdpPort } from './dissect';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './ethernet/ethernet';
import { dissectIcmp } from './icmp/icmp';
import { dissectIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from './ipv4/ipv4';
import { dissectTcp } from './tcp/tcp-header';
import { dissectUdp } from './udp/udp';
import { dissectRr, RR_PORT } from './rr/rr';
import { DNS_PORT } from './dns/dns';
import { dissectDns } from './dns/dissect';
import { dissectHttp, dissectHttps, HTTP_TCP_PORTS, HTTPS_TCP_PORTS } from './http/dissect';
import { dissectQuic, QUIC_UDP_PORT } from './quic/dissect';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from './dhcp/dhcp';
import { dissectDhcp } from './dhcp/dissect';

let registered = false;

/**
 * Registers every dissector listed above. Idempotent: later calls do nothing (so they never undo a
 * registration made since).
 */
export function registerBuiltinProtocols(): void {
  if (registered) return;
  registered = true;
  // Colour classes in the legend's order: ARP, ICMP, UDP, TCP (IPv4 of another protocol is Other).
  registerEtherType(ETHERTYPE_ARP, dissectArp, { name: 'ARP', color: '#f5c542' });
  registerEtherType(ETHERTYPE_IPV4, dissectIpv4);
  registerIpProtocol(IP_PROTO_ICMP, dissectIcmp, { name: 'ICMP', color: '#4fd1c5' });
  registerIpProtocol(IP_PROTO_UDP, dissectUdp, { name: 'UDP', color: '#b388ff' });
  registerIpProtocol(IP_PROTO_TCP, dissectTcp, { name: 'TCP', color: '#63b3ff' });
  registerUdpPort(RR_PORT, dissectRr);
  registerUdpPort(DNS_PORT, dissectDns);
  registerUdpPort(QUIC_UDP_PORT, dissectQuic);
  // DHCP has a colour of its own (after TCP in the legend): address configuration, not data.
  const dhcpClass = { name: 'DHCP', color: '#f6ad55' };
  registerUdpPort(DHCP_SERVER_PORT, dissectDhcp, dhcpClass);
  registerUdpPort(DHCP_CLIENT_PORT, dissectDhcp, dhcpClass);
  for (const port of HTTP_TCP_PORTS) registerTcpPort(port, dissectHttp);
  for (const port of HTTPS_TCP_PORTS) registerTcpPort(port, dissectHttps);
}
