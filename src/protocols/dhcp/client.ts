/**
 * A DHCP client (RFC 2131 §4.4, the state diagram of figure 5), printing what ISC dhclient prints:
 * INIT sends DISCOVER; SELECTING takes the first OFFER and REQUESTs it; REQUESTING binds on ACK;
 * BOUND renews at T1 with a unicast REQUEST to the server (RENEWING), rebinds at T2 with a broadcast
 * REQUEST (REBINDING), and starts over on a NAK or when the lease expires.
 *
 * Simplifications, stated: retransmissions wait 4 s, 8 s, 16 s, 32 s then 64 s (RFC 2131 §4.1)
 * without the ±1 s randomisation; after four unanswered REQUESTs in REQUESTING the client starts over
 * with a DISCOVER; in RENEWING and REBINDING it retransmits after half the time left to T2 (or to the
 * lease's end), at least 60 s, as §4.4.5 says. There is no ARP check of the offered address
 * (no DECLINE), no RELEASE, and no INIT-REBOOT (a restarted host starts from INIT). The first
 * DISCOVER leaves at boot, without §4.4.1's random wait of 1 to 10 seconds.
 */
import { BROADCAST_IPV4, formatIpv4, type Ipv4 } from '../addr';
import { IP_PROTO_UDP } from '../ipv4/ipv4';
import type { IpHost } from '../transport';
import type { UdpService, UdpSocket } from '../udp/udp-service';
import type { TimerId } from '../../sim/kernel';
import {
  BOOTREQUEST,
  BOOTREPLY,
  decodeDhcp,
  DHCP_CLIENT_PORT,
  DHCP_FLAG_BROADCAST,
  DHCP_SERVER_PORT,
  DhcpOption,
  DhcpType,
  encodeDhcp,
  type DhcpMessage,
  type DhcpOptions,
} from './dhcp';

const S = 1e9;

/** What a lease gives the host. */
export interface DhcpLease {
  readonly address: Ipv4;
  /** Prefix length from the subnet mask (option 1). */
  readonly prefix: number;
  readonly routers: readonly Ipv4[];
  readonly dns: readonly Ipv4[];
  readonly server: Ipv4;
  /** Lease time, seconds. */
  readonly leaseSeconds: number;
}

/** How the client changes its host's configuration. */
export interface DhcpClientTarget {
  /** Interface name, e.g. `eth0` (for the log lines). */
  readonly ifName: string;
  /** The interface's MAC (chaddr). */
  readonly mac: number;
  /** Configure the interface, gateway and resolvers from a new or renewed lease. */
  bind(lease: DhcpLease, renewed: boolean): void;
  /** Take the address away (the lease expired or was refused). */
  unbind(): void;
}

/** RFC 2131 client states. */
export type DhcpClientState = 'INIT' | 'SELECTING' | 'REQUESTING' | 'BOUND' | 'RENEWING' | 'REBINDING';

/** The options a client asks for (option 55): subnet mask, router, DNS, lease, T1, T2. */
const PARAMETERS = [
  DhcpOption.SubnetMask,
  DhcpOption.Router,
  DhcpOption.DomainNameServer,
  DhcpOption.LeaseTime,
  DhcpOption.RenewalTime,
  DhcpOption.RebindingTime,
];
/** REQUESTs in REQUESTING before starting over (see the stated simplifications). */
const REQUEST_ATTEMPTS = 4;

function prefixOfMask(mask: number): number {
  let n = 0;
  while (n < 32 && (mask & (0x80000000 >>> n)) !== 0) n++;
  return n;
}

/** A DHCP client for one interface. */
export class DhcpClient {
  state: DhcpClientState = 'INIT';
  private socket: UdpSocket | undefined;
  private xid = 0;
  private started = 0;
  private timer: TimerId | undefined;
  private attempts = 0;
  private offer: DhcpMessage | undefined;
  private lease: DhcpLease | undefined;
  private boundAt = 0;
  private readonly leaseTimers: TimerId[] = [];
  private readonly rng;

  constructor(
    private readonly host: IpHost,
    private readonly target: DhcpClientTarget,
  ) {
    this.rng = host.rng('dhcp:xid');
  }

  /** The lease held, if bound (or renewing). */
  get current(): DhcpLease | undefined {
    return this.lease;
  }

  /** Starts at INIT (boot); returns an error text if port 68 is taken. */
  start(): string | undefined {
    const udp = this.host.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(DHCP_CLIENT_PORT, { onMessage: (m) => this.onMessage(m.data) });
    if (!s || typeof s === 'string') return s ?? 'no UDP';
    this.socket = s;
    this.init();
    return undefined;
  }

  /** Stops (host crash): closes the socket and cancels the timers, keeping no lease. */
  stop(): void {
    this.cancelTimer();
    this.clearLeaseTimers();
    this.socket?.close();
    this.socket = undefined;
    this.lease = undefined;
  }

  private setState(s: DhcpClientState): void {
    this.state = s;
    this.host.state('dhcp', s === 'BOUND' && this.lease ? `BOUND ${formatIpv4(this.lease.address)}/${this.lease.prefix}` : s);
  }

  private get now(): number {
    return this.host.kernel.now;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.host.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private clearLeaseTimers(): void {
    for (const t of this.leaseTimers) this.host.kernel.cancel(t);
    this.leaseTimers.length = 0;
  }

  private message(type: DhcpType, ciaddr: Ipv4, options: Omit<DhcpOptions, 'type'>): DhcpMessage {
    const secs = Math.min(0xffff, Math.floor((this.now - this.started) / S));
    return {
      op: BOOTREQUEST,
      hops: 0,
      xid: this.xid,
      secs,
      flags: ciaddr === 0 ? DHCP_FLAG_BROADCAST : 0,
      ciaddr,
      yiaddr: 0,
      siaddr: 0,
      giaddr: 0,
      chaddr: this.target.mac,
      options: { type, ...options },
    };
  }

  private send(m: DhcpMessage, dst: Ipv4): void {
    this.socket?.send(dst, DHCP_SERVER_PORT, encodeDhcp(m), { src: m.ciaddr });
  }

  /** Backoff of the `n`th retransmission (1-based): 4, 8, 16, 32, 64, 64... seconds. */
  private static backoff(n: number): number {
    return Math.min(64, 4 * 2 ** (n - 1)) * S;
  }

  // ----- INIT / SELECTING -----

  private init(): void {
    this.cancelTimer();
    this.offer = undefined;
    this.xid = this.rng.int(0x1_0000_0000);
    this.started = this.now;
    this.attempts = 0;
    this.setState('SELECTING');
    this.discover();
  }

  private discover(): void {
    this.attempts++;
    const interval = DhcpClient.backoff(this.attempts);
    this.send(this.message(DhcpType.Discover, 0, { parameterList: PARAMETERS }), BROADCAST_IPV4);
    this.host.log(`DHCPDISCOVER on ${this.target.ifName} to 255.255.255.255 port ${DHCP_SERVER_PORT} interval ${interval / S}`);
    this.timer = this.host.kernel.after(interval, () => {
      this.timer = undefined;
      this.discover();
    });
  }

  // ----- REQUESTING -----

  private request(): void {
    const o = this.offer!;
    this.attempts++;
    if (this.attempts > REQUEST_ATTEMPTS) {
      this.init();
      return;
    }
    this.send(this.message(DhcpType.Request, 0, { serverId: o.options.serverId, requestedIp: o.yiaddr, parameterList: PARAMETERS }), BROADCAST_IPV4);
    this.host.log(`DHCPREQUEST for ${formatIpv4(o.yiaddr)} on ${this.target.ifName} to 255.255.255.255 port ${DHCP_SERVER_PORT}`);
    this.timer = this.host.kernel.after(DhcpClient.backoff(this.attempts), () => {
      this.timer = undefined;
      this.request();
    });
  }

  // ----- receiving -----

  /** Handles a datagram on port 68. */
  onMessage(data: Uint8Array): void {
    const d = decodeDhcp(data);
    if (!d.ok) return;
    const m = d.value;
    if (m.op !== BOOTREPLY || m.xid !== this.xid || m.chaddr !== this.target.mac) return;
    const from = formatIpv4(m.options.serverId ?? 0);
    switch (m.options.type) {
      case DhcpType.Offer:
        if (this.state !== 'SELECTING') return;
        this.host.log(`DHCPOFFER of ${formatIpv4(m.yiaddr)} from ${from}`);
        this.cancelTimer();
        this.offer = m;
        this.attempts = 0;
        this.setState('REQUESTING');
        this.request();
        return;
      case DhcpType.Ack:
        if (this.state !== 'REQUESTING' && this.state !== 'RENEWING' && this.state !== 'REBINDING') return;
        this.host.log(`DHCPACK of ${formatIpv4(m.yiaddr)} from ${from}`);
        this.bind(m);
        return;
      case DhcpType.Nak:
        if (this.state !== 'REQUESTING' && this.state !== 'RENEWING' && this.state !== 'REBINDING') return;
        this.host.log(`DHCPNAK from ${from}${m.options.message ? ` (${m.options.message})` : ''}`);
        this.dropLease();
        this.init();
        return;
      default:
    }
  }

  // ----- BOUND / RENEWING / REBINDING -----

  private bind(m: DhcpMessage): void {
    this.cancelTimer();
    this.clearLeaseTimers();
    const o = m.options;
    const leaseSeconds = o.leaseTime ?? 0xffffffff;
    const renewed = this.lease !== undefined && this.lease.address === m.yiaddr;
    this.lease = {
      address: m.yiaddr,
      prefix: o.subnetMask !== undefined ? prefixOfMask(o.subnetMask) : 24,
      routers: o.routers ?? [],
      dns: o.dns ?? [],
      server: o.serverId ?? 0,
      leaseSeconds,
    };
    this.boundAt = this.now;
    // RFC 2131 §4.4.5: T1 defaults to half the lease, T2 to 0.875 of it.
    const t1 = (o.renewalTime ?? Math.floor(leaseSeconds / 2)) * S;
    const t2 = (o.rebindingTime ?? Math.floor((leaseSeconds * 7) / 8)) * S;
    this.host.log(`bound to ${formatIpv4(m.yiaddr)} -- renewal in ${t1 / S} seconds.`);
    this.setState('BOUND');
    this.target.bind(this.lease, renewed);
    if (leaseSeconds === 0xffffffff) return; // infinite lease
    const k = this.host.kernel;
    this.leaseTimers.push(
      k.after(t1, () => this.renew()),
      k.after(t2, () => this.rebind()),
      k.after(leaseSeconds * S, () => this.expire()),
    );
  }

  private renew(): void {
    if (!this.lease) return;
    this.xid = this.rng.int(0x1_0000_0000);
    this.started = this.now;
    this.setState('RENEWING');
    this.renewAttempt();
  }

  private renewAttempt(): void {
    const l = this.lease!;
    this.send(this.message(DhcpType.Request, l.address, { parameterList: PARAMETERS }), l.server);
    this.host.log(`DHCPREQUEST for ${formatIpv4(l.address)} on ${this.target.ifName} to ${formatIpv4(l.server)} port ${DHCP_SERVER_PORT}`);
    this.retryBefore(this.boundAt + Math.floor(((l.leaseSeconds * 7) / 8) * S), () => this.renewAttempt());
  }

  private rebind(): void {
    if (!this.lease) return;
    this.cancelTimer();
    this.setState('REBINDING');
    this.rebindAttempt();
  }

  private rebindAttempt(): void {
    const l = this.lease!;
    this.send(this.message(DhcpType.Request, l.address, { parameterList: PARAMETERS }), BROADCAST_IPV4);
    this.host.log(`DHCPREQUEST for ${formatIpv4(l.address)} on ${this.target.ifName} to 255.255.255.255 port ${DHCP_SERVER_PORT}`);
    this.retryBefore(this.boundAt + l.leaseSeconds * S, () => this.rebindAttempt());
  }

  /** RFC 2131 §4.4.5: retransmit after half the time left before `deadline`, at least 60 s, never past it. */
  private retryBefore(deadline: number, again: () => void): void {
    const left = deadline - this.now;
    const wait = Math.max(60 * S, Math.floor(left / 2));
    if (wait >= left) return; // the next state's timer comes first
    this.timer = this.host.kernel.after(wait, () => {
      this.timer = undefined;
      again();
    });
  }

  private expire(): void {
    if (!this.lease) return;
    this.host.log(`DHCP lease of ${formatIpv4(this.lease.address)} on ${this.target.ifName} expired`);
    this.dropLease();
    this.init();
  }

  private dropLease(): void {
    this.clearLeaseTimers();
    if (!this.lease) return;
    this.lease = undefined;
    this.target.unbind();
  }
}
