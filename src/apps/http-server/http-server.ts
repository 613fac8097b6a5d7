/**
 * http-server: a small web server serving a generated site (`--site gallery`: an index.html, a
 * stylesheet and six 20 kB images). It speaks HTTP/0.9, 1.0, 1.1 (keep-alive, pipelined requests
 * answered in order) and HTTP/2 (h2c with prior knowledge, or `h2` by ALPN with `--tls`).
 *
 *   http-server -p 80 --site gallery [--delay /img/1.svg=200ms,/=10ms] [--think 1ms]
 *   http-server -p 443 --tls [--cert-name www.example.test] [--cert-expired] [--tls-versions 1.2] [--alpn http/1.1]
 *
 * `--delay` holds the answer to a path back (a slow database query, say) to show head-of-line
 * blocking. Prints one access-log line per request, nginx-style.
 *
 * Simplifications, stated: GET and HEAD only (others get 405); no Date header (there is no wall
 * clock), no chunked bodies, no compression, no conditional requests.
 */
import { formatIpv4 } from '../../protocols/addr';
import { STATUS_REASONS } from '../../protocols/http/http1';
import { serverIdentity } from '../../protocols/http/pki';
import { HttpServerConnection, type ServerRequest, type ServerResponse } from '../../protocols/http/server';
import { generateSite, SITES, type SiteFile } from '../../protocols/http/site';
import { HttpStream } from '../../protocols/http/stream';
import { IP_PROTO_TCP } from '../../protocols/ipv4/ipv4';
import type { TcpSocket, TcpSocketHandler } from '../../protocols/tcp/tcp-connection';
import type { TcpListener, TcpService } from '../../protocols/tcp/tcp-service';
import { TlsSessionCache, type TlsServerConfig, type TlsVersion } from '../../protocols/tls';
import type { IpDevice } from '../../net/ip/ip-device';
import { parseArgs, parseSeconds, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

interface HttpServerOptions {
  port: number;
  site: string;
  /** Extra time before answering, by path, ns. */
  delays: ReadonlyMap<string, number>;
  /** Time to answer any request, ns. */
  thinkNs: number;
  tls: boolean;
  certName: string;
  certExpired: boolean;
  tlsVersions: readonly TlsVersion[];
  alpn: readonly string[];
}

/** Parses `/a=100ms,/b=2ms` into a path → ns map; an error text for a bad entry. */
function parseDelays(text: string): Map<string, number> | string {
  const out = new Map<string, number>();
  for (const part of text.split(',').filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const ns = eq > 0 ? parseSeconds(part.slice(eq + 1)) : undefined;
    if (eq <= 0 || !part.startsWith('/') || ns === undefined) return `--delay: "${part}" is not PATH=TIME (e.g. /img/1.svg=200ms)`;
    out.set(part.slice(0, eq), ns);
  }
  return out;
}

/** Parses `1.2,1.3`. */
function parseTlsVersions(text: string): TlsVersion[] | string {
  const out: TlsVersion[] = [];
  for (const v of text.split(',')) {
    if (v !== '1.2' && v !== '1.3') return `TLS version "${v}" must be 1.2 or 1.3`;
    out.push(v);
  }
  return out;
}

class HttpServer extends Program {
  private listener: TcpListener | null = null;
  private readonly files: Map<string, SiteFile>;
  private readonly streams = new Set<HttpStream>();
  private readonly tls: Omit<TlsServerConfig, 'random' | 'now'> | undefined;

  constructor(
    device: IpDevice,
    private readonly o: HttpServerOptions,
  ) {
    super(device);
    this.files = generateSite(SITES[o.site]);
    this.tls = o.tls
      ? {
          identities: [serverIdentity({ names: [o.certName], expired: o.certExpired })],
          versions: o.tlsVersions,
          alpn: o.alpn,
          sessionCache: new TlsSessionCache(),
          rejectUnknownSni: false,
        }
      : undefined;
  }

  protected main(): void {
    const tcp = this.device.stack.transport<TcpService>(IP_PROTO_TCP);
    if (!tcp) {
      this.print('http-server: TCP not available');
      this.exit();
      return;
    }
    const l = tcp.listen(this.o.port, { onAccept: (s) => this.accept(s) });
    if (typeof l === 'string') {
      this.print(`http-server: ${l}`);
      this.exit();
      return;
    }
    this.listener = l;
    const n = this.files.size - 2;
    this.print(
      `http-server: serving site "${this.o.site}" (index.html and ${n} files) on port ${this.o.port}${this.o.tls ? ` with TLS (${this.o.certName})` : ''}`,
    );
  }

  private accept(socket: TcpSocket): TcpSocketHandler {
    const host = this.device.stack;
    const { stream, tcp } = HttpStream.accept(
      host,
      socket,
      {
        onOpen: (s, info) =>
          new HttpServerConnection(s, (req, respond) => this.handle(s, req, respond), info?.alpn ?? (s.secure && !info?.early ? 'http/1.1' : undefined)),
        onClose: (s) => this.streams.delete(s),
        onAlert: (_s, a) => {
          if (a.level === 'fatal')
            this.print(
              `http-server: TLS handshake with ${formatIpv4(socket.remoteIp)} failed: ${a.direction} alert ${a.name}${a.reason ? ` (${a.reason})` : ''}`,
            );
        },
      },
      this.tls,
    );
    this.streams.add(stream);
    stream.start();
    return tcp;
  }

  private handle(s: HttpStream, req: ServerRequest, respond: (r: ServerResponse) => void): void {
    const res = this.answer(req);
    const delay = this.o.thinkNs + (this.o.delays.get(req.path) ?? 0);
    const send = () => {
      const size = req.method === 'HEAD' ? 0 : res.body.length;
      this.print(`${formatIpv4(s.socket.remoteIp)} - - "${req.method} ${req.path} ${req.version}" ${res.status} ${size}`);
      respond(res);
    };
    if (delay > 0) this.after(delay, send);
    else send();
  }

  private answer(req: ServerRequest): ServerResponse {
    const common = [{ name: 'Server', value: 'Packetarium-httpd' }];
    const text = (status: number) => ({
      status,
      headers: [...common, { name: 'Content-Type', value: 'text/plain' }],
      body: new TextEncoder().encode(`${status} ${STATUS_REASONS[status] ?? ''}\n`),
    });
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405);
    const f = this.files.get(req.path.split('?')[0]);
    if (!f) return text(404);
    return {
      status: 200,
      headers: [...common, { name: 'Content-Type', value: f.contentType }, { name: 'Cache-Control', value: 'max-age=60' }],
      body: f.body,
    };
  }

  protected override onExit(): void {
    this.listener?.close();
    for (const s of this.streams) s.abort();
  }
}

/** http-server's options, as its parser reads them (also the terminal's completions). */
const HTTP_SERVER_OPTIONS: OptionSpec = {
  p: 'int',
  site: 'string',
  delay: 'string',
  think: 'seconds',
  tls: 'flag',
  'cert-name': 'string',
  'cert-expired': 'flag',
  'tls-versions': 'string',
  alpn: 'string',
};

registerApp<HttpServerOptions>({
  name: 'http-server',
  options: HTTP_SERVER_OPTIONS,
  summary: 'serve a generated web site over HTTP/1.x and HTTP/2 (optionally with TLS)',
  usage:
    'http-server [-p PORT] [--site hello|gallery|icons|twenty] [--delay PATH=TIME,...] [--think TIME] [--tls [--cert-name NAME] [--cert-expired] [--tls-versions 1.2,1.3] [--alpn h2,http/1.1]]',
  parse(argv) {
    const r = parseArgs(argv, HTTP_SERVER_OPTIONS);
    if (!r.ok) return r;
    const { positional, options } = r.args;
    if (positional.length) return { ok: false, error: `unexpected "${positional[0]}"` };
    const tls = options.tls === true;
    const port = (options.p as number | undefined) ?? (tls ? 443 : 80);
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    const site = (options.site as string | undefined) ?? 'gallery';
    if (!SITES[site]) return { ok: false, error: `unknown site "${site}" (known: ${Object.keys(SITES).join(', ')})` };
    const delays = parseDelays((options.delay as string | undefined) ?? '');
    if (typeof delays === 'string') return { ok: false, error: delays };
    const versions = parseTlsVersions((options['tls-versions'] as string | undefined) ?? '1.3,1.2');
    if (typeof versions === 'string') return { ok: false, error: versions };
    const alpn = ((options.alpn as string | undefined) ?? 'h2,http/1.1').split(',').filter(Boolean);
    return {
      ok: true,
      options: {
        port,
        site,
        delays,
        thinkNs: (options.think as number | undefined) ?? 0,
        tls,
        certName: (options['cert-name'] as string | undefined) ?? 'www.example.test',
        certExpired: options['cert-expired'] === true,
        tlsVersions: versions,
        alpn,
      },
    };
  },
  create: (device, o) => new HttpServer(device, o),
});
