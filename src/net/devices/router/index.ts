/** Registers the `router` device kind: an IP device that forwards, with optional DHCP server or relay and NAT. */
import { parseIpv4 } from '../../../protocols/addr';
import { registerDevice } from '../../device-registry';
import { IpDevice } from '../../ip/ip-device';
import { configureIp } from '../../ip/configure';
import { Nat } from '../../nat/nat';
import { dhcpPoolsOf } from '../dhcp/config';
import { runDhcpRelay, runDhcpServer } from '../dhcp/services';
import { routerConfigSpec, type RouterConfig } from './config';

registerDevice<RouterConfig>({
  ...routerConfigSpec,
  shape: 'router',
  build({ ctx, name, nodeId, ordinal, config }) {
    const device = new IpDevice(ctx, name, nodeId, true);
    configureIp(device, ordinal, config.interfaces, config.routes);
    const pools = config['dhcp-server'];
    if (pools) runDhcpServer(device, dhcpPoolsOf(pools));
    const relay = config['dhcp-relay'];
    if (relay)
      runDhcpRelay(
        device,
        relay.on,
        relay.server.map((s) => parseIpv4(s)!),
      );
    if (config.nat) {
      const nat = new Nat(device.stack, config.nat);
      device.stack.translator = nat;
      device.addService(() => {
        nat.start();
        return { kill: () => nat.table.clear() };
      });
    }
    return device;
  },
});
