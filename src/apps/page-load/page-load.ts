/**
 * page-load: loads a web page like a browser: fetches the HTML, finds its sub-resources (images,
 * stylesheets, scripts) and fetches them all, over
 *
 * - HTTP/0.9: like HTTP/1.0 (a connection per request), with no headers at all: a bare
 *   `GET /path` line, and the body alone in reply, ended by the server closing the connection;
 * - HTTP/1.0: a new TCP connection for every request, at most `--connections` at once;
 * - HTTP/1.1: keep-alive connections, at most `--connections` (default 6, like browsers) per host,
 *   one request at a time on each (or all queued at once with `--pipeline`);
 * - HTTP/2: one connection, every request a stream, all at once;
 * - HTTP/3 (https:// only): one QUIC connection, whose handshake is also the TLS 1.3 handshake,
 *   then every request a QUIC stream, all at once; a lost packet holds up only the streams whose
 *   data it carried. If the host's network changes (the `node-gateway` fault) the connection
 *   migrates to the new address.
 *
 *   page-load URL [--http0.9|--http1.0|--http1.1|--http2|--http3] [--connections N] [--pipeline] [--resolve HOST:PORT:ADDR]
 *
 * Every resource's timings go to the trace (see `waterfall-keys.ts`), and `timeline/waterfall`
 * reads them back as the rows of a DevTools-style waterfall. The program prints one line per
 * resource and a summary.
 *
 * Simplifications, stated: all sub-resources are known once the HTML has fully arrived (no
 * preload scanner, no render-blocking, no nested resources from CSS); same-origin only; no cache.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../../protocols/addr';
import { HttpClientConnection, type ClientResponse, type HttpProtocol } from '../../protocols/http/client';
import { sceneCa } from '../../protocols/http/pki';
import { subresources } from '../../protocols/http/site';
import { HttpStream } from '../../protocols/http/stream';
import { H3ClientConnection } from '../../protocols/http3/client';
import { DNS_TYPE } from '../../protocols/dns/dns';
import { StubResolver } from '../../protocols/dns/stub';
import type { IpDevice } from '../../net/ip/ip-device';
import { authorityOf, parseResolve, parseUrl, type HttpUrl } from '../curl/curl';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';
import { waterfallKey, type WaterfallField } from './waterfall-keys';

/** The versions page-load speaks: those of {@link HttpProtocol}, and `h3` (HTTP/3 over QUIC). */
type PageLoadProtocol = HttpProtocol | 'h3';

interface PageLoadOptions {
  url: HttpUrl;
  protocol: PageLoadProtocol;
  connections: number;
  pipeline: boolean;
  /** `--resolve` entries: `host:port` → address. */
  resolve: ReadonlyMap<string, Ipv4>;
}

/** Chrome's User-Agent is long; this one says what it is. */
const PAGE_LOAD_USER_AGENT = 'Mozilla/5.0 (Packetarium page-load)';

interface Resource {
  index: number;
  path: string;
  queued: number;
  conn?: PoolConn;
  status?: number;
  bytes: number;
  done?: number;
}

interface PoolConn {
  id: number;
  /** What the waterfall's `connection` field names: the TCP connection, or the QUIC one's addresses. */
  label: string;
  http?: HttpClientConnection | H3ClientConnection;
  /** The QUIC connection, from the start of its handshake (HTTP/3). */
  quic?: H3ClientConnection;
  connectStart: number;
  connectEnd?: number;
  tlsEnd?: number;
  /** Phases already charged to a resource. */
  charged: boolean;
  closed: boolean;
}

/** HTTP/2 receive windows a browser announces (Chrome's: 6 MiB per stream, 15 MiB per connection). */
const BROWSER_STREAM_WINDOW = 6 * 1024 * 1024;
const BROWSER_CONNECTION_WINDOW = 15 * 1024 * 1024;

const loads = new WeakMap<IpDevice, number>();

const ms = (ns: number) => (ns / 1e6).toFixed(1);

class PageLoad extends Program {
  private readonly load: number;
  private addr: Ipv4 | undefined;
  private readonly resources: Resource[] = [];
  private readonly waiting: Resource[] = [];
  private readonly pool: PoolConn[] = [];
  private nextConn = 0;
  private resolver: StubResolver | undefined;
  private started = 0;
  private pendingDns: { start: number; end: number } | undefined;

  constructor(
    device: IpDevice,
    private readonly o: PageLoadOptions,
  ) {
    super(device);
    this.load = (loads.get(device) ?? 0) + 1;
    loads.set(device, this.load);
  }

  private get host() {
    return this.device.stack;
  }

  private put(r: Resource, field: WaterfallField, value: string | number): void {
    this.host.state(waterfallKey(this.load, r.index, field), String(value));
  }

  protected main(): void {
    this.started = this.now;
    const version = this.o.protocol === 'h2' ? 'HTTP/2' : this.o.protocol === 'h3' ? 'HTTP/3' : this.o.protocol;
    this.print(
      `page-load: ${this.o.url.href} over ${version}${this.multiplexed ? '' : `, up to ${this.o.connections} connection${this.o.connections === 1 ? '' : 's'}${this.o.pipeline ? ', pipelined' : ''}`}`,
    );
    const html = this.queue(this.o.url.path);
    const ip = parseIpv4(this.o.url.host) ?? this.o.resolve.get(`${this.o.url.host}:${this.o.url.port}`);
    if (ip !== undefined) {
      this.addr = ip;
      this.dispatch();
      return;
    }
    const start = this.now;
    this.resolver = new StubResolver(this.host, { after: (d, fn) => this.after(d, fn), cancel: (id) => this.cancel(id) });
    this.resolver.lookup(this.o.url.host, DNS_TYPE.A, (r) => {
      if (!this.alive) return;
      const a = r.ok ? r.message.answers.find((x) => x.data.kind === 'A') : undefined;
      if (!a || a.data.kind !== 'A') {
        this.print(`page-load: could not resolve ${this.o.url.host}`);
        this.put(html, 'status', 'error: could not resolve host');
        this.exit();
        return;
      }
      this.addr = a.data.address;
      this.pendingDns = { start, end: this.now };
      this.dispatch();
    });
  }

  /** HTTP/2 and HTTP/3: one connection, every request a stream. */
  private get multiplexed(): boolean {
    return this.o.protocol === 'h2' || this.o.protocol === 'h3';
  }

  /** Called by the `node-gateway` fault: the host's address changed; QUIC connections migrate. */
  onNetworkChange(): void {
    for (const c of this.pool) {
      if (c.closed || !c.quic) continue;
      this.print(`page-load: network changed: migrating connection #${c.id} to ${formatIpv4(this.host.sourceFor(this.addr!) ?? 0)}`);
      c.quic.migrate();
    }
  }

  private queue(path: string): Resource {
    const r: Resource = { index: this.resources.length, path, queued: this.now, bytes: 0 };
    this.resources.push(r);
    this.waiting.push(r);
    this.put(r, 'url', `${this.o.url.scheme}://${authorityOf(this.o.url)}${path}`);
    this.put(r, 'queued', r.queued);
    return r;
  }

  /** Hands waiting resources to connections, opening new ones within the limit. */
  private dispatch(): void {
    if (this.addr === undefined) return;
    const limit = this.multiplexed ? 1 : this.o.connections;
    while (this.waiting.length > 0) {
      const open = this.pool.filter((c) => !c.closed);
      const ready = open.filter((c) => c.http?.available);
      let target: PoolConn | undefined;
      if (ready.length) target = ready.reduce((a, b) => (b.http!.outstanding < a.http!.outstanding ? b : a));
      if (!target) {
        const opening = open.filter((c) => !c.http).length;
        if (open.length < limit && opening < this.waiting.length) {
          this.connect();
          if (this.pool.at(-1)?.closed) return; // failed to even start
          continue;
        }
        return; // wait for a connection to free up
      }
      const conn = target;
      conn.http!.batch(() => {
        while (this.waiting.length > 0 && conn.http!.available) this.send(conn, this.waiting.shift()!);
      });
    }
  }

  private connect(): void {
    if (this.o.protocol === 'h3') {
      this.connectQuic();
      return;
    }
    const u = this.o.url;
    const alpn = u.scheme === 'https' ? [this.o.protocol === 'h2' ? 'h2' : 'http/1.1'] : undefined;
    const c = { id: this.nextConn++, connectStart: this.now, charged: false, closed: false } as PoolConn;
    const s = HttpStream.connect(
      this.host,
      this.addr!,
      u.port,
      {
        onTcpConnect: () => {
          c.connectEnd = this.now;
        },
        onOpen: (st, tls) => {
          if (tls) c.tlsEnd = this.now;
          const wanted = this.o.protocol as HttpProtocol; // not h3: that takes connectQuic()
          const protocol: HttpProtocol = tls ? (tls.alpn === 'h2' ? 'h2' : wanted === 'h2' ? 'HTTP/1.1' : wanted) : wanted;
          const http = new HttpClientConnection(st, protocol, {
            pipeline: this.o.pipeline,
            http2Window: BROWSER_STREAM_WINDOW,
            http2ConnectionWindow: BROWSER_CONNECTION_WINDOW,
          });
          http.onClosed = () => this.connClosed(c);
          c.http = http;
          this.dispatch();
        },
        onClose: (st, error) => {
          if (st.open) return;
          this.print(`page-load: connection #${c.id} failed: ${error ?? 'closed'}`);
          this.connClosed(c, error ?? 'connection failed');
        },
      },
      u.scheme === 'https' ? { serverName: u.host, trustAnchors: [sceneCa().certificate], alpn } : undefined,
    );
    if (typeof s === 'string') {
      c.closed = true;
      this.pool.push(c);
      this.print(`page-load: ${s}`);
      this.finishAll(`error: ${s}`);
      return;
    }
    c.label = s.id;
    this.pool.push(c);
  }

  /** HTTP/3: a QUIC connection, its handshake carrying TLS 1.3 (so no separate TCP connect phase). */
  private connectQuic(): void {
    const u = this.o.url;
    const c = { id: this.nextConn++, label: '', connectStart: this.now, connectEnd: this.now, charged: false, closed: false } as PoolConn;
    const h3 = H3ClientConnection.connect(
      this.host,
      { addr: this.addr!, port: u.port },
      { serverName: u.host, trustAnchors: [sceneCa().certificate] },
      {
        onConnected: () => {
          c.tlsEnd = this.now;
          c.http = h3 as H3ClientConnection;
          this.dispatch();
        },
        onClose: (error) => {
          if (c.closed) return;
          if (error || !c.http) this.print(`page-load: connection #${c.id} failed: ${error ?? 'closed'}`);
          this.connClosed(c, error ?? (c.http ? undefined : 'connection closed'));
        },
      },
    );
    this.pool.push(c);
    if (typeof h3 === 'string') {
      c.closed = true;
      this.print(`page-load: ${h3}`);
      this.finishAll(`error: ${h3}`);
      return;
    }
    c.quic = h3;
    c.label = `${formatIpv4(this.host.sourceFor(this.addr!) ?? 0)}:${h3.localPort}>${formatIpv4(this.addr!)}:${u.port} quic`;
    h3.start();
  }

  private connClosed(c: PoolConn, error?: string): void {
    c.closed = true;
    if (error && !c.http) {
      // Nothing could go over it: fail what waits if no other connection can take it.
      if (this.pool.every((x) => x.closed)) this.finishAll(`error: ${error}`);
      return;
    }
    this.dispatch();
  }

  private finishAll(status: string): void {
    for (const r of this.waiting.splice(0)) {
      this.put(r, 'status', status);
      r.done = this.now;
    }
    this.maybeFinish();
  }

  private send(c: PoolConn, r: Resource): void {
    r.conn = c;
    if (this.pendingDns) {
      this.put(r, 'dnsStart', this.pendingDns.start);
      this.put(r, 'dnsEnd', this.pendingDns.end);
      this.pendingDns = undefined;
    }
    if (!c.charged) {
      c.charged = true;
      this.put(r, 'connectStart', c.connectStart);
      this.put(r, 'connectEnd', c.connectEnd ?? this.now);
      if (c.tlsEnd !== undefined) {
        this.put(r, 'tlsStart', c.connectEnd ?? c.connectStart);
        this.put(r, 'tlsEnd', c.tlsEnd);
      }
    }
    // The connection is named before the request goes; a QUIC stream's id only once it is opened.
    if (!c.quic) this.put(r, 'connection', `#${c.id} ${c.label}`);
    let first = true;
    const streamId = c.http!.request(
      {
        method: 'GET',
        path: r.path,
        authority: authorityOf(this.o.url),
        scheme: this.o.url.scheme,
        headers:
          c.http!.protocol === 'HTTP/0.9'
            ? []
            : [
                { name: 'User-Agent', value: PAGE_LOAD_USER_AGENT },
                { name: 'Accept', value: '*/*' },
              ],
      },
      {
        onSent: () => this.put(r, 'requestSent', this.now),
        onHead: () => {
          if (first) this.put(r, 'firstByte', this.now);
          first = false;
        },
        onData: (n) => {
          r.bytes += n;
        },
        onDone: (resp) => this.resourceDone(r, resp),
        onError: (e) => {
          this.put(r, 'status', `error: ${e}`);
          r.done = this.now;
          this.print(`  ERR  ${r.path}  ${e}`);
          this.maybeFinish();
        },
      },
    );
    if (c.quic) this.put(r, 'connection', `#${c.id} ${c.label} stream ${streamId}`);
  }

  private resourceDone(r: Resource, resp: ClientResponse): void {
    r.status = resp.status;
    r.done = this.now;
    this.put(r, 'done', this.now);
    this.put(r, 'status', resp.status);
    this.put(r, 'bytes', resp.body.length);
    this.print(
      `  ${resp.status}  ${r.path.padEnd(16)} ${String(resp.body.length).padStart(7)} B  conn #${r.conn!.id}  ${ms(r.queued - this.started).padStart(7)} → ${ms(r.done - this.started).padStart(7)} ms`,
    );
    if (r.index === 0 && resp.status === 200) {
      for (const path of subresources(new TextDecoder().decode(resp.body))) this.queue(path);
    }
    this.dispatch();
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.resources.some((r) => r.done === undefined) || !this.alive) return;
    const bytes = this.resources.reduce((n, r) => n + r.bytes, 0);
    const ok = this.resources.filter((r) => r.status !== undefined && r.status < 400).length;
    this.print(
      `page-load: ${this.resources.length} requests (${ok} ok), ${bytes} B, ${this.pool.length} connection${this.pool.length === 1 ? '' : 's'}, finished in ${ms(this.now - this.started)} ms`,
    );
    // QUIC: linger a few round trips after closing, so the server's last packets find the port open.
    const linger = Math.max(0, ...this.pool.map((c) => (c.quic && !c.closed ? 4 * (c.quic.quic.smoothedRtt || 50e6) : 0)));
    for (const c of this.pool) if (!c.closed) c.http?.close();
    if (linger > 0) this.after(linger, () => this.exit());
    else this.exit();
  }

  protected override onExit(): void {
    this.resolver?.close();
    for (const c of this.pool) c.quic?.release();
  }

  override interrupt(): void {
    const left = this.resources.filter((r) => r.done === undefined).length;
    if (left) this.print(`page-load: stopped with ${left} of ${this.resources.length} requests unfinished`);
    super.interrupt();
  }
}

/** page-load's options, as its parser reads them (also the terminal's completions). */
const PAGE_LOAD_OPTIONS: OptionSpec = {
  'http0.9': 'flag',
  'http1.0': 'flag',
  'http1.1': 'flag',
  http2: 'flag',
  http3: 'flag',
  connections: 'int',
  pipeline: 'flag',
  resolve: 'string',
};

registerApp<PageLoadOptions>({
  name: 'page-load',
  options: PAGE_LOAD_OPTIONS,
  summary: 'load a page and its sub-resources like a browser, recording a waterfall',
  usage: 'page-load URL [--http0.9|--http1.0|--http1.1|--http2|--http3] [--connections N] [--pipeline] [--resolve HOST:PORT:ADDR]',
  parse(argv) {
    const r = parseArgs(argv, PAGE_LOAD_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length !== 1) return { ok: false, error: positional.length ? `one URL expected, got ${positional.join(' ')}` : 'no URL given' };
    const url = parseUrl(positional[0]);
    if (typeof url === 'string') return { ok: false, error: url };
    const flags = (['http0.9', 'http1.0', 'http1.1', 'http2', 'http3'] as const).filter((f) => options[f] === true);
    if (flags.length > 1) return { ok: false, error: `give one of --${flags.join(', --')}` };
    const versions = { 'http0.9': 'HTTP/0.9', 'http1.0': 'HTTP/1.0', 'http1.1': 'HTTP/1.1', http2: 'h2', http3: 'h3' } as const;
    const protocol: PageLoadProtocol = flags.length ? versions[flags[0]] : 'HTTP/1.1';
    const connections = (options.connections as number | undefined) ?? 6;
    if (connections < 1 || connections > 64) return { ok: false, error: '--connections must be 1 to 64' };
    const pipeline = options.pipeline === true;
    if (protocol === 'HTTP/0.9' && url.scheme === 'https') return { ok: false, error: '--http0.9 works over http:// only' };
    if (protocol === 'h3' && url.scheme !== 'https') return { ok: false, error: '--http3 needs an https:// URL (HTTP/3 is always encrypted)' };
    if (pipeline && protocol !== 'HTTP/1.1') return { ok: false, error: '--pipeline needs HTTP/1.1' };
    const resolve = parseResolve((options.resolve as string | undefined) ?? '');
    if (typeof resolve === 'string') return { ok: false, error: resolve };
    return { ok: true, options: { url, protocol, connections, pipeline, resolve } };
  },
  create: (device, o) => new PageLoad(device, o),
});
