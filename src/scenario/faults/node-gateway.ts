/**
 * `{ at, node, gateway }`: the host's default route now goes through `gateway` (an address on
 * another of its interfaces), as when a phone leaves Wi-Fi for cellular; its packets then leave
 * from that interface's address. Running programs that care (`onNetworkChange()`, like a phone
 * OS's connectivity callback) are told, so a QUIC client can migrate its connection.
 */
import { z } from 'zod';
import { IpDevice } from '../../net/ip/ip-device';
import { parseIpv4 } from '../../protocols/addr';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant } from './fault-variant';

export const nodeGatewayFault = faultVariant({
  kind: 'node-gateway',
  keys: ['node', 'gateway'],
  schema: z.strictObject({
    at: durationSchema,
    node: z.string(),
    gateway: z.string().refine((s) => parseIpv4(s) !== undefined, { error: 'gateway must be an IPv4 address' }),
  }),
  check(fault, ctx, report) {
    if (!ctx.hasNode(fault.node)) report(['node'], `no node "${fault.node}"${didYouMean(fault.node, ctx.nodeIds)}`);
  },
  apply(fault, target) {
    const d = target.device(fault.node);
    if (!(d instanceof IpDevice)) return;
    const via = parseIpv4(fault.gateway) as number;
    const stack = d.stack;
    const iface = stack.routes.lookup(via);
    if (!iface || iface.via !== 0) {
      d.log(`network: gateway ${fault.gateway} is not on a connected network`);
      return;
    }
    // A default route preferred over every existing one (lower metric wins in the table).
    const metric =
      Math.min(
        0,
        ...stack.routes
          .all()
          .filter((r) => r.prefix === 0)
          .map((r) => r.metric),
      ) - 1;
    stack.routes.add({ network: 0, prefix: 0, via, iface: iface.iface, metric, origin: 'static' });
    d.state('default route', `via ${fault.gateway}`);
    d.log(`network: default route now via ${fault.gateway}`);
    for (const p of [...d.processes]) {
      const aware = p as { onNetworkChange?: () => void };
      aware.onNetworkChange?.();
    }
  },
});
