/**
 * UDP on a host (RFC 768): sockets bound to ports, datagrams with real pseudo-header checksums,
 * ICMP Port Unreachable for datagrams to a closed port, and ICMP errors handed to the socket that
 * sent the offending datagram. No retransmission, no ordering: what the network loses, the
 * program never sees.
 *
 * Simplification, stated: datagrams go without DF unless the program asks for it (Linux's default
 * IP_PMTUDISC_WANT sets DF on every datagram that fits the path MTU).
 */
import { formatIpv4 } from '../addr';
import { readU16 } from '../bytes';
import { ICMP_DEST_UNREACHABLE } from '../icmp/icmp';
import type { IcmpService } from '../icmp/icmp-service';
import { IP_PROTO_ICMP, IP_PROTO_UDP } from '../ipv4/ipv4';
import { registerTransport, type IcmpErrorReport, type IncomingPacket, type IpHost, type Transport } from '../transport';
import { sharedBytes } from '../../sim/trace';
import { encodeUdpDatagram, UDP_HEADER_BYTES, verifyUdpChecksum, writeUdpDatagram } from './udp';

/** Linux's default ephemeral port range (net.ipv4.ip_local_port_range). */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

/** A datagram as a program receives it. */
interface UdpMessage {
  from: number;
  fromPort: number;
  to: number;
  data: Uint8Array;
  ttl: number;
  /** The address of the interface it arrived on (IP_PKTINFO's); undefined for loopback. */
  arrivedOn?: number;
}

/** What a program using a socket implements. */
export interface UdpHandler {
  onMessage(msg: UdpMessage, socket: UdpSocket): void;
  /**
   * When present, called instead of {@link onMessage} with the payload left in place: it is
   * `datagram[offset, end)`, valid only during the call. For programs receiving millions of
   * datagrams (no message object, no view to make per datagram).
   */
  onPayload?(from: number, fromPort: number, datagram: Uint8Array, offset: number, end: number, socket: UdpSocket): void;
  /** ICMP errors about datagrams this socket sent (port unreachable, TTL exceeded...). */
  onError?(report: IcmpErrorReport, socket: UdpSocket): void;
}

/** A bound UDP port. */
export class UdpSocket {
  constructor(
    private readonly service: UdpService,
    readonly port: number,
    readonly handler: UdpHandler,
  ) {}

  /**
   * Sends `data` to `dst:dstPort`. Returns false when there is no route. `dontFragment` as in
   * `OutgoingPacket`: `true` sets DF (Linux's IP_PMTUDISC_DO/PROBE, as QUIC stacks set it), `'want'`
   * sets it when the packet fits the known path MTU.
   */
  send(dst: number, dstPort: number, data: Uint8Array, options: { ttl?: number; dontFragment?: boolean | 'want'; src?: number } = {}): boolean {
    return this.service.send(this.port, dst, dstPort, data, options.ttl, options.dontFragment, options.src);
  }

  /**
   * Like {@link send}, without copying: `datagram` holds the payload from byte 8 on, and the UDP
   * header (with its checksum) is written into its first 8 bytes. The buffer then belongs to the
   * packet: do not reuse it.
   */
  sendDatagram(dst: number, dstPort: number, datagram: Uint8Array): boolean {
    return this.service.sendDatagram(this.port, dst, dstPort, datagram);
  }

  /** Releases the port. */
  close(): void {
    this.service.close(this);
  }
}

export class UdpService implements Transport {
  readonly protocol = IP_PROTO_UDP;
  private readonly sockets = new Map<number, UdpSocket>();
  private nextEphemeral: number;

  constructor(private readonly host: IpHost) {
    this.nextEphemeral = EPHEMERAL_FIRST + host.rng('udp:ports').int(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1);
  }

  /** Binds `port` (0 picks a free ephemeral port). Returns an error text when the port is taken. */
  bind(port: number, handler: UdpHandler): UdpSocket | string {
    if (port === 0) port = this.pickEphemeral();
    if (port <= 0 || port > 0xffff) return `bind: port ${port} is out of range`;
    if (this.sockets.has(port)) return `bind: Address already in use (port ${port})`;
    const s = new UdpSocket(this, port, handler);
    this.sockets.set(port, s);
    return s;
  }

  private pickEphemeral(): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.sockets.has(p)) return p;
    }
    return -1;
  }

  close(socket: UdpSocket): void {
    if (this.sockets.get(socket.port) === socket) this.sockets.delete(socket.port);
  }

  /** Sends from `srcAddr` when given (a broadcast then leaves by that address's interface), else from the route's source. */
  send(srcPort: number, dst: number, dstPort: number, data: Uint8Array, ttl?: number, dontFragment?: boolean | 'want', srcAddr?: number): boolean {
    const src = srcAddr ?? this.host.sourceFor(dst);
    if (src === undefined) {
      this.host.log(`sendto: Network is unreachable (${formatIpv4(dst)})`);
      return false;
    }
    const datagram = encodeUdpDatagram(src, dst, srcPort, dstPort, data);
    return this.host.sendIp({ dst, src, protocol: IP_PROTO_UDP, payload: sharedBytes(datagram), ttl, dontFragment });
  }

  /** {@link UdpSocket.sendDatagram}: the header is written into `datagram`'s first 8 bytes. */
  sendDatagram(srcPort: number, dst: number, dstPort: number, datagram: Uint8Array): boolean {
    if (datagram.length < UDP_HEADER_BYTES || datagram.length > 0xffff) {
      throw new RangeError(`UDP: a ${datagram.length}-byte datagram does not fit the 8-byte header and 16-bit length`);
    }
    const src = this.host.sourceFor(dst);
    if (src === undefined) {
      this.host.log(`sendto: Network is unreachable (${formatIpv4(dst)})`);
      return false;
    }
    writeUdpDatagram(datagram, 0, src, dst, srcPort, dstPort, datagram.length - UDP_HEADER_BYTES);
    return this.host.sendIp({ dst, src, protocol: IP_PROTO_UDP, payload: sharedBytes(datagram) });
  }

  receive(p: IncomingPacket): void {
    const b = p.payload;
    if (!verifyUdpChecksum(p.src, p.dst, b, 0)) {
      this.host.dropPacket('bad UDP checksum or length', p.packetId);
      return;
    }
    const dstPort = readU16(b, 2);
    const socket = this.sockets.get(dstPort);
    if (!socket) {
      this.host.dropPacket(`UDP port ${dstPort} closed`, p.packetId);
      this.host.transport<IcmpService>(IP_PROTO_ICMP)?.sendError(ICMP_DEST_UNREACHABLE, 3, p.quote, p.src, p.dst, 0);
      return;
    }
    const length = readU16(b, 4);
    const h = socket.handler;
    if (h.onPayload) h.onPayload(p.src, readU16(b, 0), b, UDP_HEADER_BYTES, length, socket);
    else
      h.onMessage({ from: p.src, fromPort: readU16(b, 0), to: p.dst, data: b.subarray(UDP_HEADER_BYTES, length), ttl: p.ttl, arrivedOn: p.arrivedOn }, socket);
  }

  icmpError(report: IcmpErrorReport): void {
    const q = report.original.payload8;
    if (q.length < 2) return;
    const socket = this.sockets.get(readU16(q, 0));
    socket?.handler.onError?.(report, socket);
  }

  reset(): void {
    this.sockets.clear();
  }
}

registerTransport({ protocol: IP_PROTO_UDP, name: 'udp', create: (host) => new UdpService(host) });
