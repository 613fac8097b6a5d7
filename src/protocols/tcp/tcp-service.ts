/**
 * TCP on a host: listeners, connections by 4-tuple, and RST for segments to a closed port
 * (RFC 9293 §3.10.7.1). Programs use {@link TcpService.listen} and {@link TcpService.connect};
 * the connection itself is {@link TcpConnection}.
 */
import { formatIpv4 } from '../addr';
import { IP_PROTO_TCP } from '../ipv4/ipv4';
import { readU16, readU32 } from '../bytes';
import { ICMP_DEST_UNREACHABLE, UNREACH_FRAG_NEEDED } from '../icmp/icmp';
import { registerTransport, type IcmpErrorReport, type IncomingPacket, type IpHost, type Transport } from '../transport';
import { sharedBytes } from '../../sim/trace';
import { seqAdd } from './seq';
import { DEFAULT_TCP_CONFIG, type TcpConfig } from './tcp-config';
import { TcpConnection, type TcpOwner, type TcpSocket, type TcpSocketHandler } from './tcp-connection';
import { checkTcpHeader, encodeTcpSegment, readTcpHeader, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, verifyTcpChecksum } from './tcp-header';

const TCP_EPHEMERAL_FIRST = 32768;
const TCP_EPHEMERAL_LAST = 60999;

/** What a listening program implements. */
export interface TcpListenHandler {
  /** A connection completed its handshake; return the callbacks for it. */
  onAccept(socket: TcpSocket): TcpSocketHandler;
}

/** A listening port. */
export class TcpListener {
  constructor(
    private readonly service: TcpService,
    readonly port: number,
    readonly handler: TcpListenHandler,
  ) {}

  /** Stops listening (established connections carry on). */
  close(): void {
    this.service.unlisten(this);
  }
}

function tupleKey(localIp: number, localPort: number, remoteIp: number, remotePort: number): string {
  return `${localIp}:${localPort}:${remoteIp}:${remotePort}`;
}

export class TcpService implements Transport, TcpOwner {
  readonly protocol = IP_PROTO_TCP;
  config: TcpConfig = { ...DEFAULT_TCP_CONFIG };
  private readonly listeners = new Map<number, TcpListener>();
  private readonly connections = new Map<string, TcpConnection>();
  private nextEphemeral: number;

  constructor(readonly host: IpHost) {
    this.nextEphemeral = TCP_EPHEMERAL_FIRST + host.rng('tcp:ports').int(TCP_EPHEMERAL_LAST - TCP_EPHEMERAL_FIRST + 1);
  }

  /** Changes settings for connections opened from now on. */
  configure(change: Partial<TcpConfig>): void {
    this.config = { ...this.config, ...change };
  }

  /** Connections currently known (any state but CLOSED), in creation order. */
  get sockets(): TcpConnection[] {
    return [...this.connections.values()];
  }

  /** Listens on `port` on every address. Returns an error text when the port is taken. */
  listen(port: number, handler: TcpListenHandler): TcpListener | string {
    if (!Number.isInteger(port) || port <= 0 || port > 0xffff) return `bind: port ${port} is out of range`;
    if (this.listeners.has(port)) return `bind: Address already in use (port ${port})`;
    const l = new TcpListener(this, port, handler);
    this.listeners.set(port, l);
    this.host.state(`tcp *:${port} state`, 'LISTEN');
    return l;
  }

  unlisten(l: TcpListener): void {
    if (this.listeners.get(l.port) !== l) return;
    this.listeners.delete(l.port);
    this.host.state(`tcp *:${l.port} state`, 'CLOSED');
  }

  /**
   * Active open to `dst:port` (sends SYN). `localPort` 0 picks an ephemeral port. Returns an error
   * text when there is no route or the 4-tuple is in use.
   */
  connect(dst: number, port: number, handler: TcpSocketHandler, options: { localPort?: number } = {}): TcpSocket | string {
    const src = this.host.sourceFor(dst);
    if (src === undefined) return `connect: Network is unreachable (${formatIpv4(dst)})`;
    let localPort = options.localPort ?? 0;
    if (localPort === 0) localPort = this.pickEphemeral(src, dst, port);
    if (localPort <= 0 || localPort > 0xffff) return `connect: no free local port`;
    const key = tupleKey(src, localPort, dst, port);
    if (this.connections.has(key)) return `connect: Address already in use (${formatIpv4(src)}:${localPort})`;
    const c = new TcpConnection(this, src, localPort, dst, port, false);
    c.handler = handler;
    this.connections.set(key, c);
    c.openActive();
    return c;
  }

  private pickEphemeral(src: number, dst: number, port: number): number {
    const span = TCP_EPHEMERAL_LAST - TCP_EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === TCP_EPHEMERAL_LAST ? TCP_EPHEMERAL_FIRST : p + 1;
      if (!this.listeners.has(p) && !this.connections.has(tupleKey(src, p, dst, port))) return p;
    }
    return -1;
  }

  remove(c: TcpConnection): void {
    const key = tupleKey(c.localIp, c.localPort, c.remoteIp, c.remotePort);
    if (this.connections.get(key) === c) this.connections.delete(key);
  }

  accepted(c: TcpConnection): void {
    const l = this.listeners.get(c.localPort);
    if (!l) {
      c.abort();
      return;
    }
    c.handler = l.handler.onAccept(c);
  }

  receive(p: IncomingPacket): void {
    const b = p.payload;
    if (checkTcpHeader(b, 0) || !verifyTcpChecksum(p.src, p.dst, b, 0)) {
      this.host.dropPacket('bad TCP checksum or header', p.packetId);
      return;
    }
    const h = readTcpHeader(b, 0);
    const hl = (b[12] >> 4) * 4;
    const payload = b.subarray(hl);
    const seg = { header: h, payload, packetId: p.packetId };
    const c = this.connections.get(tupleKey(p.dst, h.dstPort, p.src, h.srcPort));
    if (c) {
      c.segmentArrives(seg);
      return;
    }
    const l = this.listeners.get(h.dstPort);
    if (l && !(h.flags & TCP_RST)) {
      if (h.flags & TCP_ACK) {
        this.sendReset(p.dst, p.src, h.dstPort, h.srcPort, h.ack, 0, false);
        return;
      }
      if (h.flags & TCP_SYN) {
        const conn = new TcpConnection(this, p.dst, h.dstPort, p.src, h.srcPort, true);
        this.connections.set(tupleKey(p.dst, h.dstPort, p.src, h.srcPort), conn);
        conn.openPassive(seg);
        return;
      }
    }
    if (h.flags & TCP_RST) {
      this.host.dropPacket(`TCP RST for no connection (port ${h.dstPort})`, p.packetId);
      return;
    }
    // CLOSED (RFC 9293 §3.10.7.1): answer with a reset.
    this.host.dropPacket(`TCP port ${h.dstPort} closed: sent RST`, p.packetId);
    const segLen = payload.length + (h.flags & TCP_SYN ? 1 : 0) + (h.flags & TCP_FIN ? 1 : 0);
    if (h.flags & TCP_ACK) this.sendReset(p.dst, p.src, h.dstPort, h.srcPort, h.ack, 0, false);
    else this.sendReset(p.dst, p.src, h.dstPort, h.srcPort, 0, seqAdd(h.seq, segLen), true);
  }

  private sendReset(src: number, dst: number, srcPort: number, dstPort: number, seq: number, ack: number, withAck: boolean): void {
    const seg = encodeTcpSegment(
      src,
      dst,
      { srcPort, dstPort, seq, ack, flags: TCP_RST | (withAck ? TCP_ACK : 0), window: 0, urgent: 0, options: {} },
      new Uint8Array(0),
    );
    this.host.sendIp({ dst, src, protocol: IP_PROTO_TCP, payload: sharedBytes(seg) });
  }

  /** ICMP errors about our segments: "fragmentation needed" lowers the connection's MSS (RFC 1191). */
  icmpError(r: IcmpErrorReport): void {
    const q = r.original.payload8;
    if (r.type !== ICMP_DEST_UNREACHABLE || r.code !== UNREACH_FRAG_NEEDED || q.length < 8) return;
    const c = this.connections.get(tupleKey(r.original.src, readU16(q, 0), r.original.dst, readU16(q, 2)));
    c?.fragmentationNeeded(readU32(q, 4));
  }

  /** The host crashed: every connection and listener vanishes silently. */
  reset(): void {
    for (const c of [...this.connections.values()]) c.destroy();
    this.connections.clear();
    this.listeners.clear();
  }
}

registerTransport({ protocol: IP_PROTO_TCP, name: 'tcp', create: (host) => new TcpService(host) });
