/** The schema of a trace packet id, as the packet faults name their packet. */
import { z } from 'zod';

/** A trace packet id: a whole number from 0 (the inspector shows it as "packet N"). */
export const packetIdSchema = z
  .number({ error: 'packet is a trace packet id, a whole number (the inspector shows "packet N")' })
  .int('packet is a whole number')
  .min(0, 'packet ids start at 0');
