/** Schemas of link properties, shared by links and the faults that change them. */
import { z } from 'zod';
import { rateSchema } from '../sim/units';
import { show } from './messages';

/** A loss probability from 0 to 1. */
export const lossSchema = z
  .number({ error: (iss) => `loss is a probability from 0 to 1 (e.g. 0.05 for 5%), got ${show(iss.input)}` })
  .min(0, 'loss must be between 0 and 1')
  .max(1, 'loss must be between 0 and 1');

/** A bit rate above 0. */
export const bandwidthSchema = rateSchema.refine((bps) => bps > 0, { error: 'bandwidth must be greater than 0' });

/** A transmit queue length in packets. */
export const queueSchema = z
  .number()
  .int('queue is a whole number of packets')
  .min(1, 'queue must hold at least 1 packet')
  .max(1_000_000, 'queue must be at most 1000000 packets');
