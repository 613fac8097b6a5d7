/**
 * `{ at, node, interrupt: ping }`: Ctrl-C. SIGINT goes to the newest running `ping` on the node, like
 * `pkill -INT -n ping`: it prints what the tool prints when interrupted (ping its statistics) and
 * stops. Nothing happens when no such program is running then.
 */
import { z } from 'zod';
import '../../apps';
import { appKinds } from '../../apps/registry';
import { IpDevice } from '../../net/ip/ip-device';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

export const nodeInterruptFault = faultVariant({
  kind: 'node-interrupt',
  keys: ['node', 'interrupt'],
  schema: z.strictObject({
    at: durationSchema,
    node: z.string(),
    interrupt: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'interrupt names a program, e.g. ping' }),
  }),
  check(fault, ctx, report) {
    if (!ctx.hasNode(fault.node)) report(['node'], `no node "${fault.node}"${didYouMean(fault.node, ctx.nodeIds)}`);
    const names = appKinds().map((a) => a.name);
    if (!names.includes(fault.interrupt)) report(['interrupt'], `no program "${fault.interrupt}"${didYouMean(fault.interrupt, new Set(names))}`);
  },
  apply(fault, target) {
    const d = target.device(fault.node);
    if (!(d instanceof IpDevice)) return;
    // The process set keeps start order: the last match is the newest.
    const matching = [...d.processes].filter((p) => p.name === fault.interrupt);
    matching[matching.length - 1]?.interrupt?.();
  },
});
