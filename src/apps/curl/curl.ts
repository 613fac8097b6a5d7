/**
 * curl: fetches URLs over HTTP/0.9, 1.0, 1.1 or 2, plain or with TLS, or over HTTP/3 (QUIC), and
 * prints like curl 8.5 (built with OpenSSL 3.0) does:
 * the body (or, with `-I`, the response headers), and with `-v` the connection steps (`*`), the
 * request (`>`) and the response head (`<`). Several URLs are fetched one after the other, reusing
 * a kept-alive connection to the same host and port like curl.
 *
 *   curl [-v] [-s] [-S] [-I] [-i] [-k] [-f] [-L] [-4] [-o FILE] [-w FORMAT] [-m SECONDS]
 *        [--http0.9|--http1.0|--http1.1|--http2|--http3|--http3-only] [--tlsv1.2|--tlsv1.3]
 *        [--tls-max 1.2|1.3] [--resolve HOST:PORT:ADDR] [--ssl-sessions FILE] [--tls-earlydata]
 *        [--connect-timeout SECONDS] URL...
 *
 * Errors are curl's: `curl: (CODE) MESSAGE` with curl 8's exit code and wording (a refused or
 * unreachable connect is 7, a name that does not resolve 6, a timeout 28, a TLS alert from the
 * server 35 with OpenSSL's error string, a certificate that fails verification 60); with `-v` the
 * message is also printed as a `*` line, and TLS alerts as OpenSSL's message callback shows them
 * (`* TLSv1.2 (IN), TLS alert, protocol version (582):`, level × 256 + description). `-s` hides
 * errors unless `-S` is given too.
 *
 * `--http3` fetches https:// URLs over QUIC on UDP (the handshake is TLS 1.3 inside QUIC, ALPN h3),
 * each request on its own stream of one kept connection. `--connect-timeout` (default 300 s, like
 * curl's) bounds connecting: TCP and the TLS handshake, or the QUIC handshake; an ICMP port
 * unreachable in reply fails it at once. `-m`/`--max-time` bounds each whole transfer.
 *
 * `--ssl-sessions FILE` (curl 8.12) keeps the TLS sessions (tickets) the servers gave in FILE and
 * resumes them on the next run; `--tls-earlydata` (curl 8.11) then sends the request as TLS 1.3
 * 0-RTT early data, in the ClientHello's flight. The "file" lives on the host for the run.
 *
 * Options of the real curl that the model does not reproduce (request bodies, custom headers,
 * proxies, cookies, ...) are refused with "is not modelled in Packetarium"; unknown ones with
 * curl's "is unknown".
 *
 * Simplifications, stated: `--http2` on an http:// URL uses prior knowledge (curl's
 * `--http2-prior-knowledge`), not the Upgrade: h2c dance; `-o` only discards the body (there is
 * no file system) and no progress meter is drawn, so `-s` only silences errors; `-k` skips the
 * certificate's name check (SNI is then not sent) but an expired or untrusted certificate still
 * fails, because the TLS model always verifies the chain; the name check happens inside the
 * handshake and ends it with a bad_certificate alert, where curl with OpenSSL finishes the
 * handshake, checks the name and closes without an alert (the message is curl's either way); a
 * handshake this end aborts for a reason other than the certificate prints the model's reason
 * (OpenSSL's error queue is not modelled); no `--parallel`. `--http3` behaves like
 * `--http3-only`: no fallback to TCP when QUIC fails.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../../protocols/addr';
import { bodyText, HttpClientConnection, requestLines, type ClientRequest, type ClientResponse, type HttpProtocol } from '../../protocols/http/client';
import { sceneCa } from '../../protocols/http/pki';
import { HttpStream, type StreamFailure, type TlsAlertEvent } from '../../protocols/http/stream';
import { H3ClientConnection } from '../../protocols/http3/client';
import { DNS_TYPE } from '../../protocols/dns/dns';
import { StubResolver } from '../../protocols/dns/stub';
import { CIPHER_SUITE_NAMES, type TlsSession, type TlsVersion } from '../../protocols/tls';
import type { IpDevice } from '../../net/ip/ip-device';
import type { TimerId } from '../../sim/kernel';
import { parseArgs, parseSeconds, type OptionSpec } from '../command';
import {
  alertTraceLine,
  certificateError,
  connectError,
  CURL_SSL_LIBRARY,
  CURLE,
  maxTimeError,
  receivedAlertError,
  SSLCERTS_HELP,
  type CurlError,
} from './errors';
import { Program } from '../program';
import { registerApp } from '../registry';

/** A parsed http:// or https:// URL. */
export interface HttpUrl {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** As given (with a scheme added when there was none). */
  readonly href: string;
}

/** Parses `http://10.0.0.2/`, `https://www.example.test:8443/a`, `10.0.0.2/x` (http assumed). */
export function parseUrl(text: string): HttpUrl | string {
  const m = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+)(?::(\d+))?(\/[^\s#]*)?$/.exec(text);
  if (!m) return `"${text}" is not an http:// or https:// URL`;
  const scheme = (m[1] ?? 'http') as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return `port ${port} in "${text}" must be 1 to 65535`;
  const path = m[4] ?? '/';
  return { scheme, host: m[2].toLowerCase(), port, path, href: `${scheme}://${m[2]}${m[3] ? `:${m[3]}` : ''}${path}` };
}

/** Parses curl's `--resolve HOST:PORT:ADDRESS[,HOST:PORT:ADDRESS...]` (fixed answers instead of DNS). */
export function parseResolve(text: string): Map<string, Ipv4> | string {
  const out = new Map<string, Ipv4>();
  for (const part of text.split(',').filter(Boolean)) {
    const m = /^([A-Za-z0-9.-]+):(\d+):([\d.]+)$/.exec(part);
    const addr = m ? parseIpv4(m[3]) : undefined;
    if (!m || addr === undefined) return `--resolve: "${part}" is not HOST:PORT:ADDRESS`;
    out.set(`${m[1].toLowerCase()}:${Number(m[2])}`, addr);
  }
  return out;
}

/** `Host` header value: the host, with the port when it is not the scheme's default. */
export function authorityOf(u: HttpUrl): string {
  return u.port === (u.scheme === 'https' ? 443 : 80) ? u.host : `${u.host}:${u.port}`;
}

interface CurlOptions {
  urls: HttpUrl[];
  verbose: boolean;
  head: boolean;
  insecure: boolean;
  /** Body discarded (`-o FILE`). */
  discard: boolean;
  /** Version forced by a flag, or undefined for curl's default (1.1, or ALPN h2/http1.1 over TLS). */
  version: HttpProtocol | undefined;
  /** `--resolve` entries: `host:port` → address. */
  resolve: ReadonlyMap<string, Ipv4>;
  /** TLS versions offered (`--tlsv1.2`/`--tlsv1.3` set the lowest, `--tls-max` the highest). */
  tlsVersions: readonly TlsVersion[];
  /** `-w` format, printed after each transfer. */
  writeOut: string | undefined;
  /** `--ssl-sessions FILE`: where TLS sessions are kept between runs on this host. */
  sslSessions?: string;
  /** `--tls-earlydata`: send the request as 0-RTT early data when a kept session allows it. */
  earlyData?: boolean;
  /** `--http3` / `--http3-only`: HTTP/3 over QUIC (https:// URLs only). */
  http3?: boolean;
  /** `--connect-timeout`, ns. */
  connectTimeoutNs?: number;
  /** `-m`/`--max-time`, ns: the longest one transfer may take. */
  maxTimeNs?: number;
  /** `-s`: no error messages (unless `showError`). */
  silent?: boolean;
  /** `-S`: error messages even with `-s`. */
  showError?: boolean;
  /** `-i`: the response head before the body. */
  include?: boolean;
  /** `-f`: an HTTP status of 400 or more is an error (22), and the body is not printed. */
  fail?: boolean;
  /** `-L`: follow 3xx redirects. */
  follow?: boolean;
}

/** curl's default connect timeout (DEFAULT_CONNECT_TIMEOUT, 300 s). */
const CURL_CONNECT_TIMEOUT_NS = 300e9;

/** The only cipher suite of the QUIC model (AES-128-GCM). */
const QUIC_CIPHER_SUITE = 'TLS_AES_128_GCM_SHA256';

/** The `--ssl-sessions` files of each host: file name → `host:port` (`h3 host:port` for QUIC) → session. */
const sessionFiles = new WeakMap<IpDevice, Map<string, Map<string, TlsSession>>>();

function sessionFile(device: IpDevice, name: string): Map<string, TlsSession> {
  let files = sessionFiles.get(device);
  if (!files) sessionFiles.set(device, (files = new Map()));
  let f = files.get(name);
  if (!f) files.set(name, (f = new Map()));
  return f;
}

/** Times of one transfer, ns since it started (undefined: did not happen, e.g. a reused connection). */
interface Timing {
  start: number;
  namelookup?: number;
  connect?: number;
  appconnect?: number;
  starttransfer?: number;
  total?: number;
  remoteIp?: Ipv4;
}

/**
 * curl's `-w` variables this model knows: time_namelookup, time_connect, time_appconnect,
 * time_starttransfer, time_total (seconds, 6 decimals), http_code, http_version, remote_ip; and `\n`.
 */
function writeOut(format: string, t: Timing, r: ClientResponse | undefined): string {
  const sec = (v: number | undefined) => (v === undefined ? 0 : (v - t.start) / 1e9).toFixed(6);
  const vars: Record<string, string> = {
    time_namelookup: sec(t.namelookup),
    time_connect: sec(t.connect),
    time_appconnect: sec(t.appconnect),
    time_starttransfer: sec(t.starttransfer),
    time_total: sec(t.total),
    http_code: String(r?.status ?? 0).padStart(3, '0'),
    http_version: r ? (r.version === 'HTTP/2' ? '2' : r.version.replace('HTTP/', '')) : '0',
    remote_ip: t.remoteIp === undefined ? '' : formatIpv4(t.remoteIp),
  };
  return format.replace(/%\{(\w+)\}/g, (m, k: string) => vars[k] ?? m).replace(/\\n/g, '\n');
}

/** Wall-clock-free curl version banner used in User-Agent. */
const CURL_USER_AGENT = 'curl/8.5.0';

interface Conn {
  key: string;
  /** The TCP (or TLS) byte stream; none for HTTP/3. */
  stream?: HttpStream;
  /** The key of its session in `--ssl-sessions`: `host:port` (TCP), `h3 host:port` (QUIC). */
  origin: string;
  id: number;
  http: HttpClientConnection | H3ClientConnection;
  host: string;
  /** The newest session ticket of an HTTP/3 connection. */
  session?: TlsSession;
}

/** One URL's transfer: it ends exactly once, with a response or an error. */
interface Transfer {
  settled: boolean;
  url: HttpUrl;
  /** The stream or QUIC connection being set up, to abort on a timeout. */
  stream?: HttpStream;
  h3?: H3ClientConnection;
  /** The connection the request went out on. */
  conn?: Conn;
  /** Body bytes so far, and the size the response announced. */
  bytes: number;
  size?: number;
  head: boolean;
  redirects: number;
}

/** HTTP status codes curl follows with `-L`. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** curl's default --max-redirs. */
const MAX_REDIRS = 50;

class Curl extends Program {
  private readonly conns: Conn[] = [];
  /** Every QUIC connection opened, to release their UDP ports on exit. */
  private readonly quicConns: H3ClientConnection[] = [];
  private nextConnId = 0;
  private resolver: StubResolver | undefined;
  private index = 0;
  private timing: Timing = { start: 0 };
  private transfer: Transfer | undefined;
  private transferTimers: TimerId[] = [];

  constructor(
    device: IpDevice,
    private readonly o: CurlOptions,
  ) {
    super(device);
  }

  private get host() {
    return this.device.stack;
  }

  private v(line: string): void {
    if (this.o.verbose) this.print(line);
  }

  protected main(): void {
    this.next();
  }

  /** Fetches the next URL, or exits. */
  private next(): void {
    const u = this.o.urls[this.index++];
    if (!u) {
      // Linger a few round trips after closing QUIC connections, so that the server's last
      // packets still find the UDP port open.
      const linger = Math.max(0, ...this.conns.map((c) => (c.http instanceof H3ClientConnection ? 4 * (c.http.quic.smoothedRtt || 50e6) : 0)));
      for (const c of [...this.conns]) {
        this.keepSession(c);
        c.http.close();
      }
      if (linger > 0) this.after(linger, () => this.exit());
      else this.exit();
      return;
    }
    this.begin(u, 0);
  }

  /** Starts one transfer (a URL given, or a redirect followed), with its timeouts. */
  private begin(u: HttpUrl, redirects: number): void {
    this.timing = { start: this.now };
    const t: Transfer = { settled: false, url: u, bytes: 0, head: false, redirects };
    this.transfer = t;
    if (this.o.maxTimeNs !== undefined) {
      this.transferTimers.push(
        this.after(this.o.maxTimeNs, () => {
          const phase =
            this.timing.namelookup === undefined && this.timing.connect === undefined && this.resolving ? 'resolving' : t.head ? 'transfer' : 'connecting';
          this.abortTransfer(t);
          this.fail(t, maxTimeError(phase, this.now - this.timing.start, t.bytes, t.size));
        }),
      );
    }
    const ip = parseIpv4(u.host) ?? this.o.resolve.get(`${u.host}:${u.port}`);
    if (ip !== undefined) {
      if (this.o.resolve.has(`${u.host}:${u.port}`)) this.v(`* Added ${u.host}:${u.port}:${formatIpv4(ip)} to DNS cache`);
      this.fetch(u, ip);
      return;
    }
    this.resolver ??= new StubResolver(this.host, { after: (d, fn) => this.after(d, fn), cancel: (id) => this.cancel(id) });
    this.resolving = true;
    this.resolver.lookup(u.host, DNS_TYPE.A, (r) => {
      this.resolving = false;
      if (!this.alive || t.settled) return;
      const a = r.ok ? r.message.answers.find((x) => x.data.kind === 'A') : undefined;
      if (!a || a.data.kind !== 'A') {
        this.fail(t, { code: CURLE.COULDNT_RESOLVE_HOST, message: `Could not resolve host: ${u.host}` });
        return;
      }
      this.timing.namelookup = this.now;
      this.v(`* Host ${u.host}:${u.port} was resolved.`);
      this.v(`* IPv4: ${formatIpv4(a.data.address)}`);
      this.fetch(u, a.data.address);
    });
  }

  private resolving = false;

  /** Stops what a timed-out transfer had under way. */
  private abortTransfer(t: Transfer): void {
    t.stream?.abort();
    t.h3?.release();
    const c = t.conn;
    if (c) {
      c.stream?.abort();
      if (c.http instanceof H3ClientConnection) c.http.release();
    }
    for (let i = this.conns.length - 1; i >= 0; i--) if (this.conns[i] === c || this.conns[i].http === t.h3) this.conns.splice(i, 1);
  }

  /** Ends the current transfer with an error, printed as curl prints it, and moves on. */
  private fail(t: Transfer, e: CurlError): void {
    if (t.settled) return;
    this.settle(t);
    // curl's failf also writes the message to the -v stream.
    this.v(`* ${e.message}`);
    if (!this.o.silent || this.o.showError) {
      this.print(`curl: (${e.code}) ${e.message}`);
      if (e.code === CURLE.PEER_FAILED_VERIFICATION) for (const line of SSLCERTS_HELP) this.print(line);
    }
    if (this.o.writeOut !== undefined) this.printOut(undefined);
    this.next();
  }

  private settle(t: Transfer): void {
    t.settled = true;
    for (const id of this.transferTimers) this.cancel(id);
    this.transferTimers = [];
  }

  private printOut(r: ClientResponse | undefined): void {
    this.timing.total ??= this.now;
    const text = writeOut(this.o.writeOut!, this.timing, r);
    for (const line of text.replace(/\n$/, '').split('\n')) this.print(line);
  }

  /** The connect timeout (`--connect-timeout`, default 300 s): TCP and TLS, or the QUIC handshake. */
  private connectTimer(t: Transfer, u: HttpUrl): TimerId {
    const id = this.after(Math.max(0, this.timing.start + (this.o.connectTimeoutNs ?? CURL_CONNECT_TIMEOUT_NS) - this.now), () => {
      this.abortTransfer(t);
      this.fail(t, connectError(CURLE.OPERATION_TIMEDOUT, u.host, u.port, this.now - this.timing.start));
    });
    this.transferTimers.push(id);
    return id;
  }

  // eslint-disable-next-line max-lines-per-function -- one request's steps in order (connect, TLS, send, read, report), each sharing the request's timers and -v output
  private fetch(u: HttpUrl, addr: Ipv4): void {
    const t = this.transfer!;
    this.timing.remoteIp = addr;
    const key = `${this.o.http3 ? 'h3' : u.scheme}://${formatIpv4(addr)}:${u.port}`;
    const reuse = this.conns.find((c) => c.key === key && c.http.available);
    if (reuse) {
      this.v(`* Re-using existing connection with host ${reuse.host}`);
      this.send(reuse, u);
      return;
    }
    this.v(`*   Trying ${formatIpv4(addr)}:${u.port}...`);
    if (this.o.http3) {
      this.fetchH3(u, addr, key);
      return;
    }
    const alpn = u.scheme === 'https' ? (this.o.version === 'h2' ? ['h2'] : this.o.version === undefined ? ['h2', 'http/1.1'] : ['http/1.1']) : undefined;
    const origin = `${u.host}:${u.port}`;
    const session = u.scheme === 'https' && this.o.sslSessions !== undefined ? sessionFile(this.device, this.o.sslSessions).get(origin) : undefined;
    if (session) this.v(`* SSL reusing session with ticket (${session.version === '1.3' ? 'TLSv1.3' : 'TLSv1.2'})`);
    const connectTimer = this.connectTimer(t, u);
    let tcpUp = false;
    const s = HttpStream.connect(
      this.host,
      addr,
      u.port,
      {
        onTcpConnect: (st) => {
          tcpUp = true;
          this.timing.connect = this.now;
          this.v(`* Connected to ${u.host} (${formatIpv4(addr)}) port ${u.port}`);
          if (alpn) this.v(`* ALPN: curl offers ${alpn.join(',')}`);
          if (!st.secure) this.cancel(connectTimer);
        },
        onOpen: (st, tls) => {
          this.cancel(connectTimer);
          t.stream = undefined;
          if (tls && !tls.early) this.timing.appconnect = this.now;
          let protocol: HttpProtocol = this.o.version ?? 'HTTP/1.1';
          if (tls?.early) {
            this.v(`* TLSv1.3 0-RTT: sending the request as early data in the ClientHello's flight`);
            protocol = tls.alpn === 'h2' ? 'h2' : protocol === 'h2' ? 'HTTP/1.1' : protocol;
          } else if (tls) {
            this.v(`* SSL connection using ${tls.version} / ${CIPHER_SUITE_NAMES[tls.cipherSuite] ?? tls.cipherSuite}`);
            this.v(tls.alpn ? `* ALPN: server accepted ${tls.alpn}` : '* ALPN: server did not agree on a protocol. Uses default.');
            if (!this.o.insecure) this.v('*  SSL certificate verify ok.');
            protocol = tls.alpn === 'h2' ? 'h2' : protocol === 'h2' ? 'HTTP/1.1' : protocol;
          }
          if (protocol === 'h2') this.v('* using HTTP/2');
          const http = new HttpClientConnection(st, protocol);
          const c: Conn = { key, stream: st, origin, id: this.nextConnId++, http, host: u.host };
          this.conns.push(c);
          http.onClosed = () => {
            const i = this.conns.indexOf(c);
            if (i >= 0) this.conns.splice(i, 1);
          };
          this.send(c, u);
        },
        onClose: (st, _error, failure) => {
          if (st.open || t.settled) return;
          this.fail(t, this.setupError(u, addr, st, tcpUp, failure));
        },
        onHandshakeDone: (_st, tls) => {
          this.timing.appconnect = this.now;
          this.v(
            `* SSL connection using ${tls.version} / ${CIPHER_SUITE_NAMES[tls.cipherSuite] ?? tls.cipherSuite} (resumed, early data ${tls.earlyData ?? 'none'})`,
          );
        },
        onAlert: (st, a) => {
          if (a.certificate === 'name-mismatch') this.v(`*  subjectAltName does not match ${u.host}`);
          this.v(alertTraceLine(a));
          // A fatal alert during the handshake fails the transfer at once, as SSL_connect returns.
          if (a.level === 'fatal' && !st.open) this.fail(t, tlsAlertError(a, u.host));
        },
      },
      u.scheme === 'https'
        ? {
            serverName: this.o.insecure ? undefined : u.host,
            trustAnchors: [sceneCa().certificate],
            alpn,
            versions: this.o.tlsVersions,
            session,
            earlyData: this.o.earlyData === true,
          }
        : undefined,
    );
    if (typeof s === 'string') this.fail(t, { code: CURLE.COULDNT_CONNECT, message: `Failed to connect to ${u.host} port ${u.port}: ${s}` });
    else t.stream = s;
  }

  /** Why a connection failed before it opened: TCP's connect, or the TLS handshake. */
  private setupError(u: HttpUrl, addr: Ipv4, st: HttpStream, tcpUp: boolean, failure: StreamFailure | undefined): CurlError {
    if (failure?.kind === 'tls') return tlsAlertError(failure.alert, u.host);
    if (!tcpUp) {
      this.v(
        `* connect to ${formatIpv4(addr)} port ${u.port} from ${formatIpv4(st.socket.localIp)} port ${st.socket.localPort} failed: ${failure?.error ?? 'Connection refused'}`,
      );
      return connectError(CURLE.COULDNT_CONNECT, u.host, u.port, this.now - this.timing.start);
    }
    // TCP was up and the TLS handshake did not finish: reset, or the server closed.
    if (failure) return { code: CURLE.SSL_CONNECT_ERROR, message: `Recv failure: ${failure.error}` };
    return { code: CURLE.SSL_CONNECT_ERROR, message: `${CURL_SSL_LIBRARY}: error:0A000126:SSL routines::unexpected eof while reading` };
  }

  /** Opens a QUIC connection (TLS 1.3 inside its handshake, ALPN h3) and sends the request over HTTP/3. */
  private fetchH3(u: HttpUrl, addr: Ipv4, key: string): void {
    const t = this.transfer!;
    const origin = `h3 ${u.host}:${u.port}`;
    const session = this.o.sslSessions !== undefined ? sessionFile(this.device, this.o.sslSessions).get(origin) : undefined;
    const early = session !== undefined && this.o.earlyData === true;
    if (session) this.v('* SSL reusing session with ticket (TLSv1.3)');
    /** The connection once made, and whether the handshake finished. */
    const at: { c?: Conn; timer?: TimerId; connected: boolean } = { connected: false };
    const h3 = H3ClientConnection.connect(
      this.host,
      { addr, port: u.port },
      { serverName: this.o.insecure ? undefined : u.host, trustAnchors: [sceneCa().certificate], session, earlyData: early },
      {
        onConnected: (info) => {
          if (at.timer !== undefined) this.cancel(at.timer);
          at.connected = true;
          t.h3 = undefined;
          this.timing.connect = this.now;
          this.timing.appconnect = this.now;
          this.v(`* SSL connection using TLSv1.3 / ${QUIC_CIPHER_SUITE}${info.resumed ? ` (resumed, early data ${info.earlyData})` : ''}`);
          this.v(`* ALPN: server accepted ${info.alpn ?? 'h3'}`);
          if (!this.o.insecure && !info.resumed) this.v('*  SSL certificate verify ok.');
          this.v(`* Connected to ${u.host} (${formatIpv4(addr)}) port ${u.port}`);
          if (!early) {
            this.v('* using HTTP/3');
            this.conns.push(at.c!);
            this.send(at.c!, u);
          }
        },
        onSession: (s) => {
          if (at.c) at.c.session = s;
        },
        onClose: (error) => {
          const i = at.c ? this.conns.indexOf(at.c) : -1;
          if (i >= 0) this.conns.splice(i, 1);
          if (at.connected) return; // after the handshake: the request in flight reports it
          const alert = typeof h3 === 'string' ? undefined : h3.quic.tlsAlert;
          if (alert) {
            if (alert.direction === 'sent') this.v(alertTraceLine({ ...alert, level: 'fatal', version: '1.3' }));
            if (alert.certificate) this.fail(t, certificateError(alert.certificate, u.host));
            else if (alert.direction === 'received') this.fail(t, receivedAlertError(alert.description));
            else this.fail(t, { code: CURLE.SSL_CONNECT_ERROR, message: `QUIC connect error: ${error ?? 'handshake failed'}` });
          } else this.fail(t, connectError(CURLE.COULDNT_CONNECT, u.host, u.port, this.now - this.timing.start));
        },
      },
    );
    if (typeof h3 === 'string') {
      this.fail(t, { code: CURLE.COULDNT_CONNECT, message: `Failed to connect to ${u.host} port ${u.port}: ${h3}` });
      return;
    }
    this.quicConns.push(h3);
    t.h3 = h3;
    const c: Conn = { key, origin, id: this.nextConnId++, http: h3, host: u.host };
    at.c = c;
    at.timer = this.connectTimer(t, u);
    if (early) {
      // Resuming with early data: the request rides in 0-RTT packets, before the handshake.
      this.v('* QUIC 0-RTT: sending the request as early data in the first flight');
      this.v('* using HTTP/3');
      this.conns.push(c);
      this.send(c, u);
    }
    h3.start();
  }

  private send(c: Conn, u: HttpUrl): void {
    const t = this.transfer!;
    t.conn = c;
    const req: ClientRequest = {
      method: this.o.head ? 'HEAD' : 'GET',
      path: u.path,
      authority: authorityOf(u),
      scheme: u.scheme,
      headers:
        c.http.protocol === 'HTTP/0.9'
          ? []
          : [
              { name: 'User-Agent', value: CURL_USER_AGENT },
              { name: 'Accept', value: '*/*' },
            ],
    };
    if (c.http.protocol === 'h2') this.v(`* [HTTP/2] [${2 * c.http.used + 1}] OPENED stream for ${u.href}`);
    if (c.http.protocol === 'h3') this.v(`* [HTTP/3] [${4 * c.http.used}] OPENED stream for ${u.href}`);
    c.http.request(req, {
      onSent: () => {
        for (const line of requestLines(c.http.protocol, req)) this.v(`> ${line}`);
        if (c.http.protocol !== 'HTTP/0.9') this.v('> ');
      },
      onHead: (r) => {
        if (t.settled) return;
        t.head = true;
        const length = r.headers.find((h) => h.name.toLowerCase() === 'content-length');
        if (length) t.size = Number(length.value);
        this.timing.starttransfer = this.now;
        if (r.version === 'HTTP/0.9') return;
        const status = r.version === 'HTTP/2' || r.version === 'HTTP/3' ? `${r.version} ${r.status} ` : `${r.version} ${r.status} ${r.reason}`;
        this.v(`< ${status}`);
        for (const h of r.headers) this.v(`< ${h.name}: ${h.value}`);
        this.v('< ');
        if ((this.o.head || this.o.include) && !this.o.verbose && !(this.o.fail && r.status >= 400)) {
          this.print(status);
          for (const h of r.headers) this.print(`${h.name}: ${h.value}`);
          this.print('');
        }
      },
      onData: (n) => {
        t.bytes += n;
      },
      onDone: (r) => this.done(c, r, t),
      onError: (e, kind) => {
        if (t.settled) return;
        if (kind === 'stream-reset') this.fail(t, { code: c.http.protocol === 'h2' ? CURLE.HTTP2_STREAM : CURLE.RECV_ERROR, message: e });
        else if (kind === 'malformed') this.fail(t, { code: CURLE.WEIRD_SERVER_REPLY, message: e });
        else if (kind === 'connection-error') this.fail(t, { code: CURLE.RECV_ERROR, message: `Recv failure: ${e}` });
        else if (!t.head) this.fail(t, { code: CURLE.GOT_NOTHING, message: 'Empty reply from server' });
        else
          this.fail(t, {
            code: CURLE.PARTIAL_FILE,
            message: `transfer closed with ${t.size !== undefined ? `${t.size - t.bytes} bytes` : 'outstanding read data'} remaining to read`,
          });
      },
    });
  }

  private done(c: Conn, r: ClientResponse, t: Transfer): void {
    if (t.settled) return;
    this.keepSession(c);
    if (this.o.fail && r.status >= 400) {
      this.fail(t, { code: CURLE.HTTP_RETURNED_ERROR, message: `The requested URL returned error: ${r.status}` });
      return;
    }
    if (!this.o.head && r.body.length > 0) {
      if (this.o.discard) this.v(`{ [${r.body.length} bytes data]`);
      else {
        const text = bodyText(r.body);
        if (text === undefined)
          this.print('Warning: Binary output can mess up your terminal. Use "--output -" to tell curl to output it to your terminal anyway.');
        else for (const line of text.replace(/\n$/, '').split('\n')) this.print(line);
      }
    }
    if (c.http.done) this.v(`* Closing connection #${c.id}`);
    else this.v(`* Connection #${c.id} to host ${c.host} left intact`);
    const location = r.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
    if (this.o.follow && REDIRECTS.has(r.status) && location) {
      const target = resolveLocation(t.url, location);
      if (typeof target !== 'string') {
        if (t.redirects >= MAX_REDIRS) {
          this.fail(t, { code: CURLE.TOO_MANY_REDIRECTS, message: `Maximum (${MAX_REDIRS}) redirects followed` });
          return;
        }
        this.settle(t);
        this.v(`* Issue another request to this URL: '${target.href}'`);
        this.begin(target, t.redirects + 1);
        return;
      }
    }
    this.settle(t);
    this.timing.total = this.now;
    if (this.o.writeOut !== undefined) this.printOut(r);
    this.next();
  }

  /** `--ssl-sessions`: keeps the connection's newest TLS session for the next run. */
  private keepSession(c: Conn): void {
    const session = c.stream?.session ?? c.session;
    if (this.o.sslSessions === undefined || !session) return;
    sessionFile(this.device, this.o.sslSessions).set(c.origin, session);
  }

  protected override onExit(): void {
    this.resolver?.close();
    for (const c of this.quicConns) c.release();
  }
}

/** curl's error for a fatal TLS alert in the handshake: the server's (35), or our certificate verdict (60). */
function tlsAlertError(a: TlsAlertEvent, host: string): CurlError {
  if (a.direction === 'received') return receivedAlertError(a.description);
  if (a.certificate) return certificateError(a.certificate, host);
  return { code: CURLE.SSL_CONNECT_ERROR, message: `TLS connect error: ${a.reason ?? a.name}` };
}

/** A `Location:` value as a URL: absolute, or a path on the same scheme, host and port. */
export function resolveLocation(base: HttpUrl, location: string): HttpUrl | string {
  if (/^https?:\/\//i.test(location)) return parseUrl(location);
  const path = location.startsWith('/') ? location : `${base.path.replace(/[^/]*$/, '')}${location}`;
  const port = base.port === (base.scheme === 'https' ? 443 : 80) ? '' : `:${base.port}`;
  return parseUrl(`${base.scheme}://${base.host}${port}${path}`);
}

/** curl's options: the ones modelled, and real ones the model refuses by name. */
const CURL_OPTIONS: OptionSpec = {
  v: 'flag',
  verbose: 'flag',
  s: 'flag',
  silent: 'flag',
  S: 'flag',
  'show-error': 'flag',
  I: 'flag',
  head: 'flag',
  i: 'flag',
  include: 'flag',
  k: 'flag',
  insecure: 'flag',
  f: 'flag',
  fail: 'flag',
  L: 'flag',
  location: 'flag',
  '4': 'flag',
  ipv4: 'flag',
  o: 'string',
  output: 'string',
  w: 'string',
  'write-out': 'string',
  m: 'string',
  'max-time': 'string',
  'http0.9': 'flag',
  'http1.0': 'flag',
  'http1.1': 'flag',
  http2: 'flag',
  'http2-prior-knowledge': 'flag',
  resolve: 'string',
  'tlsv1.2': 'flag',
  'tlsv1.3': 'flag',
  'tls-max': 'string',
  'ssl-sessions': 'string',
  'tls-earlydata': 'flag',
  http3: 'flag',
  'http3-only': 'flag',
  'connect-timeout': 'string',
  // Real curl options the model does not reproduce.
  '6': 'unmodelled',
  ipv6: 'unmodelled',
  O: 'unmodelled',
  'remote-name': 'unmodelled',
  X: 'unmodelled',
  request: 'unmodelled',
  H: 'unmodelled',
  header: 'unmodelled',
  d: 'unmodelled',
  data: 'unmodelled',
  'data-raw': 'unmodelled',
  'data-binary': 'unmodelled',
  F: 'unmodelled',
  form: 'unmodelled',
  json: 'unmodelled',
  A: 'unmodelled',
  'user-agent': 'unmodelled',
  e: 'unmodelled',
  referer: 'unmodelled',
  u: 'unmodelled',
  user: 'unmodelled',
  b: 'unmodelled',
  cookie: 'unmodelled',
  c: 'unmodelled',
  'cookie-jar': 'unmodelled',
  x: 'unmodelled',
  proxy: 'unmodelled',
  noproxy: 'unmodelled',
  cacert: 'unmodelled',
  capath: 'unmodelled',
  E: 'unmodelled',
  cert: 'unmodelled',
  key: 'unmodelled',
  compressed: 'unmodelled',
  retry: 'unmodelled',
  'retry-delay': 'unmodelled',
  'max-redirs': 'unmodelled',
  D: 'unmodelled',
  'dump-header': 'unmodelled',
  trace: 'unmodelled',
  'trace-ascii': 'unmodelled',
  'limit-rate': 'unmodelled',
  Z: 'unmodelled',
  parallel: 'unmodelled',
  '#': 'unmodelled',
  'progress-bar': 'unmodelled',
  T: 'unmodelled',
  'upload-file': 'unmodelled',
  G: 'unmodelled',
  get: 'unmodelled',
  'tlsv1.0': 'unmodelled',
  'tlsv1.1': 'unmodelled',
  ciphers: 'unmodelled',
  interface: 'unmodelled',
  'local-port': 'unmodelled',
};

/** Long option names that mean the same as a short one. */
const CURL_ALIASES: Readonly<Record<string, string>> = {
  verbose: 'v',
  silent: 's',
  'show-error': 'S',
  head: 'I',
  include: 'i',
  insecure: 'k',
  fail: 'f',
  location: 'L',
  ipv4: '4',
  output: 'o',
  'write-out': 'w',
  'max-time': 'm',
};

/** A number of seconds as curl reads it (`5`, `0.5`), in ns; undefined when not one. */
function curlSeconds(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? parseSeconds(text) : undefined;
}

registerApp<CurlOptions>({
  name: 'curl',
  options: CURL_OPTIONS,
  summary: 'transfer URLs over HTTP/0.9, 1.0, 1.1 or 2, with or without TLS, or over HTTP/3 (QUIC)',
  usage:
    'curl [-v] [-s] [-S] [-I] [-i] [-k] [-f] [-L] [-4] [-o FILE] [-w FORMAT] [-m SECONDS] [--http0.9|--http1.0|--http1.1|--http2|--http3|--http3-only] [--tlsv1.2|--tlsv1.3] [--tls-max 1.2|1.3] [--resolve HOST:PORT:ADDR] [--ssl-sessions FILE] [--tls-earlydata] [--connect-timeout SECONDS] URL...',
  parse(argv) {
    const r = parseArgs(argv, CURL_OPTIONS);
    if (!r.ok) return { ok: false, error: r.error.replace(/^unknown option (\S+)$/, 'option $1: is unknown') };
    for (const [long, short] of Object.entries(CURL_ALIASES)) if (r.args.options[long] !== undefined) r.args.options[short] = r.args.options[long];
    const { positional, options } = r.args;
    if (positional.length === 0) return { ok: false, error: 'no URL specified' };
    const urls: HttpUrl[] = [];
    for (const p of positional) {
      const u = parseUrl(p);
      if (typeof u === 'string') return { ok: false, error: u };
      urls.push(u);
    }
    const flags = (['http0.9', 'http1.0', 'http1.1', 'http2', 'http2-prior-knowledge', 'http3', 'http3-only'] as const).filter((f) => options[f] === true);
    if (flags.length > 1) return { ok: false, error: `give one of --${flags.join(', --')}` };
    const versions: Record<string, HttpProtocol> = {
      'http0.9': 'HTTP/0.9',
      'http1.0': 'HTTP/1.0',
      'http1.1': 'HTTP/1.1',
      http2: 'h2',
      'http2-prior-knowledge': 'h2',
    };
    const http3 = flags[0] === 'http3' || flags[0] === 'http3-only';
    const version: HttpProtocol | undefined = flags.length && !http3 ? versions[flags[0]] : undefined;
    if (http3 && urls.some((u) => u.scheme !== 'https')) return { ok: false, error: `--${flags[0]} needs https:// URLs (HTTP/3 is always encrypted)` };
    const timeoutText = options['connect-timeout'] as string | undefined;
    const connectTimeoutNs = curlSeconds(timeoutText);
    if (timeoutText !== undefined && !connectTimeoutNs) return { ok: false, error: `--connect-timeout "${timeoutText}" is not a number of seconds` };
    const maxTimeText = options.m as string | undefined;
    const maxTimeNs = curlSeconds(maxTimeText);
    if (maxTimeText !== undefined && !maxTimeNs) return { ok: false, error: `--max-time "${maxTimeText}" is not a number of seconds` };
    if (version === 'HTTP/0.9' && urls.some((u) => u.scheme === 'https')) return { ok: false, error: '--http0.9 works over http:// only here' };
    const resolve = parseResolve((options.resolve as string | undefined) ?? '');
    if (typeof resolve === 'string') return { ok: false, error: resolve };
    const max = (options['tls-max'] as string | undefined) ?? '1.3';
    if (max !== '1.2' && max !== '1.3') return { ok: false, error: '--tls-max must be 1.2 or 1.3' };
    const min = options['tlsv1.3'] === true ? '1.3' : '1.2';
    const tlsVersions = (['1.3', '1.2'] as const).filter((v) => v <= max && v >= min);
    if (!tlsVersions.length) return { ok: false, error: '--tlsv1.3 and --tls-max 1.2 leave no version' };
    return {
      ok: true,
      options: {
        urls,
        verbose: options.v === true,
        head: options.I === true,
        insecure: options.k === true,
        discard: options.o !== undefined,
        version,
        resolve,
        tlsVersions,
        writeOut: options.w as string | undefined,
        sslSessions: options['ssl-sessions'] as string | undefined,
        earlyData: options['tls-earlydata'] === true,
        http3,
        connectTimeoutNs,
        maxTimeNs,
        silent: options.s === true,
        showError: options.S === true,
        include: options.i === true,
        fail: options.f === true,
        follow: options.L === true,
      },
    };
  },
  create: (device, o) => new Curl(device, o),
});
