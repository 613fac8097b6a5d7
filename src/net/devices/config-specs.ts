/** The configuration specs of the built-in device kinds, in the order the scene editor lists them. */
import type { DeviceConfigSpec } from '../device-config';
import { hostConfigSpec } from './host/config';
import { hubConfigSpec } from './hub/config';
import { routerConfigSpec } from './router/config';
import { serverConfigSpec } from './server/config';
import { switchConfigSpec } from './switch/config';

/** host, server, switch, hub, router. */
export const builtinConfigSpecs: readonly DeviceConfigSpec[] = [
  hostConfigSpec,
  serverConfigSpec,
  switchConfigSpec,
  hubConfigSpec,
  routerConfigSpec,
];
