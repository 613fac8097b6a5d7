/** Registers the `host` device kind. */
import { registerDevice } from '../../device-registry';
import { IpDevice } from '../../ip/ip-device';
import { configureIp } from '../../ip/configure';
import { setResolvers } from '../../../protocols/dns/stub';
import { parseIpv4 } from '../../../protocols/addr';
import { hostConfigSpec, type HostConfig } from './config';

registerDevice<HostConfig>({
  ...hostConfigSpec,
  shape: 'host',
  build({ ctx, name, nodeId, ordinal, config }) {
    const device = new IpDevice(ctx, name, nodeId, false);
    configureIp(device, ordinal, [{ name: 'eth0', ip: config.ip, mac: config.mac, mtu: config.mtu }], config.routes, config.gateway);
    if (config.dns !== undefined) setResolvers(device.stack, [parseIpv4(config.dns)!]);
    return device;
  },
});
