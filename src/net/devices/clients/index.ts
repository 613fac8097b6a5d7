/** Registers the `clients` device kind: a client population on one interface. */
import { parseCidr } from '../../../protocols/addr';
import { registerDevice } from '../../device-registry';
import { configureIp } from '../../ip/configure';
import { ClientPool } from './client-pool';
import { clientsConfigSpec, type ClientsConfig } from './config';

registerDevice<ClientsConfig>({
  ...clientsConfigSpec,
  shape: 'clients',
  build({ ctx, name, nodeId, ordinal, config }) {
    const device = new ClientPool(ctx, name, nodeId, false);
    configureIp(device, ordinal, [{ name: 'eth0', ip: config.ip, mac: config.mac, mtu: config.mtu }], config.routes, config.gateway);
    device.setPool(parseCidr(config.ip)!.addr, config.count);
    return device;
  },
});
