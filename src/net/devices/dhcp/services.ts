/**
 * DHCP on a device: the client that configures a host with `ip: dhcp`, and the server and relay a
 * router or server runs from boot. Each restarts with its device.
 */
import { formatCidr, formatIpv4, parseCidr } from '../../../protocols/addr';
import { DhcpClient } from '../../../protocols/dhcp/client';
import { DhcpRelay } from '../../../protocols/dhcp/relay';
import { DhcpServer, type DhcpPool } from '../../../protocols/dhcp/server';
import { setResolvers } from '../../../protocols/dns/stub';
import type { IpDevice } from '../../ip/ip-device';

/** The address of an interface that has none yet. */
const UNCONFIGURED = parseCidr('0.0.0.0/32')!;

/**
 * Runs a DHCP client on interface 0 of `device` from boot: the lease gives the address, the default
 * route and the resolvers; programs started before the first lease wait for it.
 */
export function runDhcpClient(device: IpDevice): void {
  device.awaitConfiguration();
  const stack = device.stack;
  const nic = stack.interfaces[0].nic;
  device.addService(() => {
    const client = new DhcpClient(stack, {
      ifName: nic.name,
      mac: nic.mac,
      bind(lease, renewed) {
        if (renewed) return;
        const cidr = parseCidr(formatCidr(lease.address, lease.prefix))!;
        stack.setInterfaceAddress(0, cidr);
        device.state(`addr ${nic.name}`, formatCidr(lease.address, lease.prefix));
        if (lease.routers.length) {
          stack.routes.add({ network: 0, prefix: 0, via: lease.routers[0], iface: 0, metric: 0, origin: 'dhcp' });
          device.state('default route', `via ${formatIpv4(lease.routers[0])}`);
        }
        setResolvers(stack, lease.dns);
        device.setConfigured();
      },
      unbind() {
        stack.setInterfaceAddress(0, UNCONFIGURED, 'dhcp');
        device.state(`addr ${nic.name}`, '');
        device.state('default route', '');
        setResolvers(stack, []);
        device.awaitConfiguration();
      },
    });
    const error = client.start();
    if (error) return `dhclient: ${error}`;
    return {
      kill: () => {
        client.stop();
        stack.setInterfaceAddress(0, UNCONFIGURED, 'dhcp');
        device.awaitConfiguration();
      },
    };
  });
}

/** Runs a DHCP server with `pools` on `device` from boot. */
export function runDhcpServer(device: IpDevice, pools: readonly DhcpPool[]): void {
  device.addService(() => {
    const server = new DhcpServer(device.stack, pools);
    const error = server.start();
    if (error) return `dhcpd: ${error}`;
    const nets = pools.map((p) => `${formatIpv4(p.subnet.network)}/${p.subnet.prefix}`).join(', ');
    device.log(`dhcpd: listening on port 67 for ${nets}`);
    return { kill: () => server.stop() };
  });
}

/** Runs a DHCP relay on `device` from boot, for the interfaces named `on`, to `servers`. */
export function runDhcpRelay(device: IpDevice, on: readonly string[], servers: readonly number[]): void {
  device.addService(() => {
    const addrs = device.stack.interfaces.filter((i) => on.includes(i.nic.name)).map((i) => i.cidr.addr);
    const relay = new DhcpRelay(device.stack, addrs, servers);
    const error = relay.start();
    if (error) return `dhcrelay: ${error}`;
    device.log(`dhcrelay: relaying on ${on.join(', ')} to ${servers.map(formatIpv4).join(', ')}`);
    return { kill: () => relay.stop() };
  });
}
