/**
 * A DHCP relay agent (RFC 1542 §4, RFC 2131 §4.1) on a router: a client's broadcast that arrives on
 * one of its relaying interfaces is sent on, unicast, to each configured server, with giaddr set to
 * that interface's address (when still 0) and hops increased; a server's reply to giaddr is
 * broadcast back on the interface giaddr belongs to.
 *
 * Simplifications, stated: no relay agent information option (RFC 3046); requests that have been
 * through more than 4 relays are dropped (ISC dhcrelay's default max hop count is 10); replies to a
 * client are broadcast even without the broadcast flag.
 */
import { BROADCAST_IPV4, formatIpv4, type Ipv4 } from '../addr';
import { writeU32 } from '../bytes';
import { bindDhcpServerPort } from './server-port';
import type { IpHost } from '../transport';
import type { UdpSocket } from '../udp/udp-service';
import { BOOTREPLY, BOOTREQUEST, decodeDhcp, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, dhcpLogName } from './dhcp';

/** Byte offsets in the BOOTP header. */
const HOPS = 3;
const GIADDR = 24;
const MAX_HOPS = 4;

/** The relay on one router. */
export class DhcpRelay {
  private socket: UdpSocket | undefined;

  constructor(
    private readonly host: IpHost,
    /** Addresses of the interfaces it relays for. */
    private readonly on: readonly Ipv4[],
    private readonly servers: readonly Ipv4[],
  ) {}

  /** Binds port 67; returns an error text when it is taken. */
  start(): string | undefined {
    const s = bindDhcpServerPort(this.host, (data, iface) => this.onMessage(data, iface));
    if (typeof s === 'string') return s;
    this.socket = s;
    return undefined;
  }

  /** Closes the port. */
  stop(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private onMessage(data: Uint8Array, arrivedOn: Ipv4): void {
    const d = decodeDhcp(data);
    if (!d.ok) return;
    const m = d.value;
    const copy = data.slice();
    if (m.op === BOOTREQUEST) {
      if (!this.on.includes(arrivedOn) && m.giaddr === 0) return;
      if (m.hops >= MAX_HOPS) return;
      copy[HOPS] = m.hops + 1;
      if (m.giaddr === 0) writeU32(copy, GIADDR, arrivedOn);
      for (const server of this.servers) {
        this.socket?.send(server, DHCP_SERVER_PORT, copy);
        this.host.log(`dhcrelay: forwarded ${dhcpLogName(m.options.type)} from ${formatIpv4(m.giaddr || arrivedOn)} to ${formatIpv4(server)}`);
      }
    } else if (m.op === BOOTREPLY && this.on.includes(m.giaddr)) {
      this.socket?.send(BROADCAST_IPV4, DHCP_CLIENT_PORT, copy, { src: m.giaddr });
      this.host.log(`dhcrelay: forwarded ${dhcpLogName(m.options.type)} for ${formatIpv4(m.yiaddr)} to 255.255.255.255 on ${formatIpv4(m.giaddr)}`);
    }
  }
}
