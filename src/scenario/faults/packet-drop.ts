/**
 * `{ at, packet: 42, drop: true }`: the first frame carrying trace packet 42 whose transmission
 * starts at or after `at` is lost on its link ("drop packet 42").
 */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { faultVariant } from './fault-variant';
import { packetIdSchema } from './packet-id';

export const packetDropFault = faultVariant({
  kind: 'packet-drop',
  keys: ['packet', 'drop'],
  schema: z.strictObject({ at: durationSchema, packet: packetIdSchema, drop: z.literal(true) }),
  apply(fault, target) {
    target.packetFault(fault.packet, { kind: 'drop' }, `dropped by fault: drop packet ${fault.packet}`);
  },
});
