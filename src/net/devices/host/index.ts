/** Registers the `host` device kind. */
import { registerDevice } from '../../device-registry';
import { buildHost } from './build-host';
import { hostConfigSpec, type HostConfig } from './config';

registerDevice<HostConfig>({ ...hostConfigSpec, shape: 'host', build: buildHost });
