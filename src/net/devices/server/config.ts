/** Scene configuration of a server: the same fields as a host (a server is a host drawn differently). */
import type { DeviceConfigSpec } from '../../device-config';
import { hostConfigSpec, type HostConfig } from '../host/config';

/** A server's scene fields: exactly a host's. */
export type ServerConfig = HostConfig;

/** A server: one interface `eth0`, at most one link; configured like a host. */
export const serverConfigSpec: DeviceConfigSpec<ServerConfig> = {
  ...hostConfigSpec,
  kind: 'server',
  description: 'a server: a host with one interface (eth0), drawn as a server',
};
