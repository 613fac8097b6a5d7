/**
 * How protocols above IP plug into a host: each registers a {@link TransportKind} for its IP
 * protocol number, and every host's IP stack creates one instance of each. Protocol models see the
 * host only through {@link IpHost}, so they know nothing of NICs, links or devices.
 */
import type { Kernel } from '../sim/kernel';
import type { RngStream } from '../sim/rng';
import type { SharedBytes } from '../sim/trace';

/** A packet a protocol asks its host to send. */
export interface OutgoingPacket {
  dst: number;
  protocol: number;
  /** The IP payload. Pass SharedBytes to let the trace store it once across hops. */
  payload: SharedBytes;
  /** Source address; defaults to the address of the outgoing interface. */
  src?: number;
  ttl?: number;
  /**
   * Path-MTU discovery mode, as Linux's IP_MTU_DISCOVER: `true` (IP_PMTUDISC_DO) sets DF and never
   * fragments here: a packet over the path MTU is refused with a local "fragmentation needed";
   * `'want'` (IP_PMTUDISC_WANT) sets DF when the packet fits the path MTU and fragments it here,
   * without DF, when not; `false` or absent (IP_PMTUDISC_DONT) never sets DF.
   */
  dontFragment?: boolean | 'want';
  tos?: number;
}

/** A packet delivered to a protocol (reassembled if it came in fragments). */
export interface IncomingPacket {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  /** The IP payload. */
  payload: Uint8Array;
  /** The raw IP header plus the first 8 payload bytes, for ICMP errors about this packet. */
  quote: Uint8Array;
  packetId: number;
  /** The address of the interface it arrived on (0.0.0.0 on one with no address yet); undefined for loopback. */
  arrivedOn?: number;
}

/** An ICMP error about a packet this host sent (Time Exceeded, Destination Unreachable). */
export interface IcmpErrorReport {
  /** Address of the router or host that sent the error. */
  from: number;
  type: number;
  code: number;
  /** The quoted original packet: IP header fields and the first 8 payload bytes. */
  original: { src: number; dst: number; protocol: number; id: number; payload8: Uint8Array };
  /** Next-hop MTU for "fragmentation needed" (type 3 code 4), else 0. */
  mtu: number;
  /** The TTL the ICMP message arrived with (as IP_RECVTTL gives it); absent for errors found locally. */
  ttl?: number;
}

/** What a protocol model may ask of the host it runs on. */
export interface IpHost {
  /** Device name, e.g. `h1`. */
  readonly name: string;
  readonly kernel: Kernel;
  /** A random stream private to this host and purpose (e.g. `udp:ports`). */
  rng(purpose: string): RngStream;
  /** This host's IPv4 addresses. */
  readonly addresses: readonly number[];
  /** The source address a packet to `dst` would carry (its outgoing interface's), if routable. */
  sourceFor(dst: number): number | undefined;
  /** The MTU of the interface a packet to `dst` leaves by (1500 when unroutable). */
  linkMtu(dst: number): number;
  /** The path MTU to `dst`: the interface MTU, lowered by what ICMP "fragmentation needed" taught (RFC 1191). */
  pathMtu(dst: number): number;
  /** Takes the next-hop MTU of an ICMP "fragmentation needed" about a packet to `dst` (RFC 1191 §6.3). */
  learnPathMtu(dst: number, mtu: number): void;
  /** Sends an IP packet; false (and a trace drop) if there is no route. */
  sendIp(packet: OutgoingPacket): boolean;
  /** The instance of another protocol on this host, by IP protocol number. */
  transport<T extends Transport>(protocol: number): T | undefined;
  /** Writes a line of program output. */
  log(text: string): void;
  /** Records that this host dropped a packet, and why. */
  dropPacket(reason: string, packetId: number): void;
  /** Publishes a piece of state to the trace. */
  state(key: string, value: string): void;
  /** Whether the host is running. */
  readonly isUp: boolean;
}

/** One protocol's instance on one host. */
export interface Transport {
  readonly protocol: number;
  receive(packet: IncomingPacket): void;
  /** Called with ICMP errors about packets of this protocol that this host sent. */
  icmpError?(report: IcmpErrorReport): void;
  /** Called when the host crashes: forget all state. */
  reset?(): void;
}

/** A protocol registration. */
export interface TransportKind {
  readonly protocol: number;
  readonly name: string;
  create(host: IpHost): Transport;
}

const kinds = new Map<number, TransportKind>();

/** Registers a protocol above IP. Registering the same number twice replaces the first. */
export function registerTransport(kind: TransportKind): void {
  kinds.set(kind.protocol, kind);
}

/** Every registered protocol, in protocol-number order (deterministic). */
export function transportKinds(): TransportKind[] {
  return [...kinds.values()].sort((a, b) => a.protocol - b.protocol);
}
