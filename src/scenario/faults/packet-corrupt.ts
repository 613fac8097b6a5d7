/**
 * `{ at, packet: 42, corrupt: true }`: one bit of the first frame carrying trace packet 42 whose
 * transmission starts at or after `at` is flipped on the wire; the next IP hop finds the header
 * checksum wrong and discards it ("corrupt packet 42"). See src/net/packet-faults.ts.
 */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { faultVariant } from './fault-variant';
import { packetIdSchema } from './packet-id';

export const packetCorruptFault = faultVariant({
  kind: 'packet-corrupt',
  keys: ['packet', 'corrupt'],
  schema: z.strictObject({ at: durationSchema, packet: packetIdSchema, corrupt: z.literal(true) }),
  apply(fault, target) {
    target.packetFault(fault.packet, { kind: 'corrupt' }, `corrupted by fault: corrupt packet ${fault.packet}`);
  },
});
