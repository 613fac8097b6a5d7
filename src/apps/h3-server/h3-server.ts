/**
 * h3-server: an HTTP/3 server over QUIC on UDP port 443 (default), serving a generated site with
 * a certificate from the scene CA. It issues session tickets, so a returning client can resume
 * and send its request as 0-RTT data.
 *
 *   h3-server [-p PORT] [--site NAME] [--cert-name NAME]
 */
import type { IpDevice } from '../../net/ip/ip-device';
import { controlStreamPreface as controlPreface, H3Message, sendH3Response } from '../../protocols/http3/http3';
import { serverIdentity } from '../../protocols/http/pki';
import { generateSite, SITES, type SiteFile } from '../../protocols/http/site';
import { QUIC_PORT, QuicEndpoint } from '../../protocols/quic/endpoint';
import { TlsSessionCache } from '../../protocols/tls';
import { parseArgs, type OptionSpec } from '../command';
import { Program } from '../program';
import { registerApp } from '../registry';

interface H3ServerOptions {
  port: number;
  site: string;
  certName: string;
}

const enc = new TextEncoder();

class H3Server extends Program {
  private endpoint?: QuicEndpoint;
  private readonly files: Map<string, SiteFile>;

  constructor(
    device: IpDevice,
    private readonly o: H3ServerOptions,
  ) {
    super(device);
    this.files = generateSite(SITES[o.site]);
  }

  protected main(): void {
    const ep = QuicEndpoint.open(this.device.stack, this.o.port, {
      tls: { identities: [serverIdentity({ names: [this.o.certName] })], alpn: ['h3'], sessionCache: new TlsSessionCache() },
      onConnection: () => {
        const requests = new Map<number, H3Message>();
        return {
          onStreamData: (c, id, data, fin) => {
            if (id % 4 !== 0) return; // client's unidirectional streams (control): nothing to act on
            let m = requests.get(id);
            if (!m) {
              m = new H3Message();
              requests.set(id, m);
            }
            m.push(data);
            if (!fin) return;
            requests.delete(id);
            const path = m.header(':path') ?? '/';
            const head = m.header(':method') === 'HEAD';
            const file = this.files.get(path);
            if (file) sendH3Response(c, id, 200, file.contentType, file.body, head);
            else sendH3Response(c, id, 404, 'text/plain', enc.encode(`${path} not found\n`), head);
          },
          onConnected: (c) => {
            const ctl = c.openUniStream();
            c.write(ctl, controlPreface());
          },
        };
      },
    });
    if (typeof ep === 'string') {
      this.print(`h3-server: ${ep}`);
      this.exit();
      return;
    }
    this.endpoint = ep;
    this.print(`h3-server: serving site "${this.o.site}" over HTTP/3 on UDP port ${this.o.port}`);
  }

  protected override onExit(): void {
    this.endpoint?.close();
  }
}

/** h3-server's options, as its parser reads them (also the terminal's completions). */
const H3_SERVER_OPTIONS: OptionSpec = { p: 'int', site: 'string', 'cert-name': 'string' };

registerApp<H3ServerOptions>({
  name: 'h3-server',
  options: H3_SERVER_OPTIONS,
  summary: 'serve a generated web site over HTTP/3 (QUIC, UDP 443)',
  usage: 'h3-server [-p PORT] [--site NAME] [--cert-name NAME]',
  parse(argv) {
    const r = parseArgs(argv, H3_SERVER_OPTIONS);
    if (!r.ok) return r;
    if (r.args.positional.length) return { ok: false, error: `unexpected "${r.args.positional[0]}"` };
    const port = (r.args.options.p as number | undefined) ?? QUIC_PORT;
    if (port < 1 || port > 65535) return { ok: false, error: '-p must be 1 to 65535' };
    const site = (r.args.options.site as string | undefined) ?? 'hello';
    if (!SITES[site]) return { ok: false, error: `--site must be one of ${Object.keys(SITES).join(', ')}` };
    return { ok: true, options: { port, site, certName: (r.args.options['cert-name'] as string | undefined) ?? 'www.example.test' } };
  },
  create: (device, o) => new H3Server(device, o),
});
