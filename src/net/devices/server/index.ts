/** Registers the `server` device kind: a host, drawn as a server. */
import { registerDevice } from '../../device-registry';
import { buildHost } from '../host/build-host';
import { serverConfigSpec, type ServerConfig } from './config';

registerDevice<ServerConfig>({ ...serverConfigSpec, shape: 'server', build: buildHost });
