/** Scene configuration of a hub: nothing to configure; one port per link. */
import { z } from 'zod';
import type { DeviceConfigSpec } from '../../device-config';

/** A hub has no scene fields of its own. */
export type HubConfig = Record<string, never>;

/** A hub (layer 1 repeater): one unnamed port per link. */
export const hubConfigSpec: DeviceConfigSpec<HubConfig> = {
  kind: 'hub',
  description: 'a hub: repeats every frame to all other ports (one shared collision domain)',
  config: z.strictObject({}),
  interfaces: () => 'per-link',
  cannotLinkTo: { hub: 'hub-to-hub links are not supported yet; connect hubs through a switch' },
};
