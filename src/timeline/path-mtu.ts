/**
 * The path MTU a host had learned at a moment, read from the trace (what `ip route get DST` would
 * show as `cache expires ... mtu 1400` on Linux, or tracepath's `pmtu`).
 */
import { pathMtuStateKey } from '../net/ip/path-mtu-cache';
import { stateAt, type TimelineIndex } from './index';

/**
 * The path MTU `node` knew to `dst` (dotted quad) at `t`, from ICMP "fragmentation needed"; undefined
 * when it knew none then, so its interface MTU applied.
 */
export function pathMtuAt(index: TimelineIndex, node: number | string, dst: string, t: number): number | undefined {
  const v = stateAt(index, node, t).get(pathMtuStateKey(dst));
  return v === undefined ? undefined : Number(v);
}
