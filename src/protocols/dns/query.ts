/**
 * Sending one DNS query over UDP and waiting for its answer: each query from its own socket on a
 * source port drawn at random from the ephemeral range, with a random transaction id (RFC 5452 §9:
 * both from the host's named RNG streams, `dns:port` and `dns:id`, as Linux's resolver and BIND
 * do); answers matched by id, server address and port, and the port they arrive on; a timeout per
 * query. Shared by the recursive resolver (its upstream queries), the stub resolver and dig.
 */
import { IP_PROTO_UDP } from '../ipv4/ipv4';
import type { IpHost } from '../transport';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, type UdpService, type UdpSocket } from '../udp/udp-service';
import { decodeDns, encodeDns, type DnsMessage } from './dns';

/** Timers the querier may set: a program's own (cancelled when it exits) or a model's. */
export interface DnsTimers {
  after(delayNs: number, fn: () => void): number;
  cancel(id: number): void;
}

/** The outcome of one query. */
export type DnsQueryResult =
  | { ok: true; message: DnsMessage; size: number; rttNs: number; server: number }
  | { ok: false; error: 'timeout' | 'refused' | 'unreachable' | 'no route'; server: number };

interface Pending {
  id: number;
  server: number;
  port: number;
  sentAt: number;
  timer: number;
  socket: UdpSocket;
  done: (r: DnsQueryResult) => void;
}

/** How many random ports to try before letting the UDP layer pick a free one. */
const PORT_TRIES = 16;

/** Sends DNS queries, each from a fresh random port, and hands back their answers. */
export class DnsQuerier {
  private readonly udp: UdpService | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Why queries cannot be sent, if they cannot. */
  readonly error: string | undefined;

  constructor(
    private readonly host: IpHost,
    private readonly timers: DnsTimers,
  ) {
    this.udp = host.transport<UdpService>(IP_PROTO_UDP);
    if (!this.udp) this.error = 'UDP not available';
  }

  /** A fresh transaction id not in use. */
  newId(): number {
    const rng = this.host.rng('dns:id');
    for (;;) {
      const id = rng.int(0x10000);
      if (!this.pending.has(id)) return id;
    }
  }

  /** A socket on a random free ephemeral port for one query (RFC 5452 §9.2). */
  private openSocket(p: { pending?: Pending }): UdpSocket | string {
    const udp = this.udp!;
    const rng = this.host.rng('dns:port');
    const handler = {
      onMessage: (m: { from: number; fromPort: number; data: Uint8Array }) => this.onMessage(p.pending, m.from, m.fromPort, m.data),
      onError: (report: { type: number; code: number; original: { dst: number; payload8: Uint8Array } }) => {
        // ICMP port/host unreachable about our query: fail it now rather than time out.
        const q = p.pending;
        const b = report.original.payload8;
        if (!q || report.type !== 3 || b.length < 8) return;
        if (q.server === report.original.dst && q.port === ((b[2] << 8) | b[3])) {
          this.finish(q, { ok: false, error: report.code === 3 ? 'refused' : 'unreachable', server: q.server });
        }
      },
    };
    for (let i = 0; i < PORT_TRIES; i++) {
      const s = udp.bind(EPHEMERAL_FIRST + rng.int(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1), handler);
      if (typeof s !== 'string') return s;
    }
    return udp.bind(0, handler);
  }

  /** Sends `query` to `server:port`; `done` gets the answer or a timeout after `timeoutNs`. */
  send(server: number, query: DnsMessage, timeoutNs: number, done: (r: DnsQueryResult) => void, port = 53): void {
    if (!this.udp) {
      done({ ok: false, error: 'no route', server });
      return;
    }
    const ref: { pending?: Pending } = {};
    const socket = this.openSocket(ref);
    if (typeof socket === 'string') {
      done({ ok: false, error: 'no route', server });
      return;
    }
    const p: Pending = { id: query.id, server, port, sentAt: this.host.kernel.now, timer: 0, socket, done };
    ref.pending = p;
    this.pending.set(query.id, p);
    p.timer = this.timers.after(timeoutNs, () => this.finish(p, { ok: false, error: 'timeout', server }));
    if (!socket.send(server, port, encodeDns(query))) this.finish(p, { ok: false, error: 'no route', server });
  }

  private onMessage(p: Pending | undefined, from: number, fromPort: number, data: Uint8Array): void {
    if (!p) return;
    const d = decodeDns(data);
    if (!d.ok || !d.value.qr) return;
    if (d.value.id !== p.id || p.server !== from || p.port !== fromPort) return;
    this.finish(p, { ok: true, message: d.value, size: data.length, rttNs: this.host.kernel.now - p.sentAt, server: from });
  }

  private finish(p: Pending, r: DnsQueryResult): void {
    if (this.pending.get(p.id) !== p) return;
    this.pending.delete(p.id);
    this.timers.cancel(p.timer);
    p.socket.close();
    p.done(r);
  }

  /** Closes every query's socket; pending queries are forgotten (their callbacks never run). */
  close(): void {
    for (const p of this.pending.values()) {
      this.timers.cancel(p.timer);
      p.socket.close();
    }
    this.pending.clear();
  }
}
