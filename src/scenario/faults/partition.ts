/**
 * `{ at, partition: [[h1, h2], [h3]] }`: from `at` on, IPv4 packets between nodes of different
 * groups are lost on the first link they cross, in both directions, like `iptables -j DROP` rules
 * on every node (a Jepsen-style network partition). Nodes in no group, and traffic inside a group,
 * are untouched; ARP still resolves across the cut (it is not IP). A later `heal` fault
 * (heal.ts) ends it.
 */
import { z } from 'zod';
import { IpDevice } from '../../net/ip/ip-device';
import { readU16, readU32 } from '../../protocols/bytes';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_IPV4 } from '../../protocols/ethernet/ethernet';
import { durationSchema } from '../../sim/units';
import { didYouMean } from '../messages';
import { faultVariant, type FaultTarget } from './fault-variant';

/** The partitions of one run (by its fault target), each with whether it is still in force. */
const inForce = new WeakMap<FaultTarget, { on: boolean }[]>();

/** The partitions applied so far in the run of `target` (the heal fault switches them off). */
export function partitionsOf(target: FaultTarget): readonly { on: boolean }[] {
  return inForce.get(target) ?? [];
}

const groupsSchema = z
  .array(z.array(z.string()).min(1, 'a partition group needs at least one node'))
  .min(2, 'a partition needs at least two groups, e.g. [[h1, h2], [h3]]');

export const partitionFault = faultVariant({
  kind: 'partition',
  keys: ['partition'],
  schema: z.strictObject({ at: durationSchema, partition: groupsSchema }),
  check(fault, ctx, report) {
    const seen = new Set<string>();
    fault.partition.forEach((group, g) =>
      group.forEach((node, i) => {
        if (!ctx.hasNode(node)) report(['partition', g, i], `no node "${node}"${didYouMean(node, ctx.nodeIds)}`);
        else if (seen.has(node)) report(['partition', g, i], `${node} is in two groups`);
        seen.add(node);
      }),
    );
  },
  apply(fault, target) {
    // Group of each address (group index + 1; 0 = in no group).
    const groupOf = new Map<number, number>();
    fault.partition.forEach((group, g) => {
      for (const node of group) {
        const d = target.device(node);
        if (d instanceof IpDevice) for (const addr of d.stack.addresses) groupOf.set(addr, g + 1);
      }
    });
    const ip = ETHERNET_HEADER_BYTES;
    const state = { on: true };
    const list = inForce.get(target) ?? [];
    list.push(state);
    inForce.set(target, list);
    const matches = (frame: Uint8Array): boolean => {
      if (!state.on || frame.length < ip + 20 || readU16(frame, 12) !== ETHERTYPE_IPV4) return false;
      const a = groupOf.get(readU32(frame, ip + 12)) ?? 0;
      const b = groupOf.get(readU32(frame, ip + 16)) ?? 0;
      return a !== 0 && b !== 0 && a !== b;
    };
    target.dropOnEveryLink(matches, `dropped by fault: partition ${fault.partition.map((g) => g.join(',')).join(' | ')}`);
  },
});
