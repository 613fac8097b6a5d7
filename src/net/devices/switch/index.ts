/** Registers the `switch` device kind. Ports are added as links attach. */
import { registerDevice } from '../../device-registry';
import { switchConfigSpec, type SwitchConfig } from './config';
import { Switch } from './switch';

registerDevice<SwitchConfig>({
  ...switchConfigSpec,
  shape: 'switch',
  build: ({ ctx, name, nodeId, config }) => new Switch(ctx, name, nodeId, config.ageing),
});
