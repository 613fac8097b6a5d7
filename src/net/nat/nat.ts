/**
 * NAPT on a router (RFC 3022 §2.2, "traditional NAT" with port translation): packets from the
 * inside interfaces leaving by the outside one take the outside address as their source, and a
 * source port (TCP, UDP) or echo identifier (ICMP) from the translation table; replies to that
 * address and port are translated back. Port forwards are static entries, open to anyone.
 *
 * Behaviour in RFC 4787's terms: endpoint-independent mapping (REQ-1: one inside address and port
 * keep one outside port whatever they send to), port preservation when the port is free (else the
 * next free one above it, wrapping at 65535 to 1024), and address- and port-dependent filtering
 * (an inbound packet passes only from an address and port the inside endpoint has sent to, as Linux
 * conntrack does); a TCP or UDP packet to the outside address with no entry is dropped with the
 * reason (an ICMP echo reply with none is the router's own, and delivered to it).
 *
 * Entries go after an idle time per protocol (see {@link NAT_DEFAULT_TIMEOUTS}); every packet
 * through an entry restarts it. The table is published as state rows `nat <proto> <inside
 * address:port>` = `<outside address:port>`, removed when the entry goes.
 *
 * Simplifications, stated: TCP entries follow the idle timeout only (no shorter timeout after FIN
 * or RST, RFC 5382 REQ-5's transitory state); fragments are not translated (dropped); ICMP errors
 * are not translated (an outside error about a translated packet reaches the router, an inside one
 * is dropped); no hairpinning (inside hosts cannot reach each other through the outside address);
 * no ALGs (FTP's PORT and PASV addresses go untranslated); packets from outside addressed to an
 * inside address are routed as usual (no firewall beyond the NAT).
 */
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import { readU16 } from '../../protocols/bytes';
import { ETHERNET_HEADER_BYTES } from '../../protocols/ethernet/ethernet';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../../protocols/icmp/icmp';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, isIpv4Fragment, readIpv4Dst, readIpv4Protocol, readIpv4Src } from '../../protocols/ipv4/ipv4';
import type { Kernel, TimerId } from '../../sim/kernel';
import { sharedBytes, type SharedBytes } from '../../sim/trace';
import type { Frame } from '../frame';
import type { IpStack, PacketTranslator } from '../ip/ip-stack';
import type { NatConfig, NatForwardConfig, NatTimeouts } from './config';
import { rewritePacket } from './rewrite';

export { NAT_DEFAULT_TIMEOUTS } from './config';

const IP = ETHERNET_HEADER_BYTES;

const PROTO_NAMES: Record<number, string> = { [IP_PROTO_ICMP]: 'icmp', [IP_PROTO_TCP]: 'tcp', [IP_PROTO_UDP]: 'udp' };

/** One translation: inside address and port (or echo id) to the outside port. */
export interface NatEntry {
  readonly proto: number;
  readonly inAddr: number;
  readonly inPort: number;
  readonly outPort: number;
  /** A port forward: never times out, open to every remote endpoint. */
  readonly forward: boolean;
  /** Remote endpoints (`addr:port`, `addr` for ICMP) the inside endpoint has sent to. */
  readonly remotes: Set<string>;
  lastUsed: number;
  timer: TimerId | undefined;
}

/** Where state rows go and the clock comes from. */
export interface NatHost {
  readonly kernel: Kernel;
  state(key: string, value: string): void;
}

function endpoint(a: number, p: number): string {
  return `${formatIpv4(a)}:${p}`;
}

/** The translation table of one router, with its ageing and port allocation. */
export class NatTable {
  private readonly byInside = new Map<string, NatEntry>();
  private readonly byOutside = new Map<string, NatEntry>();

  constructor(
    private readonly host: NatHost,
    /** The outside address. */
    readonly outsideAddr: number,
    readonly timeouts: NatTimeouts,
  ) {}

  /** Entries in creation order. */
  entries(): NatEntry[] {
    return [...this.byInside.values()];
  }

  private static insideKey(proto: number, addr: number, port: number): string {
    return `${proto} ${addr}:${port}`;
  }

  private static outsideKey(proto: number, port: number): string {
    return `${proto} ${port}`;
  }

  private timeoutOf(proto: number): number {
    return proto === IP_PROTO_TCP ? this.timeouts.tcp : proto === IP_PROTO_UDP ? this.timeouts.udp : this.timeouts.icmp;
  }

  private publish(e: NatEntry, gone = false): void {
    const key = `nat ${PROTO_NAMES[e.proto]} ${endpoint(e.inAddr, e.inPort)}`;
    this.host.state(key, gone ? '' : `${endpoint(this.outsideAddr, e.outPort)}${e.forward ? ' (forward)' : ''}`);
  }

  /** Adds a port forward: outside `port` of `proto` goes to `inAddr:inPort`. */
  addForward(proto: number, port: number, inAddr: number, inPort: number): void {
    const e: NatEntry = { proto, inAddr, inPort, outPort: port, forward: true, remotes: new Set(), lastUsed: 0, timer: undefined };
    this.byInside.set(NatTable.insideKey(proto, inAddr, inPort), e);
    this.byOutside.set(NatTable.outsideKey(proto, port), e);
    this.publish(e);
  }

  /**
   * The outside port for `proto` from `inAddr:inPort`: the inside port itself when free (port
   * preservation), else the next free one above it, wrapping to 1024 (0 for ICMP identifiers).
   * Undefined when every port is taken.
   */
  allocatePort(proto: number, inPort: number): number | undefined {
    const low = proto === IP_PROTO_ICMP ? 0 : 1024;
    const span = 65536 - low;
    let p = inPort < low ? low : inPort;
    for (let i = 0; i < span; i++) {
      if (!this.byOutside.has(NatTable.outsideKey(proto, p))) return p;
      p = p === 65535 ? low : p + 1;
    }
    return undefined;
  }

  /** The entry for an outbound packet, made if needed (endpoint-independent: the remote does not matter). */
  outbound(proto: number, inAddr: number, inPort: number, remote: string): NatEntry | undefined {
    let e = this.byInside.get(NatTable.insideKey(proto, inAddr, inPort));
    if (!e) {
      const outPort = this.allocatePort(proto, inPort);
      if (outPort === undefined) return undefined;
      e = { proto, inAddr, inPort, outPort, forward: false, remotes: new Set(), lastUsed: 0, timer: undefined };
      this.byInside.set(NatTable.insideKey(proto, inAddr, inPort), e);
      this.byOutside.set(NatTable.outsideKey(proto, outPort), e);
      this.publish(e);
    }
    e.remotes.add(remote);
    this.touch(e);
    return e;
  }

  /** The entry an inbound packet to `outPort` from `remote` may use, or why not. */
  inbound(proto: number, outPort: number, remote: string): NatEntry | string {
    const e = this.byOutside.get(NatTable.outsideKey(proto, outPort));
    if (!e) return 'no entry';
    if (!e.forward && !e.remotes.has(remote)) return `filtered: ${endpoint(e.inAddr, e.inPort)} has not sent to ${remote}`;
    this.touch(e);
    return e;
  }

  private touch(e: NatEntry): void {
    if (e.forward) return;
    e.lastUsed = this.host.kernel.now;
    if (e.timer === undefined) this.arm(e, this.timeoutOf(e.proto));
  }

  private arm(e: NatEntry, delay: number): void {
    e.timer = this.host.kernel.after(delay, () => {
      e.timer = undefined;
      const idle = this.host.kernel.now - e.lastUsed;
      const timeout = this.timeoutOf(e.proto);
      if (idle < timeout) this.arm(e, timeout - idle);
      else this.remove(e);
    });
  }

  private remove(e: NatEntry): void {
    if (e.timer !== undefined) this.host.kernel.cancel(e.timer);
    this.byInside.delete(NatTable.insideKey(e.proto, e.inAddr, e.inPort));
    this.byOutside.delete(NatTable.outsideKey(e.proto, e.outPort));
    this.publish(e, true);
  }

  /** Forgets every dynamic entry (the router crashed); port forwards stay. */
  clear(): void {
    for (const e of this.entries()) if (!e.forward) this.remove(e);
  }
}

/** The NAT of a router: its table, hooked into the router's IP stack as its {@link PacketTranslator}. */
export class Nat implements PacketTranslator {
  readonly table: NatTable;
  private readonly inside: number[];
  private readonly outside: number;

  constructor(
    private readonly stack: IpStack,
    config: NatConfig,
  ) {
    const index = (name: string) => stack.interfaces.findIndex((i) => i.nic.name === name);
    this.inside = config.inside.map(index);
    this.outside = index(config.outside);
    this.table = new NatTable({ kernel: stack.kernel, state: (k, v) => stack.state(k, v) }, stack.interfaces[this.outside].cidr.addr, config.timeouts);
    this.forwards = [...config.forward];
  }

  private readonly forwards: NatForwardConfig[];

  /** Installs the port forwards (at boot). */
  start(): void {
    for (const f of this.forwards) this.install(f);
  }

  /** Adds a port forward now (and after a restart). */
  addForward(f: NatForwardConfig): void {
    this.forwards.push(f);
    this.install(f);
  }

  private install(f: NatForwardConfig): void {
    const [addr, port] = f.to.split(':');
    this.table.addForward(f.proto === 'udp' ? IP_PROTO_UDP : IP_PROTO_TCP, f.port, parseIpv4(addr)!, Number(port));
  }

  inbound(ingress: number, frame: Frame): Frame | string | undefined {
    if (ingress !== this.outside) return undefined;
    const head = frame.head;
    if (readIpv4Dst(head, IP) !== this.table.outsideAddr || isIpv4Fragment(head, IP)) return undefined;
    const proto = readIpv4Protocol(head, IP);
    const body = frame.body?.bytes;
    if (!body || body.length < 8) return undefined;
    const src = readIpv4Src(head, IP);
    let port: number;
    let remote: string;
    if (proto === IP_PROTO_TCP || proto === IP_PROTO_UDP) {
      port = readU16(body, 2);
      remote = endpoint(src, readU16(body, 0));
    } else if (proto === IP_PROTO_ICMP && body[0] === ICMP_ECHO_REPLY) {
      port = readU16(body, 4);
      remote = formatIpv4(src);
    } else {
      return undefined; // echo requests and errors are for the router itself
    }
    const e = this.table.inbound(proto, port, remote);
    // An echo reply with no entry answers the router's own ping.
    if (e === 'no entry' && proto === IP_PROTO_ICMP) return undefined;
    const name = PROTO_NAMES[proto];
    if (typeof e === 'string') return `NAT: inbound ${name} from ${remote} to ${endpoint(this.table.outsideAddr, port)}: ${e}`;
    return this.rewritten(frame.head.slice(0, IP + 20), body, frame.packetId, 'dst', e.inAddr, e.inPort);
  }

  outbound(ingress: number, egress: number, head: Uint8Array, body: SharedBytes): Frame | string | undefined {
    if (egress !== this.outside || !this.inside.includes(ingress)) return undefined;
    const proto = readIpv4Protocol(head, IP);
    const name = PROTO_NAMES[proto] ?? `protocol ${proto}`;
    if (isIpv4Fragment(head, IP)) return `NAT: ${name} fragment not translated`;
    const b = body.bytes;
    const src = readIpv4Src(head, IP);
    const dst = readIpv4Dst(head, IP);
    let port: number;
    let remote: string;
    if ((proto === IP_PROTO_TCP || proto === IP_PROTO_UDP) && b.length >= 8) {
      port = readU16(b, 0);
      remote = endpoint(dst, readU16(b, 2));
    } else if (proto === IP_PROTO_ICMP && b.length >= 8 && b[0] === ICMP_ECHO_REQUEST) {
      port = readU16(b, 4);
      remote = formatIpv4(dst);
    } else {
      return `NAT: ${name}${proto === IP_PROTO_ICMP ? ` type ${b[0]}` : ''} from ${formatIpv4(src)} not translated`;
    }
    const e = this.table.outbound(proto, src, port, remote);
    if (!e) return `NAT: no free ${name} port on ${formatIpv4(this.table.outsideAddr)}`;
    return this.rewritten(head, b, -1, 'src', this.table.outsideAddr, e.outPort);
  }

  private rewritten(head: Uint8Array, body: Uint8Array, packetId: number, side: 'src' | 'dst', addr: number, port: number): Frame {
    const copy = body.slice();
    rewritePacket(head, copy, side, addr, port);
    return { head, body: sharedBytes(copy), packetId };
  }
}
