/**
 * reverse-proxy: an nginx-style reverse proxy. It accepts HTTP/1.x and HTTP/2 from clients (with
 * `--tls` it terminates TLS, offering h2 and http/1.1 by ALPN), forwards each request to the next
 * back end in round-robin order over kept-alive HTTP/1.1 connections, and with `--cache` keeps
 * GET responses that say `Cache-Control: max-age=N` and answers repeats itself until they are N
 * seconds old.
 *
 *   reverse-proxy -p 80 --backends 10.0.1.1,10.0.1.2:8080 [--cache] [--tls [--cert-name NAME]]
 *
 * It adds `Via: 1.1 packetarium-proxy` and `X-Cache: HIT|MISS` to answers and prints one log line
 * per request saying which back end answered (or that the cache did).
 *
 * Simplifications, stated: back ends are IP addresses (no DNS), no health checks (a back end that
 * refuses gets a 502 for that request and the next request tries the next one), no request
 * bodies, the cache key is the path alone and entries never leave except by age; no
 * X-Forwarded-For.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../../protocols/addr';
import { HttpClientConnection, type ClientResponse } from '../../protocols/http/client';
import type { HttpHeader } from '../../protocols/http/http1';
import { headerValue } from '../../protocols/http/http1';
import { serverIdentity } from '../../protocols/http/pki';
import { HttpServerConnection, type ServerRequest, type ServerResponse } from '../../protocols/http/server';
import { HttpStream } from '../../protocols/http/stream';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpSocket, TcpSocketHandler } from '../../protocols/tcp/tcp-connection';
import type { TcpListener, TcpService } from '../../protocols/tcp/tcp-service';
import { TlsSessionCache, type TlsServerConfig } from '../../protocols/tls';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

export interface Backend {
  readonly addr: Ipv4;
  readonly port: number;
}

interface ReverseProxyOptions {
  port: number;
  backends: Backend[];
  cache: boolean;
  tls: boolean;
  certName: string;
}

/** Parses `10.0.1.1,10.0.1.2:8080`. */
export function parseBackends(text: string): Backend[] | string {
  const out: Backend[] = [];
  for (const part of text.split(',').filter(Boolean)) {
    const [host, port = '80'] = part.split(':');
    const addr = parseIpv4(host);
    if (addr === undefined || !/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `--backends: "${part}" is not ADDRESS[:PORT]`;
    out.push({ addr, port: Number(port) });
  }
  return out.length ? out : '--backends needs at least one ADDRESS[:PORT]';
}

/** `max-age` seconds from a Cache-Control value, if cacheable. */
export function maxAge(headers: readonly HttpHeader[]): number | undefined {
  const cc = headerValue(headers, 'cache-control');
  if (!cc || /no-store|private|no-cache/.test(cc)) return undefined;
  const m = /max-age=(\d+)/.exec(cc);
  return m ? Number(m[1]) : undefined;
}

interface Cached {
  response: ServerResponse;
  storedAt: number;
  maxAgeNs: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade']);

class ReverseProxy extends Program {
  private listener: TcpListener | null = null;
  private next = 0;
  private readonly upstream = new Map<string, HttpClientConnection[]>();
  private readonly cache = new Map<string, Cached>();
  private readonly streams = new Set<HttpStream>();
  private readonly tls: Omit<TlsServerConfig, 'random' | 'now'> | undefined;

  constructor(
    device: IpDevice,
    private readonly o: ReverseProxyOptions,
  ) {
    super(device);
    this.tls = o.tls ? { identities: [serverIdentity({ names: [o.certName] })], alpn: ['h2', 'http/1.1'], sessionCache: new TlsSessionCache() } : undefined;
  }

  protected main(): void {
    const tcp = this.device.stack.transport<TcpService>(IP_PROTO_TCP);
    const l = tcp ? tcp.listen(this.o.port, { onAccept: (s) => this.accept(s) }) : 'TCP not available';
    if (typeof l === 'string') {
      this.print(`reverse-proxy: ${l}`);
      this.exit();
      return;
    }
    this.listener = l;
    const list = this.o.backends.map((b) => `${formatIpv4(b.addr)}:${b.port}`).join(', ');
    this.print(
      `reverse-proxy: listening on port ${this.o.port}${this.o.tls ? ` with TLS (${this.o.certName})` : ''}, round robin over ${list}${this.o.cache ? ', caching' : ''}`,
    );
  }

  private accept(socket: TcpSocket): TcpSocketHandler {
    const { stream, tcp } = HttpStream.accept(
      this.device.stack,
      socket,
      {
        onOpen: (s, info) =>
          new HttpServerConnection(s, (req, respond) => this.handle(s, req, respond), info?.alpn ?? (s.secure && !info?.early ? 'http/1.1' : undefined)),
        onClose: (s) => this.streams.delete(s),
      },
      this.tls,
    );
    this.streams.add(stream);
    stream.start();
    return tcp;
  }

  private handle(s: HttpStream, req: ServerRequest, respond: (r: ServerResponse) => void): void {
    const client = formatIpv4(s.socket.remoteIp);
    const line = `${client} "${req.method} ${req.path} ${req.version}"`;
    const key = req.path;
    const hit = this.o.cache && req.method === 'GET' ? this.cache.get(key) : undefined;
    if (hit && this.now - hit.storedAt < hit.maxAgeNs) {
      const age = Math.floor((this.now - hit.storedAt) / 1e9);
      this.print(`${line} ${hit.response.status} from cache (age ${age} s)`);
      respond({ ...hit.response, headers: [...hit.response.headers, { name: 'Age', value: String(age) }, { name: 'X-Cache', value: 'HIT' }] });
      return;
    }
    const b = this.o.backends[this.next];
    this.next = (this.next + 1) % this.o.backends.length;
    const upstream = `${formatIpv4(b.addr)}:${b.port}`;
    this.forward(b, req, (r, error) => {
      if (!r) {
        this.print(`${line} 502 -> ${upstream} failed: ${error}`);
        respond({
          status: 502,
          headers: [
            { name: 'Content-Type', value: 'text/plain' },
            { name: 'Via', value: '1.1 packetarium-proxy' },
          ],
          body: new TextEncoder().encode('502 Bad Gateway\n'),
        });
        return;
      }
      const headers = r.headers.filter((h) => !HOP_BY_HOP.has(h.name.toLowerCase()));
      const out: ServerResponse = { status: r.status, headers: [...headers, { name: 'Via', value: '1.1 packetarium-proxy' }], body: r.body };
      const age = maxAge(r.headers);
      const store = this.o.cache && req.method === 'GET' && r.status === 200 && age !== undefined && age > 0;
      if (store) this.cache.set(key, { response: out, storedAt: this.now, maxAgeNs: age * 1e9 });
      this.print(`${line} ${r.status} -> ${upstream}${this.o.cache ? (store ? ' (MISS, stored)' : ' (MISS)') : ''}`);
      respond({ ...out, headers: [...out.headers, ...(this.o.cache ? [{ name: 'X-Cache', value: 'MISS' }] : [])] });
    });
  }

  /** Sends the request over an idle kept-alive connection to `b`, or a new one. */
  private forward(b: Backend, req: ServerRequest, done: (r: ClientResponse | undefined, error?: string) => void): void {
    const key = `${b.addr}:${b.port}`;
    const pool = this.upstream.get(key) ?? [];
    this.upstream.set(key, pool);
    const send = (c: HttpClientConnection) =>
      c.request(
        {
          method: req.method,
          path: req.path,
          authority: req.authority,
          scheme: 'http',
          headers: req.headers.filter((h) => !HOP_BY_HOP.has(h.name.toLowerCase()) && h.name.toLowerCase() !== 'host'),
        },
        { onDone: (r) => done(r), onError: (e) => done(undefined, e) },
      );
    const idle = pool.find((c) => c.available);
    if (idle) {
      send(idle);
      return;
    }
    const s = HttpStream.connect(this.device.stack, b.addr, b.port, {
      onOpen: (st) => {
        const c = new HttpClientConnection(st, 'HTTP/1.1');
        c.onClosed = () => {
          const i = pool.indexOf(c);
          if (i >= 0) pool.splice(i, 1);
        };
        pool.push(c);
        send(c);
      },
      onClose: (st, error) => {
        if (!st.open) done(undefined, error ?? 'connection failed');
      },
    });
    if (typeof s === 'string') done(undefined, s);
  }

  protected override onExit(): void {
    this.listener?.close();
    for (const s of this.streams) s.abort();
    for (const pool of this.upstream.values()) for (const c of pool) c.stream.abort();
  }
}

/** reverse-proxy's options, as its parser reads them (also the terminal's completions). */
const REVERSE_PROXY_OPTIONS: OptionSpec = { p: 'int', backends: 'string', cache: 'flag', tls: 'flag', 'cert-name': 'string' };

registerApp<ReverseProxyOptions>({
  name: 'reverse-proxy',
  options: REVERSE_PROXY_OPTIONS,
  summary: 'an nginx-style reverse proxy: round robin over back ends, a response cache, TLS termination',
  usage: 'reverse-proxy [-p PORT] --backends ADDR[:PORT],... [--cache] [--tls [--cert-name NAME]]',
  parse(argv) {
    const r = parseArgs(argv, REVERSE_PROXY_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length) return { ok: false, error: `unexpected "${positional[0]}"` };
    const backends = parseBackends((options.backends as string | undefined) ?? '');
    if (typeof backends === 'string') return { ok: false, error: backends };
    const tls = options.tls === true;
    const port = (options.p as number | undefined) ?? (tls ? 443 : 80);
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    return {
      ok: true,
      options: { port, backends, cache: options.cache === true, tls, certName: (options['cert-name'] as string | undefined) ?? 'www.example.test' },
    };
  },
  create: (device, o) => new ReverseProxy(device, o),
});
