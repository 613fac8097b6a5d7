/** Registers the `dns-server` device kind: an IP host whose DNS server starts with it (and restarts with it). */
import { parseIpv4 } from '../../../protocols/addr';
import { DnsServer, type DnsServerOptions } from '../../../protocols/dns/server';
import type { SimContext } from '../../context';
import { registerDevice } from '../../device-registry';
import { configureHost } from '../host/build-host';
import { IpDevice } from '../../ip/ip-device';
import { dnsServerConfigSpec, zonesOf, type DnsServerConfig } from './config';

/** A host running a DNS server from time 0; a crash stops it (and empties its cache), a restart starts it again. */
class DnsServerDevice extends IpDevice {
  /** The running server, if any. */
  server: DnsServer | undefined;

  constructor(
    ctx: SimContext,
    name: string,
    nodeId: number,
    private readonly options: DnsServerOptions,
  ) {
    super(ctx, name, nodeId, false);
    ctx.kernel.at(0, () => this.startServer(true));
  }

  private startServer(announce: boolean): void {
    const server = new DnsServer(this.stack, this.options);
    const error = server.start();
    if (error) {
      this.log(`dns-server: ${error}`);
      return;
    }
    this.server = server;
    this.processes.add({ kill: () => server.stop() });
    if (announce) {
      const zones = this.options.zones.map((z) => (z.origin === '' ? '.' : z.origin));
      const roles = [zones.length ? `authoritative for ${zones.join(', ')}` : '', server.recursive ? 'recursive resolver' : ''].filter(Boolean);
      this.log(`dns-server: listening on port 53 (${roles.join('; ')})`);
    }
  }

  protected override onRestart(): void {
    super.onRestart();
    this.startServer(false);
  }
}

registerDevice<DnsServerConfig>({
  ...dnsServerConfigSpec,
  shape: 'server',
  build({ ctx, name, nodeId, ordinal, config }) {
    const roots = (config.roots ?? []).map((r, i) => ({ name: `root-${i + 1}`, address: parseIpv4(r)! }));
    const device = new DnsServerDevice(ctx, name, nodeId, { zones: zonesOf(config), roots });
    configureHost(device, ordinal, config);
    return device;
  },
});
