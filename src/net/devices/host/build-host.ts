/**
 * An end host's network setup from its scene config (one interface, gateway, routes, DNS
 * resolver, or a DHCP client for `ip: dhcp`), shared by every kind configured like a host: host,
 * server, dns-server.
 */
import { parseIpv4 } from '../../../protocols/addr';
import { setResolvers } from '../../../protocols/dns/stub';
import type { DeviceBuildInput } from '../../device-registry';
import { configureIp } from '../../ip/configure';
import { IpDevice } from '../../ip/ip-device';
import { runDhcpClient } from '../dhcp/services';
import { DHCP_IP, type HostConfig } from './config';

/** Gives `device` the interface, routes and resolver a host config describes. */
export function configureHost(device: IpDevice, ordinal: number, config: HostConfig): void {
  const dhcp = config.ip === DHCP_IP;
  configureIp(device, ordinal, [{ name: 'eth0', ip: dhcp ? '0.0.0.0/32' : config.ip, mac: config.mac, mtu: config.mtu }], config.routes, config.gateway);
  if (config.dns !== undefined) setResolvers(device.stack, [parseIpv4(config.dns)!]);
  if (dhcp) runDhcpClient(device);
}

/** Builds a plain host from its scene config. */
export function buildHost({ ctx, name, nodeId, ordinal, config }: DeviceBuildInput<HostConfig>): IpDevice {
  const device = new IpDevice(ctx, name, nodeId, false);
  configureHost(device, ordinal, config);
  return device;
}
