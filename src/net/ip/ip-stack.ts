/**
 * An IPv4 stack as hosts and routers run it: interfaces with addresses, a routing table with
 * longest-prefix match, ARP, fragmentation and reassembly, delivery to the registered protocols
 * above IP, and (on routers) forwarding with TTL decrement and a fresh layer-2 header at each hop.
 *
 * Path-MTU discovery (RFC 1191): ICMP "fragmentation needed" lowers a per-destination estimate in
 * a {@link PathMtuCache} (Linux's route exceptions) that ages out after 10 minutes; packets this host
 * sends are sized, refused or fragmented against that path MTU as their DF mode asks.
 *
 * Simplifications, stated: no IP options; no ICMP rate limiting; no redirects. ICMP errors about a
 * packet in transit come, as in Linux, from the address of the interface the error leaves by (a route
 * lookup back to the sender), errors about a packet addressed to this host from that address. The
 * path-MTU cache is per destination address only (no per-TOS or per-source entries), and routers
 * forward by their interface MTU alone; no PLPMTUD (RFC 4821/8899) probing.
 */
import { ARP_BYTES, ARP_REPLY, ARP_REQUEST, checkArp, readArp, writeArp, type ArpPacket } from '../../protocols/arp/arp';
import { BROADCAST_IPV4, BROADCAST_MAC, formatIpv4, formatMac, readMac, type Cidr } from '../../protocols/addr';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, ETHERTYPE_IPV4, readEtherType, writeEthernet } from '../../protocols/ethernet/ethernet';
import { ICMP_DEST_UNREACHABLE, ICMP_TIME_EXCEEDED, type IcmpService } from '../../protocols/icmp/icmp-service';
import { TIME_EXCEEDED_TTL, UNREACH_FRAG_NEEDED, UNREACH_HOST, UNREACH_NET, UNREACH_PROTOCOL } from '../../protocols/icmp/icmp';
import { fragmentPacket } from '../../protocols/ipv4/fragment';
import {
  decrementTtl,
  IP_PROTO_ICMP,
  IPV4_HEADER_BYTES,
  isIpv4Fragment,
  readIpv4Dst,
  readIpv4Header,
  readIpv4Id,
  readIpv4Protocol,
  readIpv4Src,
  readIpv4TotalLength,
  readIpv4Ttl,
  verifyIpv4Checksum,
  writeIpv4Fields,
  writeIpv4Header,
  type Ipv4Header,
} from '../../protocols/ipv4/ipv4';
import { Reassembler } from '../../protocols/ipv4/reassembly';
import { transportKinds, type IncomingPacket, type IpHost, type OutgoingPacket, type Transport } from '../../protocols/transport';
import { ByteSlab } from '../../sim/byte-slab';
import type { LaneId } from '../../sim/kernel';
import type { RngStream } from '../../sim/rng';
import { Place, sharedBytes, type SharedBytes } from '../../sim/trace';
import type { Device } from '../device';
import type { Frame } from '../frame';
import type { Nic } from '../nic';
import { ARP_ATTEMPTS, ARP_PENDING_LIMIT, ARP_RETRY_NS, ArpTable, type Resolution } from './arp-table';
import { PathMtuCache, pathMtuStateKey } from './path-mtu-cache';
import { RoutingTable } from './routing-table';

const DEFAULT_TTL = 64;

/** An interface with an IPv4 address (0.0.0.0/32 while it has none, e.g. before a DHCP lease). */
export interface IpInterface {
  readonly nic: Nic;
  /** Changed only through {@link IpStack.setInterfaceAddress}. */
  cidr: Cidr;
  /** MTU set on the interface itself; the link's MTU applies when smaller or when absent. */
  readonly mtu?: number;
}

/**
 * Network address translation at the edge of the stack (a NAT router): it sees packets as they arrive,
 * before the routing decision, and packets being forwarded, after it.
 */
export interface PacketTranslator {
  /**
   * A packet arrived on interface `ingress`. Returns the packet to forward instead (its destination
   * rewritten), a reason to drop it, or undefined to handle it as usual.
   */
  inbound(ingress: number, frame: Frame): Frame | string | undefined;
  /**
   * A packet from `ingress` is being forwarded out of `egress`; `head` is its fresh copy (Ethernet
   * space, then the IPv4 header with the TTL already lowered). Returns the packet to send, a reason
   * to drop it, or undefined to send it unchanged.
   */
  outbound(ingress: number, egress: number, head: Uint8Array, body: SharedBytes): Frame | string | undefined;
}

export class IpStack implements IpHost {
  readonly interfaces: IpInterface[] = [];
  readonly routes = new RoutingTable();
  readonly arp = new ArpTable();
  private readonly transports = new Map<number, Transport>();
  /** The same, indexed by protocol number (a lookup per delivered packet). */
  private readonly transportOf: (Transport | undefined)[] = [];
  private reassembler = new Reassembler();
  /** Path MTUs learned from ICMP "fragmentation needed", per destination. */
  readonly pmtu: PathMtuCache;
  private ipId: number;
  private readonly ethScratch = { dst: 0, src: 0, etherType: ETHERTYPE_IPV4 };
  private readonly arpScratch: ArpPacket = { op: 1, senderMac: 0, senderIp: 0, targetMac: 0, targetIp: 0 };
  /** Where the heads of sent packets are cut from. */
  private readonly heads = new ByteSlab();
  /** The NAT, on a router that translates. */
  translator: PacketTranslator | undefined;
  /** ARP retry timers all wait ARP_RETRY_NS: a kernel lane keeps thousands of them cheap. */
  private arpLaneId = -1;

  constructor(
    readonly device: Device,
    /** Routers forward packets not addressed to them; hosts drop them. */
    readonly forwarding: boolean,
  ) {
    this.ipId = this.rng('ip-id').int(0x10000);
    this.pmtu = new PathMtuCache(device.ctx.kernel, (dst, value) => this.state(pathMtuStateKey(formatIpv4(dst)), value));
    for (const kind of transportKinds()) {
      const t = kind.create(this);
      this.transports.set(kind.protocol, t);
      this.transportOf[kind.protocol] = t;
    }
  }

  // ----- IpHost -----

  get name(): string {
    return this.device.name;
  }
  get kernel() {
    return this.device.ctx.kernel;
  }
  get isUp(): boolean {
    return this.device.isUp;
  }
  get addresses(): readonly number[] {
    return this.ownAddresses;
  }
  private ownAddresses: number[] = [];
  /** Interface index by the NIC's position on the device, so a frame finds its interface without a search. */
  private readonly ifaceOfNic: number[] = [];
  rng(purpose: string): RngStream {
    return this.device.ctx.rng.stream(`${this.device.name}:${purpose}`);
  }
  transport<T extends Transport>(protocol: number): T | undefined {
    return this.transports.get(protocol) as T | undefined;
  }
  log(text: string): void {
    this.device.log(text);
  }
  state(key: string, value: string): void {
    this.device.state(key, value);
  }

  /** Records that a packet was dropped at this host (a protocol refusing it). */
  dropPacket(reason: string, packetId: number): void {
    const t = this.device.ctx.now;
    this.device.ctx.trace.drop({ time: t, place: this.device.nodeId, dir: Place.Node, reason, packetId });
  }

  sourceFor(dst: number): number | undefined {
    if (this.addresses.includes(dst)) return dst;
    const r = this.routes.lookup(dst);
    if (r) return this.interfaces[r.iface].cidr.addr;
    return dst === BROADCAST_IPV4 && this.interfaces.length > 0 ? this.interfaces[0].cidr.addr : undefined;
  }

  linkMtu(dst: number): number {
    const r = this.routes.lookup(dst);
    return r ? this.mtuOf(r.iface) : 1500;
  }

  pathMtu(dst: number): number {
    const link = this.linkMtu(dst);
    const cached = this.pmtu.get(dst);
    return cached !== undefined && cached < link ? cached : link;
  }

  learnPathMtu(dst: number, mtu: number): void {
    this.pmtu.lower(dst, mtu, this.pathMtu(dst));
  }

  // ----- configuration -----

  /** Gives `nic` an address and adds the connected route (none for 0.0.0.0: an interface waiting for an address). */
  addInterface(nic: Nic, cidr: Cidr, mtu?: number): void {
    const index = this.interfaces.length;
    this.interfaces.push({ nic, cidr, mtu });
    this.ifaceOfNic[nic.index] = index;
    this.setInterfaceAddress(index, cidr);
  }

  /**
   * Sets the address of interface `index` (0.0.0.0/32 takes it away), replacing its connected route;
   * taking the address away also removes the routes `origin` put through the interface (e.g. `dhcp`).
   */
  setInterfaceAddress(index: number, cidr: Cidr, origin?: string): void {
    const i = this.interfaces[index];
    this.routes.removeWhere((r) => r.iface === index && (r.origin === 'connected' || (cidr.addr === 0 && r.origin === origin)));
    i.cidr = cidr;
    this.ownAddresses = this.interfaces.map((x) => x.cidr.addr).filter((a) => a !== 0);
    if (cidr.addr !== 0) this.routes.add({ network: cidr.network, prefix: cidr.prefix, via: 0, iface: index, metric: 0, origin: 'connected' });
  }

  /** Adds a static route through a next hop (interface found by the connected routes) or a named interface. */
  addRoute(network: number, prefix: number, via: number, ifaceName?: string): void {
    let iface = -1;
    if (ifaceName) iface = this.interfaces.findIndex((i) => i.nic.name === ifaceName);
    else {
      const r = this.routes.lookup(via);
      if (r && r.via === 0) iface = r.iface;
    }
    if (iface < 0) throw new Error(`${this.name}: route to ${formatIpv4(network)}/${prefix}: no interface reaches ${ifaceName ?? formatIpv4(via)}`);
    this.routes.add({ network, prefix, via, iface, metric: 1, origin: 'static' });
  }

  /** Forgets learned and in-flight state (the device crashed). */
  reset(): void {
    for (const r of this.arp.pending.values()) if (r.timer) this.kernel.cancel(r.timer);
    this.arp.clear();
    this.reassembler = new Reassembler();
    this.pmtu.clear();
    for (const t of this.transports.values()) t.reset?.();
  }

  // ----- sending -----

  sendIp(p: OutgoingPacket): boolean {
    const route = this.routes.lookup(p.dst);
    const isBroadcast = p.dst === BROADCAST_IPV4;
    if (!route && !isBroadcast) return false; // the sending program reports it, as a socket error would
    // A limited broadcast from a given address leaves by that address's interface (as a socket bound
    // to the device would send it: DHCP clients, servers and relays).
    const bySrc = isBroadcast && p.src !== undefined ? this.interfaces.findIndex((i) => i.cidr.addr === p.src) : -1;
    const iface = bySrc >= 0 ? bySrc : route ? route.iface : 0;
    const src = p.src ?? this.interfaces[iface].cidr.addr;
    const totalLength = IPV4_HEADER_BYTES + p.payload.bytes.length;
    const id = this.nextIpId();
    const packetId = this.device.ctx.newPacketId();
    const loopback = this.addresses.includes(p.dst);
    const linkMtu = this.mtuOf(iface);
    const cached = this.pmtu.get(p.dst);
    const mtu = cached !== undefined && cached < linkMtu ? cached : linkMtu;
    if (!loopback && totalLength <= mtu) {
      // The usual packet: one frame, its IP header written straight into the frame head.
      const head = this.heads.take(ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES);
      const flags = p.dontFragment ? 0x4000 : 0;
      writeIpv4Fields(head, ETHERNET_HEADER_BYTES, p.tos ?? 0, totalLength, id, flags, p.ttl ?? DEFAULT_TTL, p.protocol, src, p.dst);
      this.output(iface, isBroadcast ? p.dst : route!.via || p.dst, head, p.payload, packetId);
      return true;
    }
    const header: Ipv4Header = {
      tos: p.tos ?? 0,
      totalLength,
      id,
      // IP_PMTUDISC_WANT: too big for the path, so fragmented here and sent without DF.
      dontFragment: p.dontFragment === true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: p.ttl ?? DEFAULT_TTL,
      protocol: p.protocol,
      checksum: 0,
      src,
      dst: p.dst,
    };
    if (loopback) {
      // Loopback: deliver on the next tick, never re-entrantly.
      const head = ipHead(header);
      this.kernel.after(0, () => this.deliverLocal(head, p.payload.bytes, packetId, -1));
      return true;
    }
    this.route(header, p.payload, packetId, iface, isBroadcast ? p.dst : route!.via || p.dst, -1, mtu);
    return true;
  }

  private get arpLane(): LaneId {
    if (this.arpLaneId < 0) this.arpLaneId = this.kernel.lane();
    return this.arpLaneId;
  }

  private nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** Sends a packet out of `iface` towards `nextHop`, fragmenting when it exceeds `mtu` (the interface's by default). */
  private route(h: Ipv4Header, body: SharedBytes, packetId: number, iface: number, nextHop: number, ingress: number, mtu = this.mtuOf(iface)): void {
    if (h.totalLength <= mtu) {
      this.output(iface, nextHop, ipHead(h), body, packetId);
      return;
    }
    const pieces = fragmentPacket(h, body.bytes, mtu);
    if (!Array.isArray(pieces)) {
      if (pieces.error !== 'dont-fragment') {
        this.dropPacket(pieces.message, packetId);
        return;
      }
      // DF set and too big: tell the sender the MTU (RFC 1191).
      this.dropPacket(`needs fragmentation but DF set (MTU ${mtu})`, packetId);
      if (ingress >= 0 || !this.addresses.includes(h.src)) {
        this.icmp()?.sendError(ICMP_DEST_UNREACHABLE, UNREACH_FRAG_NEEDED, quote(ipHead(h), body.bytes), h.src, this.errorSource(h.src, ingress), mtu);
      } else {
        this.transports.get(h.protocol)?.icmpError?.({
          from: h.src,
          type: ICMP_DEST_UNREACHABLE,
          code: UNREACH_FRAG_NEEDED,
          original: { src: h.src, dst: h.dst, protocol: h.protocol, id: h.id, payload8: body.bytes.subarray(0, 8) },
          mtu,
        });
      }
      return;
    }
    for (const piece of pieces) this.output(iface, nextHop, ipHead(piece.header), sharedBytes(piece.payload), packetId);
  }

  private mtuOf(iface: number): number {
    const i = this.interfaces[iface];
    const link = i.nic.attachment ? i.nic.attachment.mtu : 1500;
    return i.mtu !== undefined && i.mtu < link ? i.mtu : link;
  }

  /**
   * Puts an IP packet in an Ethernet frame to `nextHop`, resolving its MAC with ARP first. `head` is
   * a fresh buffer owned by this packet: Ethernet space, then the IP header at byte 14.
   */
  private output(iface: number, nextHop: number, head: Uint8Array, body: SharedBytes, packetId: number): void {
    const now = this.device.ctx.now;
    const cidr = this.interfaces[iface].cidr;
    const broadcast = nextHop === BROADCAST_IPV4 || (cidr.prefix < 31 && nextHop === cidr.broadcast);
    const mac = broadcast ? BROADCAST_MAC : this.arp.lookup(iface, nextHop, now);
    if (mac !== undefined) {
      this.emitIp(iface, mac, head, body, packetId);
      return;
    }
    let r = this.arp.resolution(iface, nextHop);
    if (!r) {
      r = this.arp.begin(iface, nextHop);
      this.arpAttempt(r);
    }
    if (r.queue.length >= ARP_PENDING_LIMIT) {
      this.dropPacket(`ARP queue full waiting for ${formatIpv4(nextHop)}`, packetId);
      return;
    }
    r.queue.push({ head, body, packetId });
  }

  private emitIp(iface: number, dstMac: number, head: Uint8Array, body: SharedBytes, packetId: number): void {
    const nic = this.interfaces[iface].nic;
    this.ethScratch.dst = dstMac;
    this.ethScratch.src = nic.mac;
    writeEthernet(head, 0, this.ethScratch);
    nic.send({ head, body, packetId });
  }

  private arpAttempt(r: Resolution): void {
    r.attempts++;
    const { nic, cidr } = this.interfaces[r.iface];
    this.sendArp(nic, { op: ARP_REQUEST, senderMac: nic.mac, senderIp: cidr.addr, targetMac: 0, targetIp: r.ip }, BROADCAST_MAC);
    r.timer = this.kernel.afterInLane(this.arpLane, ARP_RETRY_NS, this.arpTimeout, r);
  }

  private readonly arpTimeout = (r: Resolution): void => {
    r.timer = 0;
    if (r.attempts < ARP_ATTEMPTS) {
      this.arpAttempt(r);
      return;
    }
    this.arp.end(r);
    this.state(`arp ${formatIpv4(r.ip)}`, 'FAILED');
    for (const p of r.queue) {
      this.dropPacket(`ARP: no reply from ${formatIpv4(r.ip)} after ${ARP_ATTEMPTS} requests`, p.packetId);
      const ip = ETHERNET_HEADER_BYTES;
      const src = readIpv4Src(p.head, ip);
      if (this.addresses.includes(src)) {
        this.transports.get(readIpv4Protocol(p.head, ip))?.icmpError?.({
          from: src,
          type: ICMP_DEST_UNREACHABLE,
          code: UNREACH_HOST,
          original: {
            src,
            dst: readIpv4Dst(p.head, ip),
            protocol: readIpv4Protocol(p.head, ip),
            id: readIpv4Id(p.head, ip),
            payload8: p.body.bytes.subarray(0, 8),
          },
          mtu: 0,
        });
      } else {
        this.icmp()?.sendError(ICMP_DEST_UNREACHABLE, UNREACH_HOST, quote(p.head, p.body.bytes), src, this.errorSource(src, -1), 0);
      }
    }
  };

  private sendArp(nic: Nic, p: ArpPacket, dstMac: number): void {
    const head = new Uint8Array(ETHERNET_HEADER_BYTES + ARP_BYTES);
    writeEthernet(head, 0, { dst: dstMac, src: nic.mac, etherType: ETHERTYPE_ARP });
    writeArp(head, ETHERNET_HEADER_BYTES, p);
    nic.send({ head, body: null, packetId: this.device.ctx.newPacketId() });
  }

  // ----- receiving -----

  /** Handles a frame from one of the device's interfaces. */
  onFrame(nic: Nic, frame: Frame): void {
    const head = frame.head;
    const dstMac = readMac(head, 0);
    if (dstMac !== nic.mac && dstMac !== BROADCAST_MAC) return; // not for us: the NIC filters it
    const iface = this.ifaceOfNic[nic.index];
    if (iface === undefined || this.interfaces[iface].nic !== nic) return;
    const etherType = readEtherType(head, 0);
    if (etherType === ETHERTYPE_ARP) this.onArp(iface, head);
    else if (etherType === ETHERTYPE_IPV4) this.onIp(iface, frame);
  }

  private onArp(iface: number, head: Uint8Array): void {
    if (checkArp(head, ETHERNET_HEADER_BYTES) !== undefined) return;
    const p = readArp(head, ETHERNET_HEADER_BYTES, this.arpScratch);
    const now = this.device.ctx.now;
    const { nic, cidr } = this.interfaces[iface];
    const forMe = p.targetIp === cidr.addr;
    // RFC 826: update a known sender; add it when the request is for us.
    if (forMe || this.arp.has(iface, p.senderIp)) {
      if (this.arp.learn(iface, p.senderIp, p.senderMac, now)) this.state(`arp ${formatIpv4(p.senderIp)}`, formatMac(p.senderMac));
      const r = this.arp.resolution(iface, p.senderIp);
      if (r) {
        if (r.timer) this.kernel.cancel(r.timer);
        this.arp.end(r);
        for (const q of r.queue) this.emitIp(iface, p.senderMac, q.head, q.body, q.packetId);
      }
    }
    if (forMe && p.op === ARP_REQUEST) {
      this.sendArp(nic, { op: ARP_REPLY, senderMac: nic.mac, senderIp: cidr.addr, targetMac: p.senderMac, targetIp: p.senderIp }, p.senderMac);
    }
  }

  private onIp(iface: number, frame: Frame): void {
    const head = frame.head;
    const off = ETHERNET_HEADER_BYTES;
    if (head.length < off + IPV4_HEADER_BYTES || !verifyIpv4Checksum(head, off)) {
      this.dropPacket('bad IPv4 header checksum', frame.packetId);
      return;
    }
    if (this.translator) {
      const t = this.translator.inbound(iface, frame);
      if (typeof t === 'string') {
        this.dropPacket(t, frame.packetId);
        return;
      }
      if (t) {
        this.forward(iface, t);
        return;
      }
    }
    const dst = readIpv4Dst(head, off);
    const cidr = this.interfaces[iface].cidr;
    if (this.ownAddresses.includes(dst) || dst === BROADCAST_IPV4 || (cidr.prefix < 31 && dst === cidr.broadcast)) {
      this.deliverLocal(head, frame.body ? frame.body.bytes : EMPTY, frame.packetId, iface);
      return;
    }
    if (!this.forwarding) {
      this.dropPacket(`not addressed to ${this.name} (${formatIpv4(dst)}) and forwarding is off`, frame.packetId);
      return;
    }
    this.forward(iface, frame);
  }

  private forward(ingress: number, frame: Frame): void {
    const ip = ETHERNET_HEADER_BYTES;
    const head = frame.head;
    const dst = readIpv4Dst(head, ip);
    const src = readIpv4Src(head, ip);
    const body = frame.body ?? EMPTY_SHARED;
    // As in Linux, the routing decision comes before the TTL check.
    const route = this.routes.lookup(dst);
    if (!route) {
      this.dropPacket(`no route to ${formatIpv4(dst)}`, frame.packetId);
      this.icmp()?.sendError(ICMP_DEST_UNREACHABLE, UNREACH_NET, quote(head, body.bytes), src, this.errorSource(src, ingress), 0);
      return;
    }
    if (readIpv4Ttl(head, ip) <= 1) {
      this.dropPacket(`TTL expired in transit to ${formatIpv4(dst)}`, frame.packetId);
      this.icmp()?.sendError(ICMP_TIME_EXCEEDED, TIME_EXCEEDED_TTL, quote(head, body.bytes), src, this.errorSource(src, ingress), 0);
      return;
    }
    // A fresh head for the next hop: the same IP header with TTL - 1; Ethernet is written on output.
    let next: Uint8Array = head.slice(0, ip + IPV4_HEADER_BYTES);
    let nextBody = body;
    decrementTtl(next, ip);
    if (this.translator) {
      const t = this.translator.outbound(ingress, route.iface, next, body);
      if (typeof t === 'string') {
        this.dropPacket(t, frame.packetId);
        return;
      }
      if (t) {
        next = t.head;
        nextBody = t.body ?? EMPTY_SHARED;
      }
    }
    if (readIpv4TotalLength(next, ip) > this.mtuOf(route.iface)) {
      this.route(readIpv4Header(next, ip), nextBody, frame.packetId, route.iface, route.via || dst, ingress);
      return;
    }
    this.output(route.iface, route.via || dst, next, nextBody, frame.packetId);
  }

  /** Hands a packet addressed to this host to its protocol. `head` has the IP header at byte 14. */
  private deliverLocal(head: Uint8Array, body: Uint8Array, packetId: number, ingress: number): void {
    const ip = ETHERNET_HEADER_BYTES;
    let payload = body;
    // More-fragments flag or a fragment offset: a piece to reassemble.
    if (isIpv4Fragment(head, ip)) {
      for (const lost of this.reassembler.expire(this.device.ctx.now)) {
        this.dropPacket(`fragment reassembly time exceeded (IP id ${lost.id})`, packetId);
      }
      const whole = this.reassembler.add(readIpv4Header(head, ip), body, this.device.ctx.now);
      if (!whole) return;
      payload = whole;
    }
    const protocol = readIpv4Protocol(head, ip);
    const src = readIpv4Src(head, ip);
    const t = this.transportOf[protocol];
    const arrivedOn = ingress >= 0 ? this.interfaces[ingress].cidr.addr : undefined;
    const packet = new DeliveredPacket(src, readIpv4Dst(head, ip), protocol, readIpv4Ttl(head, ip), payload, head, packetId, arrivedOn);
    if (!t) {
      this.dropPacket(`protocol ${protocol} not supported`, packetId);
      const dst = packet.dst;
      this.icmp()?.sendError(
        ICMP_DEST_UNREACHABLE,
        UNREACH_PROTOCOL,
        packet.quote,
        src,
        this.ownAddresses.includes(dst) ? dst : this.errorSource(src, ingress),
        0,
      );
      return;
    }
    t.receive(packet);
  }

  /**
   * The address an ICMP error to `to` comes from, as Linux's icmp_send picks it (with
   * icmp_errors_use_inbound_ifaddr = 0): the address of the interface the error leaves by, found by
   * a route lookup back to the sender; the ingress interface's when there is no such route.
   */
  private errorSource(to: number, ingress: number): number {
    const r = this.routes.lookup(to);
    return this.interfaces[r ? r.iface : ingress >= 0 ? ingress : 0].cidr.addr;
  }

  private icmp(): IcmpService | undefined {
    return this.transports.get(IP_PROTO_ICMP) as IcmpService | undefined;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_SHARED = sharedBytes(EMPTY);

/** A fresh frame head for an IP packet: 14 bytes for Ethernet, then the IP header. */
function ipHead(h: Ipv4Header): Uint8Array {
  const head = new Uint8Array(ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES);
  writeIpv4Header(head, ETHERNET_HEADER_BYTES, h);
  return head;
}

/** What an ICMP error quotes (RFC 792): the IP header at byte 14 of `head` plus 8 payload bytes. */
function quote(head: Uint8Array, payload: Uint8Array): Uint8Array {
  const q = new Uint8Array(IPV4_HEADER_BYTES + Math.min(8, payload.length));
  q.set(head.subarray(ETHERNET_HEADER_BYTES, ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES), 0);
  q.set(payload.subarray(0, 8), IPV4_HEADER_BYTES);
  return q;
}

/** A packet handed to a protocol. Its ICMP quote is built only if someone asks (rarely: errors). */
class DeliveredPacket implements IncomingPacket {
  private quoted: Uint8Array | null = null;

  constructor(
    readonly src: number,
    readonly dst: number,
    readonly protocol: number,
    readonly ttl: number,
    readonly payload: Uint8Array,
    private readonly head: Uint8Array,
    readonly packetId: number,
    readonly arrivedOn: number | undefined,
  ) {}

  get quote(): Uint8Array {
    if (!this.quoted) this.quoted = quote(this.head, this.payload);
    return this.quoted;
  }
}
