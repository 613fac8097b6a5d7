/**
 * `{ at, packet: 42, delay: 5ms }`: the first frame carrying trace packet 42 whose transmission
 * starts at or after `at` arrives `delay` later than the link would deliver it ("delay packet 42 5ms").
 */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { faultVariant } from './fault-variant';
import { packetIdSchema } from './packet-id';

export const packetDelayFault = faultVariant({
  kind: 'packet-delay',
  keys: ['packet', 'delay'],
  schema: z.strictObject({ at: durationSchema, packet: packetIdSchema, delay: durationSchema }),
  apply(fault, target) {
    target.packetFault(fault.packet, { kind: 'delay', ns: fault.delay }, `delayed by fault: delay packet ${fault.packet}`);
  },
});
