/**
 * `{ at, node, forward: { port, to, proto? } }`: a NAT router gains a port forward (its owner adds
 * one in the admin page): from then on, connections to its outside address's `port` go to `to`.
 */
import { z } from 'zod';
import { IpDevice } from '../../net/ip/ip-device';
import { Nat } from '../../net/nat/nat';
import { natForwardSchema } from '../../net/nat/config';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

export const nodeForwardFault = faultVariant({
  kind: 'node-forward',
  keys: ['node', 'forward'],
  schema: z.strictObject({ at: durationSchema, node: z.string(), forward: natForwardSchema }),
  check(fault, ctx, report) {
    if (!ctx.hasNode(fault.node)) report(['node'], `no node "${fault.node}"${didYouMean(fault.node, ctx.nodeIds)}`);
  },
  apply(fault, target) {
    const d = target.device(fault.node);
    const nat = d instanceof IpDevice ? d.stack.translator : undefined;
    if (!(d instanceof IpDevice) || !(nat instanceof Nat)) {
      d?.log(`nat: ${fault.node} has no NAT to forward ports on`);
      return;
    }
    nat.addForward(fault.forward);
    d.log(`nat: forwarding ${fault.forward.proto} port ${fault.forward.port} to ${fault.forward.to}`);
  },
});
