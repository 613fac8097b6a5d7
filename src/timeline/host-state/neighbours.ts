/**
 * A host's neighbour (ARP) table at a time, from the trace: the `arp <ip>` state rows the IP stack
 * publishes (a MAC when learned, `FAILED` when resolution gave up), the ARP requests the host put
 * on its links (an entry is INCOMPLETE while they go unanswered), and crashes (which empty it).
 *
 * Simplifications, stated: like the stack (src/net/ip/arp-table.ts) there is no NUD state machine;
 * an entry is REACHABLE for ARP_ENTRY_LIFETIME_NS after it was last published and STALE after.
 * A refresh with the same MAC is not published, so an entry refreshed after a minute shows STALE.
 */
import { ARP_ATTEMPTS, ARP_ENTRY_LIFETIME_NS, ARP_RETRY_NS } from '../../net/ip/arp-table';
import { inSubnet, parseIpv4, parseMac } from '../../protocols/addr';
import { readU16, readU32 } from '../../protocols/bytes';
import { RecordKind } from '../../sim/trace';
import type { HostInfo, HostStateSource } from './host-info';
import { lastCrash } from './trace-scan';

/** One neighbour entry. */
export interface Neighbour {
  readonly ip: number;
  /** Interface name. */
  readonly dev: string;
  /** Undefined unless REACHABLE or STALE. */
  readonly mac?: number;
  readonly state: 'REACHABLE' | 'STALE' | 'FAILED' | 'INCOMPLETE';
}

/** The neighbour table of `info`'s host at `t`, in the order entries first appeared. */
export function neighbours(src: HostStateSource, info: HostInfo, t: number): Neighbour[] {
  const trace = src.trace;
  const since = lastCrash(trace, info.node, t);
  const entries = new Map<number, { mac?: number; state: Neighbour['state']; at: number }>();
  const myLinks = new Map<number, number>(); // link -> direction the host sends in
  for (const i of info.interfaces) if (i.link >= 0) myLinks.set(i.link, i.end);
  for (let r = 0; r < trace.length && trace.time[r] <= t; r++) {
    if (trace.time[r] < since) continue;
    const kind = trace.kind[r];
    if (kind === RecordKind.State && trace.place[r] === info.node && trace.dir[r] === 2) {
      const key = trace.string(trace.code[r]);
      if (!key.startsWith('arp ')) continue;
      const ip = parseIpv4(key.slice(4));
      if (ip === undefined) continue;
      const value = trace.string(trace.frame[r]);
      if (value === '') entries.delete(ip);
      else if (value === 'FAILED') entries.set(ip, { state: 'FAILED', at: trace.time[r] });
      else {
        const mac = parseMac(value);
        if (mac !== undefined) entries.set(ip, { mac, state: 'REACHABLE', at: trace.time[r] });
      }
    } else if (kind === RecordKind.FrameTx && myLinks.get(trace.place[r]) === trace.dir[r]) {
      // An ARP request the host sent: the target is INCOMPLETE until answered or given up.
      const bytes = trace.frameBytes(trace.frame[r]);
      if (bytes.length < 42 || readU16(bytes, 12) !== 0x0806 || readU16(bytes, 20) !== 1) continue;
      const target = readU32(bytes, 38);
      const e = entries.get(target);
      if (!e || e.state === 'FAILED' || t - e.at >= ARP_ENTRY_LIFETIME_NS) entries.set(target, { state: 'INCOMPLETE', at: trace.time[r] });
    }
  }
  const out: Neighbour[] = [];
  for (const [ip, e] of entries) {
    const dev = info.interfaces.find((i) => inSubnet(ip, i.cidr.network, i.cidr.prefix))?.name ?? info.interfaces[0]?.name ?? 'eth0';
    if (e.state === 'INCOMPLETE' && t - e.at >= ARP_ATTEMPTS * ARP_RETRY_NS) continue;
    const state = e.state === 'REACHABLE' && t - e.at >= ARP_ENTRY_LIFETIME_NS ? 'STALE' : e.state;
    out.push({ ip, dev, mac: e.mac, state });
  }
  return out;
}
