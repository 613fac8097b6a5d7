/** Registers the `hub` device kind. Stations attach to its shared segment as links are built. */
import { registerDevice } from '../../device-registry';
import { hubConfigSpec, type HubConfig } from './config';
import { Hub } from './hub';

registerDevice<HubConfig>({
  ...hubConfigSpec,
  shape: 'hub',
  build: ({ ctx, name, nodeId }) => new Hub(ctx, name, nodeId),
});
