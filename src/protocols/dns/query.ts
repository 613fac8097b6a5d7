/**
 * Sending one DNS query over UDP and waiting for its answer: a socket on an ephemeral port,
 * answers matched by transaction id, server address and port, a timeout per query. Shared by the
 * recursive resolver (its upstream queries) and dig.
 */
import { IP_PROTO_UDP } from '../ipv4/ipv4';
import type { IpHost } from '../transport';
import type { UdpService, UdpSocket } from '../udp/udp-service';
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
  done: (r: DnsQueryResult) => void;
}

/** A UDP socket that sends DNS queries and hands back their answers. */
export class DnsQuerier {
  private readonly socket: UdpSocket | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Why the socket could not be opened, if it could not. */
  readonly error: string | undefined;

  constructor(
    private readonly host: IpHost,
    private readonly timers: DnsTimers,
  ) {
    const udp = host.transport<UdpService>(IP_PROTO_UDP);
    const s = udp?.bind(0, {
      onMessage: (m) => this.onMessage(m.from, m.fromPort, m.data),
      onError: (report) => {
        // ICMP port/host unreachable about one of our queries: fail it now rather than time out.
        const q = report.original.payload8;
        if (report.type !== 3 || q.length < 8) return;
        for (const p of this.pending.values()) {
          if (p.server === report.original.dst && p.port === ((q[2] << 8) | q[3])) {
            this.finish(p, { ok: false, error: report.code === 3 ? 'refused' : 'unreachable', server: p.server });
            return;
          }
        }
      },
    });
    if (!s || typeof s === 'string') this.error = s ?? 'UDP not available';
    else this.socket = s;
  }

  /** A fresh transaction id not in use. */
  newId(): number {
    const rng = this.host.rng('dns:id');
    for (;;) {
      const id = rng.int(0x10000);
      if (!this.pending.has(id)) return id;
    }
  }

  /** Sends `query` to `server:port`; `done` gets the answer or a timeout after `timeoutNs`. */
  send(server: number, query: DnsMessage, timeoutNs: number, done: (r: DnsQueryResult) => void, port = 53): void {
    if (!this.socket) {
      done({ ok: false, error: 'no route', server });
      return;
    }
    const p: Pending = { id: query.id, server, port, sentAt: this.host.kernel.now, timer: 0, done };
    this.pending.set(query.id, p);
    p.timer = this.timers.after(timeoutNs, () => this.finish(p, { ok: false, error: 'timeout', server }));
    if (!this.socket.send(server, port, encodeDns(query))) this.finish(p, { ok: false, error: 'no route', server });
  }

  private onMessage(from: number, fromPort: number, data: Uint8Array): void {
    const d = decodeDns(data);
    if (!d.ok || !d.value.qr) return;
    const p = this.pending.get(d.value.id);
    if (!p || p.server !== from || p.port !== fromPort) return;
    this.finish(p, { ok: true, message: d.value, size: data.length, rttNs: this.host.kernel.now - p.sentAt, server: from });
  }

  private finish(p: Pending, r: DnsQueryResult): void {
    if (this.pending.get(p.id) !== p) return;
    this.pending.delete(p.id);
    this.timers.cancel(p.timer);
    p.done(r);
  }

  /** Closes the socket; pending queries are forgotten (their callbacks never run). */
  close(): void {
    for (const p of this.pending.values()) this.timers.cancel(p.timer);
    this.pending.clear();
    this.socket?.close();
  }
}
