/**
 * curl: fetches URLs over HTTP/0.9, 1.0, 1.1 or 2, plain or with TLS, or over HTTP/3 (QUIC), and
 * prints like curl 8 does:
 * the body (or, with `-I`, the response headers), and with `-v` the connection steps (`*`), the
 * request (`>`) and the response head (`<`). Several URLs are fetched one after the other, reusing
 * a kept-alive connection to the same host and port like curl.
 *
 *   curl [-v] [-I] [-k] [-o FILE] [-w FORMAT] [--http0.9|--http1.0|--http1.1|--http2|--http3|--http3-only]
 *        [--tlsv1.2|--tlsv1.3] [--tls-max 1.2|1.3] [--resolve HOST:PORT:ADDR] [--ssl-sessions FILE]
 *        [--tls-earlydata] [--connect-timeout SECONDS] URL...
 *
 * `--http3` fetches https:// URLs over QUIC on UDP (the handshake is TLS 1.3 inside QUIC, ALPN h3),
 * each request on its own stream of one kept connection. `--connect-timeout` (default 300 s, like
 * curl's) bounds the QUIC handshake; an ICMP port unreachable in reply fails it at once.
 *
 * `--ssl-sessions FILE` (curl 8.12) keeps the TLS sessions (tickets) the servers gave in FILE and
 * resumes them on the next run; `--tls-earlydata` (curl 8.11) then sends the request as TLS 1.3
 * 0-RTT early data, in the ClientHello's flight. The "file" lives on the host for the run.
 *
 * Simplifications, stated: `--http2` on an http:// URL uses prior knowledge (curl's
 * `--http2-prior-knowledge`), not the Upgrade: h2c dance; `-o` only discards the body (there is
 * no file system); `-k` skips the certificate's name check (SNI is then not sent) but an expired
 * or untrusted certificate still fails, because the TLS model always verifies the chain; no
 * redirects (`-L`), no request bodies, no `--parallel`. `--http3` behaves like `--http3-only`: no
 * fallback to TCP when QUIC fails. `--connect-timeout` applies to HTTP/3 only.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../../protocols/addr';
import { bodyText, HttpClientConnection, requestLines, type ClientRequest, type ClientResponse, type HttpProtocol } from '../../protocols/http/client';
import { sceneCa } from '../../protocols/http/pki';
import { HttpStream } from '../../protocols/http/stream';
import { H3ClientConnection } from '../../protocols/http3/client';
import { DNS_TYPE } from '../../protocols/dns/dns';
import { StubResolver } from '../../protocols/dns/stub';
import { CIPHER_SUITE_NAMES, type TlsSession, type TlsVersion } from '../../protocols/tls';
import type { IpDevice } from '../../net/ip/ip-device';
import type { TimerId } from '../../sim/kernel';
import { parseArgs, parseSeconds } from '../command';
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

export interface CurlOptions {
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
  /** `--connect-timeout`, ns (HTTP/3 here). */
  connectTimeoutNs?: number;
}

/** curl's default connect timeout (DEFAULT_CONNECT_TIMEOUT, 300 s). */
export const CURL_CONNECT_TIMEOUT_NS = 300e9;

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
export function writeOut(format: string, t: Timing, r: ClientResponse | undefined): string {
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
export const CURL_USER_AGENT = 'curl/8.5.0';

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

export class Curl extends Program {
  private readonly conns: Conn[] = [];
  /** Every QUIC connection opened, to release their UDP ports on exit. */
  private readonly quicConns: H3ClientConnection[] = [];
  private nextConnId = 0;
  private resolver: StubResolver | undefined;
  private index = 0;
  private timing: Timing = { start: 0 };

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
    this.timing = { start: this.now };
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
    const ip = parseIpv4(u.host) ?? this.o.resolve.get(`${u.host}:${u.port}`);
    if (ip !== undefined) {
      if (this.o.resolve.has(`${u.host}:${u.port}`)) this.v(`* Added ${u.host}:${u.port}:${formatIpv4(ip)} to DNS cache`);
      this.fetch(u, ip);
      return;
    }
    this.resolver ??= new StubResolver(this.host, { after: (d, fn) => this.after(d, fn), cancel: (id) => this.cancel(id) });
    this.resolver.lookup(u.host, DNS_TYPE.A, (r) => {
      if (!this.alive) return;
      const a = r.ok ? r.message.answers.find((x) => x.data.kind === 'A') : undefined;
      if (!a || a.data.kind !== 'A') {
        this.fail(6, `Could not resolve host: ${u.host}`);
        return;
      }
      this.timing.namelookup = this.now;
      this.v(`* Host ${u.host}:${u.port} was resolved.`);
      this.v(`* IPv4: ${formatIpv4(a.data.address)}`);
      this.fetch(u, a.data.address);
    });
  }

  private fail(code: number, text: string): void {
    this.print(`curl: (${code}) ${text}`);
    if (this.o.writeOut !== undefined) this.printOut(undefined);
    this.next();
  }


  private printOut(r: ClientResponse | undefined): void {
    this.timing.total ??= this.now;
    const text = writeOut(this.o.writeOut!, this.timing, r);
    for (const line of text.replace(/\n$/, '').split('\n')) this.print(line);
  }

  private fetch(u: HttpUrl, addr: Ipv4): void {
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
    const started = this.now;
    const origin = `${u.host}:${u.port}`;
    const session = u.scheme === 'https' && this.o.sslSessions !== undefined ? sessionFile(this.device, this.o.sslSessions).get(origin) : undefined;
    if (session) this.v(`* SSL reusing session with ticket (${session.version === '1.3' ? 'TLSv1.3' : 'TLSv1.2'})`);
    const s = HttpStream.connect(
      this.host,
      addr,
      u.port,
      {
        onTcpConnect: () => {
          this.timing.connect = this.now;
          this.v(`* Connected to ${u.host} (${formatIpv4(addr)}) port ${u.port}`);
          if (alpn) this.v(`* ALPN: curl offers ${alpn.join(',')}`);
        },
        onOpen: (st, tls) => {
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
        onClose: (_st, error) => {
          if (_st.open) return;
          const ms = Math.round((this.now - started) / 1e6);
          if (error?.startsWith('TLS alert')) {
            // Our own verdict on the certificate (curl 60), or a handshake the server refused (curl 35).
            const certificate = error.startsWith('TLS alert sent') && /certificate|unknown ca/i.test(error);
            this.fail(certificate ? 60 : 35, certificate ? `SSL certificate problem: ${error.replace(/^TLS alert sent, [^:]*: /, '')}` : `TLS connect error: ${error}`);
          } else this.fail(7, `Failed to connect to ${u.host} port ${u.port} after ${ms} ms: ${error === 'Connection refused' ? "Couldn't connect to server" : (error ?? 'Connection closed')}`);
        },
        onHandshakeDone: (_st, tls) => {
          this.timing.appconnect = this.now;
          this.v(`* SSL connection using ${tls.version} / ${CIPHER_SUITE_NAMES[tls.cipherSuite] ?? tls.cipherSuite} (resumed, early data ${tls.earlyData ?? 'none'})`);
        },
        onAlert: (_st, a) => {
          this.v(`* TLSv1.3 (${a.direction === 'sent' ? 'OUT' : 'IN'}), TLS alert, ${a.name.replace(/_/g, ' ')} (${a.description}):`);
          if (a.direction === 'sent' && a.reason) this.v(`* ${a.reason}`);
        },
      },
      u.scheme === 'https' ? { serverName: this.o.insecure ? undefined : u.host, trustAnchors: [sceneCa().certificate], alpn, versions: this.o.tlsVersions, session, earlyData: this.o.earlyData === true } : undefined,
    );
    if (typeof s === 'string') this.fail(7, `Failed to connect to ${u.host} port ${u.port}: ${s}`);
  }

  /** Opens a QUIC connection (TLS 1.3 inside its handshake, ALPN h3) and sends the request over HTTP/3. */
  private fetchH3(u: HttpUrl, addr: Ipv4, key: string): void {
    const started = this.now;
    const origin = `h3 ${u.host}:${u.port}`;
    const session = this.o.sslSessions !== undefined ? sessionFile(this.device, this.o.sslSessions).get(origin) : undefined;
    const early = session !== undefined && this.o.earlyData === true;
    if (session) this.v('* SSL reusing session with ticket (TLSv1.3)');
    /** The connection once made, the connect timeout, and whether the handshake finished. */
    const at: { c?: Conn; timer?: TimerId; connected: boolean } = { connected: false };
    const failed = (code: number, why: string) => {
      const ms = Math.round((this.now - started) / 1e6);
      this.fail(code, `Failed to connect to ${u.host} port ${u.port} after ${ms} ms: ${why}`);
    };
    const h3 = H3ClientConnection.connect(
      this.host,
      { addr, port: u.port },
      { serverName: this.o.insecure ? undefined : u.host, trustAnchors: [sceneCa().certificate], session, earlyData: early },
      {
        onConnected: (info) => {
          if (at.timer !== undefined) this.cancel(at.timer);
          at.connected = true;
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
          if (at.timer !== undefined) this.cancel(at.timer);
          if (error?.startsWith('TLS alert')) {
            const certificate = /certificate|unknown ca/i.test(error);
            this.fail(certificate ? 60 : 35, certificate ? `SSL certificate problem: ${error.replace(/^TLS alert: [^(]*\(?/, '').replace(/\)$/, '')}` : `QUIC connect error: ${error}`);
          } else failed(7, error === 'Connection refused' ? "Couldn't connect to server" : (error ?? 'Connection closed'));
        },
      },
    );
    if (typeof h3 === 'string') {
      this.fail(7, `Failed to connect to ${u.host} port ${u.port}: ${h3}`);
      return;
    }
    this.quicConns.push(h3);
    const c: Conn = { key, origin, id: this.nextConnId++, http: h3, host: u.host };
    at.c = c;
    at.timer = this.after(this.o.connectTimeoutNs ?? CURL_CONNECT_TIMEOUT_NS, () => {
      at.timer = undefined;
      h3.release();
      failed(28, 'Timeout was reached');
    });
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
    const req: ClientRequest = {
      method: this.o.head ? 'HEAD' : 'GET',
      path: u.path,
      authority: authorityOf(u),
      scheme: u.scheme,
      headers: c.http.protocol === 'HTTP/0.9' ? [] : [
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
        this.timing.starttransfer = this.now;
        if (r.version === 'HTTP/0.9') return;
        const status = r.version === 'HTTP/2' || r.version === 'HTTP/3' ? `${r.version} ${r.status} ` : `${r.version} ${r.status} ${r.reason}`;
        this.v(`< ${status}`);
        for (const h of r.headers) this.v(`< ${h.name}: ${h.value}`);
        this.v('< ');
        if (this.o.head && !this.o.verbose) {
          this.print(status);
          for (const h of r.headers) this.print(`${h.name}: ${h.value}`);
          this.print('');
        }
      },
      onDone: (r) => this.done(c, r),
      onError: (e) => this.fail(e.includes('HTTP/2 stream') ? 92 : 56, e.includes('HTTP/2 stream') ? e : `Recv failure: ${e}`),
    });
  }

  private done(c: Conn, r: ClientResponse): void {
    if (!this.o.head && r.body.length > 0) {
      if (this.o.discard) this.v(`{ [${r.body.length} bytes data]`);
      else {
        const text = bodyText(r.body);
        if (text === undefined) this.print('Warning: Binary output can mess up your terminal. Use "--output -" to tell curl to output it to your terminal anyway.');
        else for (const line of text.replace(/\n$/, '').split('\n')) this.print(line);
      }
    }
    this.keepSession(c);
    if (c.http.done) this.v(`* Closing connection #${c.id}`);
    else this.v(`* Connection #${c.id} to host ${c.host} left intact`);
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

registerApp<CurlOptions>({
  name: 'curl',
  summary: 'transfer URLs over HTTP/0.9, 1.0, 1.1 or 2, with or without TLS, or over HTTP/3 (QUIC)',
  usage:
    'curl [-v] [-I] [-k] [-o FILE] [-w FORMAT] [--http0.9|--http1.0|--http1.1|--http2|--http3|--http3-only] [--tlsv1.2|--tlsv1.3] [--tls-max 1.2|1.3] [--resolve HOST:PORT:ADDR] [--ssl-sessions FILE] [--tls-earlydata] [--connect-timeout SECONDS] URL...',
  parse(argv) {
    const r = parseArgs(argv, {
      v: 'flag',
      I: 'flag',
      k: 'flag',
      o: 'string',
      'http0.9': 'flag',
      'http1.0': 'flag',
      'http1.1': 'flag',
      http2: 'flag',
      'http2-prior-knowledge': 'flag',
      resolve: 'string',
      'tlsv1.2': 'flag',
      'tlsv1.3': 'flag',
      'tls-max': 'string',
      w: 'string',
      'ssl-sessions': 'string',
      'tls-earlydata': 'flag',
      http3: 'flag',
      'http3-only': 'flag',
      'connect-timeout': 'string',
    });
    if (!r.ok) return r;
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
    const versions: Record<string, HttpProtocol> = { 'http0.9': 'HTTP/0.9', 'http1.0': 'HTTP/1.0', 'http1.1': 'HTTP/1.1', http2: 'h2', 'http2-prior-knowledge': 'h2' };
    const http3 = flags[0] === 'http3' || flags[0] === 'http3-only';
    const version: HttpProtocol | undefined = flags.length && !http3 ? versions[flags[0]] : undefined;
    if (http3 && urls.some((u) => u.scheme !== 'https')) return { ok: false, error: `--${flags[0]} needs https:// URLs (HTTP/3 is always encrypted)` };
    const timeoutText = options['connect-timeout'] as string | undefined;
    const connectTimeoutNs = timeoutText === undefined ? undefined : /^\d+(\.\d+)?$/.test(timeoutText) ? parseSeconds(timeoutText) : undefined;
    if (timeoutText !== undefined && !connectTimeoutNs) return { ok: false, error: `--connect-timeout "${timeoutText}" is not a number of seconds` };
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
      },
    };
  },
  create: (device, o) => new Curl(device, o),
});
