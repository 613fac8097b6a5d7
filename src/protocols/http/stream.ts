/**
 * The byte stream HTTP runs over: a TCP connection, or TLS over a TCP connection (HTTPS). Clients
 * and servers see one interface, with the moments a waterfall needs (TCP connected, TLS done).
 *
 * TLS clients publish their NSS key log lines as state rows, key {@link TLS_KEYLOG_KEY} with the
 * line as the value, so the headless runner can write a key log file for Wireshark.
 */
import { formatIpv4 } from '../addr';
import { IP_PROTO_TCP } from '../ipv4/ipv4';
import type { TcpSocket, TcpSocketHandler } from '../tcp/tcp-connection';
import type { TcpService } from '../tcp/tcp-service';
import { rngRandom, TlsClient, TlsServer, type TlsClientConfig, type TlsEvent, type TlsServerConfig, type TlsSession } from '../tls';
import type { IpHost } from '../transport';

/** State-row key under which TLS clients publish NSS key log lines (`CLIENT_RANDOM ...`, `CLIENT_TRAFFIC_SECRET_0 ...`). */
export const TLS_KEYLOG_KEY = 'tls keylog';

/** What the TLS handshake settled, for `curl -v`. */
export interface TlsInfo {
  version: string;
  cipherSuite: number;
  alpn?: string;
  resumed: boolean;
  /**
   * The stream opened before the handshake finished: a client sending its request as 0-RTT early
   * data, or a server reading it. `onHandshakeDone` reports the end of the handshake later.
   */
  early?: boolean;
  /** Once the handshake is over: whether the server took the early data. */
  earlyData?: 'none' | 'accepted' | 'rejected';
}

/** A TLS alert event (sent or received). */
export type TlsAlertEvent = Extract<TlsEvent, { type: 'alert' }>;

/**
 * Why a stream ended in error, as data: TCP's error (`Connection refused`, `Connection timed out`,
 * `Connection reset by peer`), or the fatal TLS alert that ended the handshake or the session.
 */
export type StreamFailure = { readonly kind: 'tcp'; readonly error: string } | { readonly kind: 'tls'; readonly alert: TlsAlertEvent };

/** Callbacks of a stream's user. Every one is optional. */
export interface StreamHandler {
  /** The TCP handshake completed. */
  onTcpConnect?(s: HttpStream): void;
  /** The stream is ready for application bytes (TCP connected, or TLS handshake done). */
  onOpen?(s: HttpStream, tls?: TlsInfo): void;
  /** TLS: the handshake finished after an early `onOpen` (0-RTT). */
  onHandshakeDone?(s: HttpStream, tls: TlsInfo): void;
  onData?(s: HttpStream, data: Uint8Array): void;
  /** The peer closed its side. */
  onEnd?(s: HttpStream): void;
  /** Sent bytes were acknowledged: the send buffer has room again. */
  onDrain?(s: HttpStream): void;
  /**
   * Over, normally or with an error: `error` as text (`Connection refused`, `TLS alert sent, bad
   * certificate (42): ...`) and `failure` as data.
   */
  onClose?(s: HttpStream, error?: string, failure?: StreamFailure): void;
  /** A TLS alert was sent or received (also reported through `onClose` when fatal). */
  onAlert?(s: HttpStream, alert: TlsAlertEvent): void;
}

/** A TCP connection, possibly wrapped in TLS. */
export class HttpStream {
  handler: StreamHandler = {};
  private tls: TlsClient | TlsServer | undefined;
  /** Client: open for 0-RTT early data once TCP is up (a resumable TLS 1.3 session that allows it). */
  private earlyCapable = false;
  private keyLines = 0;
  private closed = false;
  private failed: TlsAlertEvent | undefined;
  /** The TLS session the server gave (clients), to resume later. */
  session: TlsSession | undefined;
  /** Set once open. */
  tlsInfo: TlsInfo | undefined;
  open = false;

  private constructor(
    readonly socket: TcpSocket,
    private readonly host: IpHost,
  ) {}

  /** Connects to `dst:port`; with `tls`, runs a TLS client handshake once TCP is up. */
  static connect(host: IpHost, dst: number, port: number, handler: StreamHandler, tls?: Omit<TlsClientConfig, 'random' | 'now'>): HttpStream | string {
    const tcp = host.transport<TcpService>(IP_PROTO_TCP);
    if (!tcp) return 'TCP not available';
    const ref: { stream?: HttpStream } = {};
    const sock = tcp.connect(dst, port, {
      onConnect: () => ref.stream!.post(() => ref.stream!.tcpConnected()),
      onData: (_s, d) => ref.stream!.post(() => ref.stream!.tcpData(d)),
      onEnd: () => ref.stream!.post(() => ref.stream!.tcpEnd()),
      onDrain: () => ref.stream!.post(() => ref.stream!.handler.onDrain?.(ref.stream!)),
      onClose: (_s, e) => ref.stream!.post(() => ref.stream!.tcpClosed(e)),
    });
    if (typeof sock === 'string') return sock;
    const stream = new HttpStream(sock, host);
    ref.stream = stream;
    stream.handler = handler;
    if (tls) {
      stream.tls = new TlsClient({ ...tls, random: rngRandom(host.rng(`tls:client:${sock.localPort}`)), now: () => host.kernel.now });
      const s = tls.session;
      stream.earlySession = s;
      stream.earlyCapable = tls.earlyData === true && s?.version === '1.3' && (s.maxEarlyData ?? 0) > 0 && (tls.versions ?? ['1.3']).includes('1.3');
    }
    return stream;
  }

  /** Wraps an accepted TCP connection; with `tls`, acts as the TLS server. Returns the TCP callbacks. */
  static accept(
    host: IpHost,
    socket: TcpSocket,
    handler: StreamHandler,
    tls?: Omit<TlsServerConfig, 'random' | 'now'>,
  ): { stream: HttpStream; tcp: TcpSocketHandler } {
    const s = new HttpStream(socket, host);
    s.handler = handler;
    if (tls) {
      s.tls = new TlsServer({
        ...tls,
        random: rngRandom(host.rng(`tls:server:${formatIpv4(socket.remoteIp)}:${socket.remotePort}`)),
        now: () => host.kernel.now,
      });
    }
    return {
      stream: s,
      tcp: {
        onData: (_x, d) => s.post(() => s.tcpData(d)),
        onEnd: () => s.post(() => s.tcpEnd()),
        onDrain: () => s.post(() => s.handler.onDrain?.(s)),
        onClose: (_x, e) => s.post(() => s.tcpClosed(e)),
      },
    };
  }

  /**
   * TCP's callbacks are handled in a fresh event at the same instant, in order, so the HTTP and TLS
   * state machines never run re-entrantly inside TCP's own processing (a close seen while a request
   * is being written, say).
   */
  private post(fn: () => void): void {
    this.inbox.push(fn);
    if (this.inbox.length === 1) {
      this.host.kernel.after(0, () => {
        for (let i = 0; i < this.inbox.length; i++) this.inbox[i]();
        this.inbox.length = 0;
      });
    }
  }

  private readonly inbox: (() => void)[] = [];

  /** For an accepted stream: the TCP handshake is already done. */
  start(): void {
    this.tcpConnected();
  }

  /** Bytes handed to TCP and not yet acknowledged (TLS record overhead included). */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get secure(): boolean {
    return this.tls !== undefined;
  }

  /** `10.0.0.1:40000>10.0.0.2:80`: the TCP connection's id as TCP's trace rows name it. */
  get id(): string {
    return this.socket.id;
  }

  /** Sends application bytes (encrypted under TLS). */
  send(data: Uint8Array): void {
    if (this.closed) return;
    if (this.tls) this.handle(this.tls.write(data));
    else this.socket.send(data);
  }

  /** Closes our sending side (close_notify first under TLS). */
  close(): void {
    if (this.tls && !this.closed) this.handle(this.tls.close());
    this.socket.close();
  }

  abort(): void {
    this.socket.abort();
  }

  private tcpConnected(): void {
    this.handler.onTcpConnect?.(this);
    if (this.tls instanceof TlsClient && this.earlyCapable) {
      // 0-RTT: the application writes its request now; the ClientHello carries it as early data.
      const tls = this.tls;
      this.opened({ version: 'TLSv1.3', cipherSuite: 0x1301, alpn: this.earlyAlpn, resumed: true, early: true });
      this.handle(tls.start());
    } else if (this.tls instanceof TlsClient) this.handle(this.tls.start());
    else if (!this.tls) this.opened();
  }

  private opened(info?: TlsInfo): void {
    this.open = true;
    this.tlsInfo = info;
    this.handler.onOpen?.(this, info);
  }

  private tcpData(d: Uint8Array): void {
    if (this.tls) this.handle(this.tls.feed(d));
    else this.handler.onData?.(this, d);
  }

  private tcpEnd(): void {
    // Before the stream opened (a TLS handshake cut short) nobody else will close our side.
    if (!this.open || !this.handler.onEnd) this.socket.close();
    else this.handler.onEnd(this);
  }

  private tcpClosed(error?: string): void {
    if (this.closed) return;
    this.closed = true;
    const a = this.failed;
    if (error !== undefined) this.handler.onClose?.(this, error, { kind: 'tcp', error });
    else if (a)
      this.handler.onClose?.(this, `TLS alert ${a.direction}, ${a.name.replace(/_/g, ' ')} (${a.description})${a.reason ? `: ${a.reason}` : ''}`, {
        kind: 'tls',
        alert: a,
      });
    else this.handler.onClose?.(this);
  }

  /**
   * Sends every record of a batch of TLS events first, in order, then tells the application: what
   * it writes in reply is encrypted after (and so travels after) the records already produced.
   */
  private handle(events: readonly TlsEvent[]): void {
    const later: (() => void)[] = [];
    let fatal = false;
    for (const e of events) {
      switch (e.type) {
        case 'send':
          this.socket.send(e.bytes);
          break;
        case 'data':
          // A server reading 0-RTT early data: open the stream before the handshake is over.
          if (e.early && !this.open) later.push(() => this.open || this.opened({ version: 'TLSv1.3', cipherSuite: 0x1301, resumed: true, early: true }));
          later.push(() => this.handler.onData?.(this, e.data));
          break;
        case 'connected': {
          const info: TlsInfo = {
            version: e.version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
            cipherSuite: e.cipherSuite,
            alpn: e.alpn,
            resumed: e.resumed,
            earlyData: e.earlyData,
          };
          later.push(() => {
            if (!this.open) this.opened(info);
            else {
              this.tlsInfo = info;
              this.handler.onHandshakeDone?.(this, info);
            }
          });
          break;
        }
        case 'session':
          this.session = e.session;
          break;
        case 'alert':
          later.push(() => this.handler.onAlert?.(this, e));
          if (e.level === 'fatal') {
            this.failed = e;
            fatal = true;
          }
          break;
        case 'closed':
        case 'handshake':
        case 'secret':
          break;
      }
    }
    this.publishKeyLog();
    // After a fatal alert (sent above, or received) the connection is over.
    if (fatal) this.socket.close();
    for (const fn of later) fn();
  }

  /** The ALPN protocol of the session being resumed (what 0-RTT data is spoken in). */
  private get earlyAlpn(): string | undefined {
    return this.earlySession?.alpn;
  }
  private earlySession: TlsSession | undefined;

  private publishKeyLog(): void {
    if (!(this.tls instanceof TlsClient)) return;
    const lines = this.tls.keyLogLines();
    for (; this.keyLines < lines.length; this.keyLines++) this.host.state(TLS_KEYLOG_KEY, lines[this.keyLines]);
  }
}
