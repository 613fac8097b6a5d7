/**
 * `{ at, node, slowdown: { factor: 5, until: 30s } }`: from `at`, the node's programs take
 * `factor` times as long for their work (an RR server's service time), until `until` (or for
 * good). A slow disk, a noisy neighbour, a garbage-collection storm.
 */
import { z } from 'zod';
import { setSlowdown } from '../../net/slowdown';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

const slowdownSchema = z.strictObject({
  factor: z.number().refine((f) => Number.isFinite(f) && f > 0, { error: 'factor must be a number greater than 0 (1 = normal speed)' }),
  until: durationSchema.optional(),
});

export const slowdownFault = faultVariant({
  kind: 'slowdown',
  keys: ['node', 'slowdown'],
  schema: z.strictObject({ at: durationSchema, node: z.string(), slowdown: slowdownSchema }),
  check(fault, ctx, report) {
    if (!ctx.hasNode(fault.node)) report(['node'], `no node "${fault.node}"${didYouMean(fault.node, ctx.nodeIds)}`);
    if (fault.slowdown.until !== undefined && fault.slowdown.until <= fault.at) report(['slowdown', 'until'], 'until must be later than at');
  },
  apply(fault, target) {
    const device = target.device(fault.node);
    if (!device) return;
    setSlowdown(device, fault.slowdown.factor);
    const until = fault.slowdown.until;
    if (until !== undefined) device.ctx.kernel.at(until, () => setSlowdown(device, 1));
  },
});
