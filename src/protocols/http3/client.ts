/**
 * The client side of one HTTP/3 connection (RFC 9114): a QUIC endpoint on an ephemeral UDP port,
 * one QUIC connection with ALPN `h3`, the control stream's SETTINGS once the handshake is done,
 * and every request on its own bidirectional stream. Progress is reported with the same
 * {@link ResponseHandler} callbacks as the TCP-based {@link HttpClientConnection}, so curl and
 * page-load drive both alike.
 *
 * Requests made before {@link H3ClientConnection.start} travel as 0-RTT data when the TLS
 * configuration resumes a session with early data.
 */
import type { ClientRequest, ClientResponse, ResponseHandler } from '../http/client';
import type { HttpHeader } from '../http/http1';
import { ICMP_DEST_UNREACHABLE, UNREACH_PORT } from '../icmp/icmp';
import type { QuicAddress, QuicConnection, QuicTlsClientConfig } from '../quic/connection';
import { QuicEndpoint } from '../quic/endpoint';
import type { TlsSession } from '../tls';
import type { IpHost } from '../transport';
import { concatBytes } from '../bytes';
import { controlStreamPreface, H3Message, sendH3Request } from './http3';

/** The HTTP/3 application error code for a clean close (RFC 9114 8.1, H3_NO_ERROR). */
const H3_NO_ERROR = 0x100;

/** What the handshake settled. */
interface H3ConnectedInfo {
  readonly resumed: boolean;
  readonly earlyData: 'none' | 'accepted' | 'rejected';
  readonly alpn?: string;
}

/** Connection events. Every callback is optional. */
export interface H3ConnectionEvents {
  /** The QUIC handshake (which carries TLS 1.3) finished. */
  onConnected?(info: H3ConnectedInfo): void;
  /** The server gave a session ticket (to resume, and send 0-RTT, next time). */
  onSession?(session: TlsSession): void;
  /**
   * The connection ended. `error` is undefined for a clean close by either side; `Connection
   * refused` when an ICMP port unreachable came back during the handshake.
   */
  onClose?(error?: string): void;
}

interface Pending {
  readonly handler: ResponseHandler;
  readonly msg: H3Message;
  headDone: boolean;
  bytes: number;
}

export class H3ClientConnection {
  readonly protocol = 'h3';
  /** Requests sent over this connection so far. */
  used = 0;
  /** Set once the handshake finished. */
  connected = false;
  private controlSent = false;
  private readonly pending = new Map<number, Pending>();
  private ended = false;

  private endpoint!: QuicEndpoint;
  private connection!: QuicConnection;

  private constructor(private readonly events: H3ConnectionEvents) {}

  /** The QUIC connection underneath. */
  get quic(): QuicConnection {
    return this.connection;
  }

  /**
   * Opens an ephemeral UDP port on `host` and prepares a connection to `to` (call {@link start}
   * to send the first Initial). Returns an error text when no port can be bound.
   */
  static connect(host: IpHost, to: QuicAddress, tls: QuicTlsClientConfig, events: H3ConnectionEvents): H3ClientConnection | string {
    const self = new H3ClientConnection(events);
    const ep = QuicEndpoint.open(host, 0, undefined, (report) => {
      if (!self.connected && report.type === ICMP_DEST_UNREACHABLE && report.code === UNREACH_PORT) self.end('Connection refused');
    });
    if (typeof ep === 'string') return ep;
    self.endpoint = ep;
    self.connection = ep.connect(
      to,
      {
        onConnected: (_c, info) => {
          self.connected = true;
          events.onConnected?.(info);
          self.sendControl();
        },
        onSession: (_c, session) => events.onSession?.(session),
        onStreamData: (_c, id, data, fin) => self.onStreamData(id, data, fin),
        onClose: (_c, error) => self.end(error),
      },
      { ...tls, alpn: ['h3'] },
    );
    return self;
  }

  /** The local UDP port. */
  get localPort(): number {
    return this.endpoint.port;
  }

  /** Requests waiting for (or receiving) their response. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Whether the connection is over (closed, refused or abandoned). */
  get closed(): boolean {
    return this.ended || this.quic.closed;
  }

  /** Whether a new request may be sent now (every request is its own stream: while open). */
  get available(): boolean {
    return !this.closed;
  }

  /** Set once the connection can take no more requests (as {@link HttpClientConnection.done}). */
  get done(): boolean {
    return this.closed;
  }

  /** Sends the first Initial (with any 0-RTT requests queued before it). */
  start(): void {
    this.quic.start();
  }

  /** Runs `fn` (which sends requests); each goes out at once on its own stream, so nothing to gather. */
  batch(fn: () => void): void {
    fn();
  }

  /** Sends a request on a new stream and returns the stream's id. */
  request(req: ClientRequest, handler: ResponseHandler): number {
    this.sendControl();
    this.used++;
    const id = sendH3Request(this.quic, req);
    this.pending.set(id, { handler, msg: new H3Message(), headDone: false, bytes: 0 });
    handler.onSent?.();
    return id;
  }

  /** Closes the connection cleanly (CONNECTION_CLOSE with H3_NO_ERROR); the UDP port stays bound. */
  close(): void {
    this.quic.close(H3_NO_ERROR, '');
  }

  /** The client's address changed: probe the new path and carry on (QUIC connection migration). */
  migrate(): void {
    this.quic.migrate();
  }

  /**
   * Releases the UDP port and forgets the connection without a word to the peer. Call it a few
   * round trips after {@link close}, so the server's last packets still find the port open.
   */
  release(): void {
    this.ended = true;
    this.endpoint.close();
  }

  /** The control stream goes first once connected (not in 0-RTT: the server's SETTINGS come later). */
  private sendControl(): void {
    if (this.controlSent || !this.connected) return;
    this.controlSent = true;
    this.quic.write(this.quic.openUniStream(), controlStreamPreface());
  }

  private onStreamData(id: number, data: Uint8Array, fin: boolean): void {
    const p = this.pending.get(id);
    if (!p) return; // the server's control stream, or a stream already answered
    p.msg.push(data);
    if (p.msg.headers && !p.headDone) {
      p.headDone = true;
      p.handler.onHead?.(this.head(p.msg));
    }
    if (p.msg.bodyBytes > p.bytes) {
      p.handler.onData?.(p.msg.bodyBytes - p.bytes);
      p.bytes = p.msg.bodyBytes;
    }
    if (!fin) return;
    this.pending.delete(id);
    if (!p.msg.headers) {
      p.handler.onError?.(`HTTP/3 stream ${id} ended without a response`, 'stream-reset');
      return;
    }
    p.handler.onDone?.({ ...this.head(p.msg), body: concatBytes(...p.msg.body) });
  }

  private head(m: H3Message): Omit<ClientResponse, 'body'> {
    const headers: HttpHeader[] = (m.headers ?? []).filter(([n]) => !n.startsWith(':')).map(([name, value]) => ({ name, value }));
    return { version: 'HTTP/3', status: Number(m.header(':status') ?? 0), reason: '', headers };
  }

  private end(error: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (error === 'Connection refused') this.quic.abandon();
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) p.handler.onError?.(error ?? 'connection closed before the response ended', error === undefined ? 'closed' : 'connection-error');
    this.events.onClose?.(error);
  }
}
