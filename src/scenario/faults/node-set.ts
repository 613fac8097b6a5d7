/** `{ at, node, set: { up } }`: crash a device (`up: false`) or restart it (`up: true`). */
import { z } from 'zod';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

export const nodeSetFault = faultVariant({
  kind: 'node-set',
  keys: ['node', 'set'],
  schema: z.strictObject({ at: durationSchema, node: z.string(), set: z.strictObject({ up: z.boolean() }) }),
  check(fault, ctx, report) {
    if (!ctx.hasNode(fault.node)) report(['node'], `no node "${fault.node}"${didYouMean(fault.node, ctx.nodeIds)}`);
  },
  apply(fault, target) {
    target.device(fault.node)?.setUp(fault.set.up);
  },
});
