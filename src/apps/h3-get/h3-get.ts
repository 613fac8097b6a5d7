/**
 * h3-get: fetches over HTTP/3 (QUIC), like `curl --http3`, and optionally the whole page like a
 * browser (`--page`: the HTML, then every sub-resource at once, each on its own QUIC stream).
 * With `--visits 2` it comes back after `--gap` with the session ticket from the first visit and
 * sends its requests as 0-RTT data in the very first flight.
 *
 *   h3-get https://IP[:PORT]/PATH [--page] [--visits N] [--gap TIME] [--sni NAME] [--no-0rtt]
 *
 * When the host's network changes (the `node-gateway` fault: Wi-Fi to cellular), the open
 * connection migrates: it probes the new path and carries on under its connection ID.
 * Waterfall rows use page-load's keys (`page N/R field`), so the waterfall view reads them.
 *
 * Simplifications, stated: the URL's host is an IPv4 address (no DNS); the certificate name
 * checked is `--sni` (default www.example.test); one connection per visit.
 */
import type { IpDevice } from '../../net/ip/ip-device';
import { formatIpv4, parseIpv4 } from '../../protocols/addr';
import type { ClientResponse } from '../../protocols/http/client';
import { sceneCa } from '../../protocols/http/pki';
import { subresources } from '../../protocols/http/site';
import { H3ClientConnection } from '../../protocols/http3/client';
import { QUIC_PORT } from '../../protocols/quic/endpoint';
import type { TlsSession } from '../../protocols/tls';
import { parseArgs, parseSeconds } from '../command';
import { waterfallKey, type WaterfallField } from '../page-load/waterfall-keys';
import { Program } from '../program';
import { registerApp } from '../registry';

export interface H3GetOptions {
  addr: number;
  port: number;
  path: string;
  page: boolean;
  visits: number;
  gapNs: number;
  sni: string;
  zeroRtt: boolean;
}

interface Req {
  index: number;
  path: string;
  sentAt: number;
  done?: number;
}

const dec = new TextDecoder();

export class H3Get extends Program {
  private visit = 0;
  private session?: TlsSession;
  private readonly connections: H3ClientConnection[] = [];
  private conn?: H3ClientConnection;
  private reqs: Req[] = [];
  private startedAt = 0;
  private loadId = 0;

  constructor(
    device: IpDevice,
    private readonly o: H3GetOptions,
  ) {
    super(device);
  }

  private get host() {
    return this.device.stack;
  }

  protected main(): void {
    this.startVisit();
  }

  /** Called by the `node-gateway` fault: the host's route (and so its address) changed. */
  onNetworkChange(): void {
    if (this.conn && !this.conn.closed) {
      this.print(`h3-get: network changed: migrating the connection to ${formatIpv4(this.host.sourceFor(this.o.addr) ?? 0)}`);
      this.conn.migrate();
    }
  }

  private wf(index: number, field: WaterfallField, value: string | number): void {
    this.host.state(waterfallKey(this.loadId, index, field), String(value));
  }

  private startVisit(): void {
    this.visit++;
    this.loadId = this.visit;
    const resume = this.session !== undefined && this.o.zeroRtt;
    const conn = H3ClientConnection.connect(
      this.host,
      { addr: this.o.addr, port: this.o.port },
      { serverName: this.o.sni, trustAnchors: [sceneCa().certificate], session: this.session, earlyData: this.o.zeroRtt },
      {
        onConnected: (info) => {
          const ms = ((this.now - this.startedAt) / 1e6).toFixed(3);
          this.print(`h3-get: QUIC handshake done in ${ms} ms (ALPN ${info.alpn ?? 'none'}${info.resumed ? ', resumed' : ''}${info.earlyData !== 'none' ? `, 0-RTT ${info.earlyData}` : ''})`);
          this.wf(0, 'tlsEnd', this.now);
          if (!resume && this.conn) this.request(this.conn, this.o.path);
        },
        onSession: (s) => {
          this.session = s;
        },
        onClose: (err) => {
          if (err) this.print(`h3-get: connection closed: ${err}`);
        },
      },
    );
    if (typeof conn === 'string') {
      this.print(`h3-get: ${conn}`);
      this.exit();
      return;
    }
    this.connections.push(conn);
    this.reqs = [];
    this.startedAt = this.now;
    const url = `https://${formatIpv4(this.o.addr)}${this.o.port === QUIC_PORT ? '' : `:${this.o.port}`}${this.o.path}`;
    this.print(`h3-get: visit ${this.visit}: ${url}${this.session ? ' (resuming the session from the last visit)' : ''}`);
    this.conn = conn;
    this.wf(0, 'tlsStart', this.now);
    // Resuming: the request goes out before the handshake, in 0-RTT packets.
    if (resume) this.request(conn, this.o.path);
    conn.start();
  }

  private request(c: H3ClientConnection, path: string): void {
    const r: Req = { index: this.reqs.length, path, sentAt: this.now };
    this.reqs.push(r);
    const authority = this.o.sni;
    this.wf(r.index, 'url', `https://${authority}${path}`);
    this.wf(r.index, 'queued', this.now);
    let id = -1;
    id = c.request(
      { method: 'GET', scheme: 'https', authority, path, headers: [{ name: 'user-agent', value: 'packetarium-h3-get' }] },
      {
        onSent: () => this.wf(r.index, 'requestSent', this.now),
        onHead: () => {
          this.wf(r.index, 'firstByte', this.now);
          this.host.state('h3 first byte', `visit ${this.visit} stream ${id} ${r.path}`);
        },
        onDone: (resp) => this.done(c, r, id, resp),
        onError: (e) => this.print(`h3-get: ${r.path}: ${e}`),
      },
    );
    this.wf(r.index, 'connection', `#0 quic stream ${id}`);
    this.host.state('h3 request', `visit ${this.visit} stream ${id} GET ${path}`);
  }

  private done(c: H3ClientConnection, r: Req, id: number, resp: ClientResponse): void {
    r.done = this.now;
    this.wf(r.index, 'done', this.now);
    this.wf(r.index, 'status', resp.status);
    this.wf(r.index, 'bytes', resp.body.length);
    this.print(`h3-get: ${resp.status} ${r.path} ${resp.body.length} bytes, stream ${id}, ${((r.done - r.sentAt) / 1e6).toFixed(3)} ms`);
    if (r.index === 0 && this.o.page) {
      for (const p of subresources(dec.decode(resp.body))) this.request(c, p);
    }
    if (this.reqs.every((x) => x.done !== undefined)) this.finishVisit(c);
  }

  private finishVisit(c: H3ClientConnection): void {
    const ms = ((this.now - this.startedAt) / 1e6).toFixed(3);
    this.print(`h3-get: visit ${this.visit} done: ${this.reqs.length} response${this.reqs.length === 1 ? '' : 's'} in ${ms} ms`);
    c.close();
    this.conn = undefined;
    if (this.visit < this.o.visits) this.after(this.o.gapNs, () => this.startVisit());
    // Linger a little so the server's last packets find an open port, then exit.
    else this.after(4 * (c.quic.smoothedRtt || 50_000_000), () => this.exit());
  }

  protected override onExit(): void {
    for (const c of this.connections) c.release();
  }
}


/** Parses `https://IP[:PORT]/PATH`. */
export function parseH3Url(text: string): { addr: number; port: number; path: string } | string {
  const m = /^https:\/\/([0-9.]+)(?::(\d+))?(\/[^\s]*)?$/.exec(text);
  if (!m) return `"${text}" is not an https://IP[:PORT]/PATH URL`;
  const addr = parseIpv4(m[1]);
  if (addr === undefined) return `"${m[1]}" is not an IPv4 address`;
  const port = m[2] ? Number(m[2]) : QUIC_PORT;
  if (port < 1 || port > 65535) return `port ${port} out of range`;
  return { addr, port, path: m[3] ?? '/' };
}

registerApp<H3GetOptions>({
  name: 'h3-get',
  summary: 'fetch a URL (or a whole page) over HTTP/3, optionally again with 0-RTT',
  usage: 'h3-get https://IP[:PORT]/PATH [--page] [--visits N] [--gap TIME] [--sni NAME] [--no-0rtt]',
  parse(argv) {
    const r = parseArgs(argv, { page: 'flag', visits: 'int', gap: 'string', sni: 'string', 'no-0rtt': 'flag' });
    if (!r.ok) return r;
    if (r.args.positional.length !== 1) return { ok: false, error: 'give exactly one URL' };
    const u = parseH3Url(r.args.positional[0]);
    if (typeof u === 'string') return { ok: false, error: u };
    const visits = (r.args.options.visits as number | undefined) ?? 1;
    if (visits < 1 || visits > 10) return { ok: false, error: '--visits must be 1 to 10' };
    const gapText = (r.args.options.gap as string | undefined) ?? '100ms';
    const gapNs = parseSeconds(gapText);
    if (gapNs === undefined) return { ok: false, error: `--gap "${gapText}" is not a time` };
    return {
      ok: true,
      options: { ...u, page: r.args.options.page === true, visits, gapNs, sni: (r.args.options.sni as string | undefined) ?? 'www.example.test', zeroRtt: r.args.options['no-0rtt'] !== true },
    };
  },
  create: (device, o) => new H3Get(device, o),
});
