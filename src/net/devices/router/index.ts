/** Registers the `router` device kind: an IP device that forwards. */
import { registerDevice } from '../../device-registry';
import { IpDevice } from '../../ip/ip-device';
import { configureIp } from '../../ip/configure';
import { routerConfigSpec, type RouterConfig } from './config';

registerDevice<RouterConfig>({
  ...routerConfigSpec,
  shape: 'router',
  build({ ctx, name, nodeId, ordinal, config }) {
    const device = new IpDevice(ctx, name, nodeId, true);
    configureIp(device, ordinal, config.interfaces, config.routes);
    return device;
  },
});
