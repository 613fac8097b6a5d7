/** Registers the `server` device kind: a host, drawn as a server, that may run a DHCP server. */
import { registerDevice } from '../../device-registry';
import { dhcpPoolsOf } from '../dhcp/config';
import { runDhcpServer } from '../dhcp/services';
import { buildHost } from '../host/build-host';
import { serverConfigSpec, type ServerConfig } from './config';

registerDevice<ServerConfig>({
  ...serverConfigSpec,
  shape: 'server',
  build(input) {
    const device = buildHost(input);
    const pools = input.config['dhcp-server'];
    if (pools) runDhcpServer(device, dhcpPoolsOf(pools));
    return device;
  },
});
