/** Scene configuration of a learning switch: MAC table ageing time and an optional port count. */
import { z } from 'zod';
import type { DeviceConfigSpec } from '../../device-config';

/** IEEE 802.1D default ageing time: 300 s, in ns. */
export const DEFAULT_AGEING_NS = 300e9;

/** A switch's scene fields (beside id, kind, label, position). */
export interface SwitchConfig {
  /** How long a learned MAC table entry lives without traffic, ns (scene: duration, default 300s). */
  readonly ageing: number;
  /** Number of ports; at most this many links. Unlimited when absent. */
  readonly ports?: number;
}

const NS_PER_UNIT: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9 };

/**
 * The scene duration grammar of src/scenario/units.ts (`300s`, `1.5m`, `500ms`), which src/net may
 * not import (layers); test/scenario/units.test.ts checks that the two agree.
 */
const ageingSchema = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const m = text === undefined ? null : /^(\d+(?:\.\d*)?|\.\d+)\s*(ns|us|µs|μs|ms|s|m)$/.exec(text);
  const ns = m ? Math.round(Number(m[1]) * NS_PER_UNIT[m[2]]) : NaN;
  if (!Number.isSafeInteger(ns) || ns <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `ageing is a duration longer than 0, e.g. 300s or 5m; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
      input: value,
    });
    return z.NEVER;
  }
  return ns;
});

const switchSchema = z.strictObject({
  ageing: ageingSchema.default(DEFAULT_AGEING_NS),
  ports: z
    .number()
    .int('ports must be a whole number')
    .min(1, 'a switch needs at least 1 port')
    .max(1024, 'ports must be at most 1024')
    .optional(),
});

/** A learning switch: one unnamed port per link, up to `ports` links. */
export const switchConfigSpec: DeviceConfigSpec<SwitchConfig> = {
  kind: 'switch',
  description: 'a learning switch: forwards frames by destination MAC (one port per link)',
  config: switchSchema,
  interfaces: () => 'per-link',
  maxLinks: (config) => config.ports,
};
