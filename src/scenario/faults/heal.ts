/**
 * `{ at, heal: true }`: ends every partition in force at `at`, like flushing the iptables DROP rules
 * a partition stands for; packets between the groups cross again from then on. Partitions given
 * after it apply as usual.
 */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { faultVariant } from './fault-variant';
import { partitionsOf } from './partition';

export const healFault = faultVariant({
  kind: 'heal',
  keys: ['heal'],
  schema: z.strictObject({ at: durationSchema, heal: z.literal(true, { error: 'write heal: true (it ends every partition in force)' }) }),
  apply(_fault, target) {
    for (const p of partitionsOf(target)) p.on = false;
  },
});
