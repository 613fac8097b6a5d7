/**
 * Registers all the built-in dissectors with the frame dissector: the core ones (`builtin-core.ts`:
 * ARP, IPv4, ICMP, UDP, TCP, RR, with every colour class), then DNS and QUIC by UDP port, and HTTP
 * (1.1 and cleartext HTTP/2) and TLS records (HTTPS) by TCP port. The protocol services above IP
 * register in `builtin-transports.ts`.
 */

import { registerCoreProtocols } from './builtin-core';
import { registerTcpPort, registerUdpPort } from './dissect';
import { DNS_PORT } from './dns/dns';
import { dissectDns } from './dns/dissect';
import { dissectHttp, dissectHttps, HTTP_TCP_PORTS, HTTPS_TCP_PORTS } from './http/dissect';
import { dissectQuic, QUIC_UDP_PORT } from './quic/dissect';

let registered = false;

/**
 * Registers every dissector listed above. Idempotent: later calls do nothing (so they never undo a
 * registration made since).
 */
export function registerBuiltinProtocols(): void {
  if (registered) return;
  registered = true;
  registerCoreProtocols();
  registerUdpPort(DNS_PORT, dissectDns);
  registerUdpPort(QUIC_UDP_PORT, dissectQuic);
  for (const port of HTTP_TCP_PORTS) registerTcpPort(port, dissectHttp);
  for (const port of HTTPS_TCP_PORTS) registerTcpPort(port, dissectHttps);
}
