/**
 * Scene configuration of a server: a host's fields (a server is a host drawn differently), plus an
 * optional DHCP server (`dhcp-server`: its pools, see ../dhcp/config.ts).
 */
import type { DeviceConfigSpec } from '../../device-config';
import { dhcpServerSchema, validateDhcpPools, type DhcpPoolConfig } from '../dhcp/config';
import { hostConfigSpec, hostSchema, type HostConfig } from '../host/config';

/** A server's scene fields: a host's, and the DHCP pools it serves, if any. */
export interface ServerConfig extends HostConfig {
  readonly 'dhcp-server'?: readonly DhcpPoolConfig[];
}

/** A server: one interface `eth0`, at most one link; configured like a host, optionally a DHCP server. */
export const serverConfigSpec: DeviceConfigSpec<ServerConfig> = {
  ...(hostConfigSpec as DeviceConfigSpec<ServerConfig>),
  kind: 'server',
  description: 'a server: a host with one interface (eth0), drawn as a server; may run a DHCP server',
  config: hostSchema.extend({ 'dhcp-server': dhcpServerSchema.optional() }),
  validate(config, report) {
    hostConfigSpec.validate?.(config, report);
    if (config['dhcp-server']) validateDhcpPools(config['dhcp-server'], report);
  },
};
