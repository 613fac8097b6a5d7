/** Scene configuration of a learning switch: MAC table ageing time and an optional port count. */
import { z } from 'zod';
import { durationSchema } from '../../../sim/units';
import type { DeviceConfigSpec } from '../../device-config';

/** IEEE 802.1D default ageing time: 300 s, in ns. */
const DEFAULT_AGEING_NS = 300e9;

/** A switch's scene fields (beside id, kind, label, position). */
export interface SwitchConfig {
  /** How long a learned MAC table entry lives without traffic, ns (scene: duration, default 300s). */
  readonly ageing: number;
  /** Number of ports; at most this many links. Unlimited when absent. */
  readonly ports?: number;
}

const switchSchema = z.strictObject({
  ageing: durationSchema.refine((ns) => ns > 0, { error: 'ageing must be longer than 0, e.g. 300s or 5m' }).default(DEFAULT_AGEING_NS),
  ports: z.number().int('ports must be a whole number').min(1, 'a switch needs at least 1 port').max(1024, 'ports must be at most 1024').optional(),
});

/** A learning switch: one unnamed port per link, up to `ports` links. */
export const switchConfigSpec: DeviceConfigSpec<SwitchConfig> = {
  kind: 'switch',
  description: 'a learning switch: forwards frames by destination MAC (one port per link)',
  config: switchSchema,
  interfaces: () => 'per-link',
  maxLinks: (config) => config.ports,
};
