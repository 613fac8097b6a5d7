/** The DHCP server port (67), bound the same way by the server and the relay. */
import type { IpHost } from '../transport';
import { IP_PROTO_UDP } from '../ipv4/ipv4';
import type { UdpService, UdpSocket } from '../udp/udp-service';
import { DHCP_SERVER_PORT } from './dhcp';

/** Binds UDP port 67 on `host`, handing each datagram and its arrival interface to `onMessage`; an error text when it is taken. */
export function bindDhcpServerPort(host: IpHost, onMessage: (data: Uint8Array, iface: number) => void): UdpSocket | string {
  const udp = host.transport<UdpService>(IP_PROTO_UDP);
  const s = udp?.bind(DHCP_SERVER_PORT, { onMessage: (m) => onMessage(m.data, m.arrivedOn ?? 0) });
  return !s ? 'no UDP' : s;
}
