/**
 * A DHCP server (RFC 2131 §4.3) with address pools, one per subnet it serves: a pool is picked by
 * giaddr for a relayed message, by the address of the interface a broadcast came in on, or by
 * ciaddr for a renewal. It offers the client's previous address, else the address it asked for if
 * free, else the lowest free one; it ACKs a REQUEST for what it offered or leased to that client and
 * NAKs a REQUEST for an address off the client's subnet or leased to someone else.
 *
 * Replies go (§4.1) to giaddr's port 67 when relayed, to ciaddr when the client has an address,
 * and otherwise by broadcast out of the interface the request came in on.
 *
 * Simplifications, stated: leases live in memory only (a crash forgets them); an OFFER holds its
 * address for 60 s; a REQUEST in INIT-REBOOT for an address the server has no record of gets no
 * answer (§4.3.2), a renewal of an unknown lease gets a NAK (as an authoritative ISC dhcpd does); a
 * reply to a client with no address is always broadcast (no ARP-less unicast to yiaddr).
 */
import { BROADCAST_IPV4, formatIpv4, formatMac, inSubnet, prefixToMask, type Cidr, type Ipv4 } from '../addr';
import { bindDhcpServerPort } from './server-port';
import type { IpHost } from '../transport';
import type { UdpSocket } from '../udp/udp-service';
import {
  BOOTREPLY,
  BOOTREQUEST,
  decodeDhcp,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpType,
  dhcpLogName,
  encodeDhcp,
  type DhcpMessage,
  type DhcpOptions,
} from './dhcp';

const S = 1e9;
/** How long an offered address is held for the client it was offered to. */
const OFFER_HOLD_NS = 60 * S;

/** One pool: a subnet, the range handed out, the lease time and the options given with it. */
export interface DhcpPool {
  readonly subnet: Cidr;
  readonly first: Ipv4;
  readonly last: Ipv4;
  /** Seconds. */
  readonly leaseSeconds: number;
  readonly routers: readonly Ipv4[];
  readonly dns: readonly Ipv4[];
}

interface Binding {
  readonly address: Ipv4;
  readonly chaddr: number;
  /** `offered` until the REQUEST, then `leased`. */
  state: 'offered' | 'leased';
  expires: number;
}

/** The DHCP server on one host or router. */
export class DhcpServer {
  private socket: UdpSocket | undefined;
  private readonly bindings = new Map<Ipv4, Binding>();

  constructor(
    private readonly host: IpHost,
    readonly pools: readonly DhcpPool[],
  ) {}

  /** Binds port 67; returns an error text when it is taken. */
  start(): string | undefined {
    const s = bindDhcpServerPort(this.host, (data, iface) => this.onMessage(data, iface));
    if (typeof s === 'string') return s;
    this.socket = s;
    return undefined;
  }

  /** Stops: closes the port and forgets every lease (they were in memory). */
  stop(): void {
    this.socket?.close();
    this.socket = undefined;
    for (const a of [...this.bindings.keys()]) this.forget(a);
  }

  private get now(): number {
    return this.host.kernel.now;
  }

  private poolFor(addr: Ipv4): DhcpPool | undefined {
    return this.pools.find((p) => inSubnet(addr, p.subnet.network, p.subnet.prefix));
  }

  private live(a: Ipv4): Binding | undefined {
    const b = this.bindings.get(a);
    if (b && b.expires <= this.now) {
      this.forget(a);
      return undefined;
    }
    return b;
  }

  private forget(a: Ipv4): void {
    const b = this.bindings.get(a);
    if (!b) return;
    this.bindings.delete(a);
    if (b.state === 'leased') this.host.state(`lease ${formatIpv4(a)}`, '');
  }

  private bindingOf(pool: DhcpPool, chaddr: number): Binding | undefined {
    for (const [a, b] of this.bindings) if (b.chaddr === chaddr && inSubnet(a, pool.subnet.network, pool.subnet.prefix) && this.live(a)) return b;
    return undefined;
  }

  private inRange(pool: DhcpPool, a: Ipv4): boolean {
    return a >= pool.first && a <= pool.last;
  }

  /** RFC 2131 §4.3.1: the client's current or previous address, the one it asked for if free, else the lowest free. */
  private choose(pool: DhcpPool, chaddr: number, requested: Ipv4 | undefined): Ipv4 | undefined {
    const mine = this.bindingOf(pool, chaddr);
    if (mine) return mine.address;
    if (requested !== undefined && this.inRange(pool, requested) && !this.live(requested)) return requested;
    for (let a = pool.first; a <= pool.last; a++) if (!this.live(a)) return a;
    return undefined;
  }

  private onMessage(data: Uint8Array, arrivedOn: Ipv4): void {
    const d = decodeDhcp(data);
    if (!d.ok || d.value.op !== BOOTREQUEST) return;
    const m = d.value;
    const key = m.giaddr || m.ciaddr || arrivedOn;
    const pool = this.poolFor(key);
    if (!pool) {
      this.host.log(`dhcpd: ${dhcpLogName(m.options.type)} from ${formatMac(m.chaddr)}: no subnet declared for ${formatIpv4(key)}`);
      return;
    }
    const serverId = m.giaddr ? (this.host.sourceFor(m.giaddr) ?? arrivedOn) : arrivedOn;
    const via = m.giaddr ? ` via ${formatIpv4(m.giaddr)}` : '';
    if (m.options.type === DhcpType.Discover) this.discover(m, pool, serverId, via);
    else if (m.options.type === DhcpType.Request) this.request(m, pool, serverId, via);
  }

  private discover(m: DhcpMessage, pool: DhcpPool, serverId: Ipv4, via: string): void {
    this.host.log(`dhcpd: DHCPDISCOVER from ${formatMac(m.chaddr)}${via}`);
    const a = this.choose(pool, m.chaddr, m.options.requestedIp);
    if (a === undefined) {
      this.host.log(`dhcpd: DHCPDISCOVER from ${formatMac(m.chaddr)}${via}: network ${formatIpv4(pool.subnet.network)}/${pool.subnet.prefix}: no free leases`);
      return;
    }
    const b = this.bindings.get(a);
    if (!b || b.state === 'offered') this.bindings.set(a, { address: a, chaddr: m.chaddr, state: 'offered', expires: this.now + OFFER_HOLD_NS });
    this.reply(m, DhcpType.Offer, a, pool, serverId);
    this.host.log(`dhcpd: DHCPOFFER on ${formatIpv4(a)} to ${formatMac(m.chaddr)}${via}`);
  }

  private request(m: DhcpMessage, pool: DhcpPool, serverId: Ipv4, via: string): void {
    const o = m.options;
    const selecting = o.serverId !== undefined;
    const asked = o.requestedIp ?? m.ciaddr;
    this.host.log(`dhcpd: DHCPREQUEST for ${formatIpv4(asked)}${selecting ? ` (${formatIpv4(o.serverId!)})` : ''} from ${formatMac(m.chaddr)}${via}`);
    if (selecting && o.serverId !== serverId) {
      // The client took another server's offer: release ours (§4.3.2).
      const b = this.live(asked);
      if (b && b.chaddr === m.chaddr && b.state === 'offered') this.forget(asked);
      return;
    }
    const nak = (why: string) => {
      this.reply(m, DhcpType.Nak, 0, pool, serverId, why);
      this.host.log(`dhcpd: DHCPNAK on ${formatIpv4(asked)} to ${formatMac(m.chaddr)}${via} (${why})`);
    };
    if (!inSubnet(asked, pool.subnet.network, pool.subnet.prefix)) return nak('wrong network');
    const b = this.live(asked);
    if (b && b.chaddr !== m.chaddr) return nak('address in use by another client');
    if (!b) {
      if (!selecting && o.requestedIp !== undefined) return; // INIT-REBOOT with no record: stay silent
      if (selecting || !this.inRange(pool, asked)) return nak('no such offer');
      return nak('lease unknown');
    }
    b.state = 'leased';
    b.expires = this.now + pool.leaseSeconds * S;
    this.host.state(`lease ${formatIpv4(asked)}`, formatMac(m.chaddr));
    this.host.kernel.after(pool.leaseSeconds * S, () => this.live(asked));
    this.reply(m, DhcpType.Ack, asked, pool, serverId);
    this.host.log(`dhcpd: DHCPACK on ${formatIpv4(asked)} to ${formatMac(m.chaddr)}${via}`);
  }

  private reply(m: DhcpMessage, type: DhcpType, yiaddr: Ipv4, pool: DhcpPool, serverId: Ipv4, message?: string): void {
    const options: DhcpOptions =
      type === DhcpType.Nak
        ? { type, serverId, message }
        : {
            type,
            serverId,
            leaseTime: pool.leaseSeconds,
            renewalTime: Math.floor(pool.leaseSeconds / 2),
            rebindingTime: Math.floor((pool.leaseSeconds * 7) / 8),
            subnetMask: prefixToMask(pool.subnet.prefix),
            routers: pool.routers,
            dns: pool.dns,
          };
    const out: DhcpMessage = {
      op: BOOTREPLY,
      hops: 0,
      xid: m.xid,
      secs: 0,
      flags: m.flags,
      ciaddr: type === DhcpType.Nak ? 0 : m.ciaddr,
      yiaddr,
      siaddr: 0,
      giaddr: m.giaddr,
      chaddr: m.chaddr,
      options,
    };
    const bytes = encodeDhcp(out);
    if (m.giaddr) this.socket?.send(m.giaddr, DHCP_SERVER_PORT, bytes);
    else if (m.ciaddr && type !== DhcpType.Nak) this.socket?.send(m.ciaddr, DHCP_CLIENT_PORT, bytes);
    else this.socket?.send(BROADCAST_IPV4, DHCP_CLIENT_PORT, bytes, { src: serverId });
  }
}
