/**
 * A QUIC endpoint: one UDP socket on a host and the connections behind it, told apart by the
 * Destination Connection ID of each arriving packet (not by address: that is what lets a
 * connection survive a change of client address). A server endpoint creates a connection for
 * each new client Initial.
 */
import { IP_PROTO_UDP } from '../ipv4/ipv4';
import { rngRandom } from '../tls';
import type { IcmpErrorReport, IpHost } from '../transport';
import type { UdpService, UdpSocket } from '../udp/udp-service';
import { type QuicAddress, QuicConnection, type QuicHandler, type QuicIo, type QuicTlsClientConfig, type QuicTlsServerConfig } from './connection';
import { CID_LENGTH, parsePacketHeader } from './packet';
import { hex } from './wire';

/** The UDP port of HTTP/3 (and of QUIC in the inspector). */
export const QUIC_PORT = 443;

export interface QuicServerOptions {
  readonly tls: QuicTlsServerConfig;
  /** A new connection; return the handler for it. */
  onConnection(c: QuicConnection): QuicHandler;
}

export class QuicEndpoint {
  private readonly byCid = new Map<string, QuicConnection>();
  private readonly connections: QuicConnection[] = [];
  private socket?: UdpSocket;
  private counter = 0;

  private constructor(
    readonly host: IpHost,
    private readonly server?: QuicServerOptions,
  ) {}

  /**
   * Binds `port` (0: ephemeral). Returns an error text when it cannot. `onIcmpError` hears the ICMP
   * errors about datagrams the socket sent (e.g. port unreachable: no QUIC server there).
   */
  static open(host: IpHost, port: number, server?: QuicServerOptions, onIcmpError?: (report: IcmpErrorReport) => void): QuicEndpoint | string {
    const udp = host.transport<UdpService>(IP_PROTO_UDP);
    if (!udp) return 'UDP not available';
    const ep = new QuicEndpoint(host, server);
    const s = udp.bind(port, { onMessage: (m) => ep.onDatagram(m.data, { addr: m.from, port: m.fromPort }), onError: onIcmpError && ((r) => onIcmpError(r)) });
    if (typeof s === 'string') return s;
    ep.socket = s;
    return ep;
  }

  get port(): number {
    return this.socket?.port ?? 0;
  }

  /** Starts a client connection to `to`. Stream writes before `start()` become 0-RTT data when resuming. */
  connect(to: QuicAddress, handler: QuicHandler, tls: QuicTlsClientConfig): QuicConnection {
    const c = new QuicConnection(this.io(`quic:client:${this.port}:${this.counter++}`), 'client', to, handler, { tls });
    this.connections.push(c);
    return c;
  }

  /** Closes the socket and forgets every connection silently. */
  close(): void {
    for (const c of this.connections) c.abandon();
    this.connections.length = 0;
    this.byCid.clear();
    this.socket?.close();
    this.socket = undefined;
  }

  private io(rngName: string): QuicIo {
    const host = this.host;
    return {
      now: () => host.kernel.now,
      after: (d, fn) => host.kernel.after(d, () => fn()),
      cancel: (id) => {
        host.kernel.cancel(id);
      },
      send: (datagram, to) => {
        // DF on every datagram, as Linux QUIC stacks set it: QUIC never relies on IP fragmentation (RFC 9000 section 14).
        this.socket?.send(to.addr, to.port, datagram, { dontFragment: true });
      },
      state: (k, v) => host.state(k, v),
      registerCid: (cid) => {
        const c = this.connections[this.connections.length - 1];
        this.pendingCid.push(cid);
        if (c) this.flushPendingCids();
      },
      random: rngRandom(host.rng(rngName)),
    };
  }

  /** CIDs registered while a connection is being constructed are bound right after. */
  private pendingCid: Uint8Array[] = [];
  private flushPendingCids(): void {
    // Each connection registers its own CIDs; map the pending ones to the owner found by scid.
    for (const cid of this.pendingCid) {
      const owner = this.connections.find((c) => c.scids.some((x) => hex(x) === hex(cid)));
      if (owner) this.byCid.set(hex(cid), owner);
    }
    this.pendingCid = this.pendingCid.filter((cid) => !this.byCid.has(hex(cid)));
  }

  private onDatagram(data: Uint8Array, from: QuicAddress): void {
    this.flushPendingCids();
    let info;
    try {
      info = parsePacketHeader(data, 0);
    } catch {
      return;
    }
    const key = hex(info.dcid);
    let c = this.byCid.get(key);
    if (!c && this.server && info.type === 'initial' && data.length >= 1200 && info.dcid.length >= CID_LENGTH) {
      const server = this.server;
      let handler: QuicHandler = {};
      const conn = new QuicConnection(
        this.io(`quic:server:${this.counter++}`),
        'server',
        from,
        {
          onConnected: (cc, i) => handler.onConnected?.(cc, i),
          onStreamData: (cc, id, d, fin) => handler.onStreamData?.(cc, id, d, fin),
          onClose: (cc, e) => handler.onClose?.(cc, e),
        },
        { tls: server.tls, originalDcid: info.dcid, peerScid: info.scid },
      );
      this.connections.push(conn);
      this.flushPendingCids();
      this.byCid.set(key, conn);
      handler = server.onConnection(conn);
      c = conn;
    }
    c?.receive(data, from);
    this.flushPendingCids();
  }
}
