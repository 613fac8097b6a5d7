/**
 * The neighbour table of one IP stack: IPv4 -> MAC per interface, with packets waiting for an answer.
 * A request is retried every second up to three times (Linux's ucast/mcast probes), then the waiting
 * packets are dropped and their senders told "host unreachable". Entries live 60 s.
 *
 * Simplification, stated: no NUD states (STALE/DELAY/PROBE) as in Linux; an entry is valid until
 * it expires, then resolved afresh.
 */
import { formatIpv4, formatMac } from '../../protocols/addr';
import { IdCache } from '../../sim/id-cache';

export const ARP_RETRY_NS = 1_000_000_000;
export const ARP_ATTEMPTS = 3;
export const ARP_ENTRY_LIFETIME_NS = 60_000_000_000;
/** Packets that may wait for one neighbour's answer (Linux unres_qlen is per-bytes; this is simpler). */
export const ARP_PENDING_LIMIT = 64;

/** A packet waiting for its next hop's MAC. */
interface PendingPacket {
  /** Ethernet space, then the IP header at byte 14. */
  readonly head: Uint8Array;
  readonly body: import('../../sim/trace').SharedBytes;
  readonly packetId: number;
}

/**
 * The entries of one interface: IPv4 -> slot in a typed-array hash table, and each slot's MAC and
 * expiry side by side in one Float64Array. A server talking to thousands of clients looks one up
 * per packet; a Map to objects per entry (with their 48-bit numbers boxed) costs several cache
 * misses per lookup.
 */
class Neighbours {
  private readonly slotOf = new IdCache(4);
  /** Address of each slot, in the order they were first learned. */
  readonly ips: number[] = [];
  /** [mac, expires] of slot i at 2i and 2i + 1. */
  private data = new Float64Array(32);

  /** The slot of `ip`, or -1. */
  slot(ip: number): number {
    return this.slotOf.get(ip);
  }
  mac(slot: number): number {
    return this.data[2 * slot];
  }
  expires(slot: number): number {
    return this.data[2 * slot + 1];
  }

  set(ip: number, mac: number, expires: number): void {
    let slot = this.slotOf.get(ip);
    if (slot < 0) {
      slot = this.ips.length;
      if (2 * slot + 2 > this.data.length) {
        const bigger = new Float64Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
      this.ips.push(ip);
      this.slotOf.set(ip, slot);
    }
    this.data[2 * slot] = mac;
    this.data[2 * slot + 1] = expires;
  }
}

export interface Resolution {
  iface: number;
  ip: number;
  attempts: number;
  timer: number;
  queue: PendingPacket[];
}

export class ArpTable {
  /** Per interface. */
  private readonly entries: Neighbours[] = [];
  readonly pending = new Map<string, Resolution>();

  private static key(iface: number, ip: number): string {
    return `${iface}/${ip}`;
  }

  private table(iface: number): Neighbours {
    let t = this.entries[iface];
    if (!t) {
      t = new Neighbours();
      this.entries[iface] = t;
    }
    return t;
  }

  /** The MAC for `ip` on interface `iface`, if known and fresh. */
  lookup(iface: number, ip: number, now: number): number | undefined {
    const t = this.entries[iface];
    const slot = t ? t.slot(ip) : -1;
    return slot >= 0 && t.expires(slot) > now ? t.mac(slot) : undefined;
  }

  /** Stores a mapping; returns true when it is new or changed (worth publishing). */
  learn(iface: number, ip: number, mac: number, now: number): boolean {
    const t = this.table(iface);
    const slot = t.slot(ip);
    const changed = slot < 0 || t.mac(slot) !== mac || t.expires(slot) <= now;
    t.set(ip, mac, now + ARP_ENTRY_LIFETIME_NS);
    return changed;
  }

  /** Whether we already hold an entry (fresh or not) for `ip`: RFC 826 updates only known senders. */
  has(iface: number, ip: number): boolean {
    return this.table(iface).slot(ip) >= 0;
  }

  /** The in-progress resolution of `ip`, if any. */
  resolution(iface: number, ip: number): Resolution | undefined {
    return this.pending.get(ArpTable.key(iface, ip));
  }

  /** Starts resolving `ip`. */
  begin(iface: number, ip: number): Resolution {
    const r: Resolution = { iface, ip, attempts: 0, timer: 0, queue: [] };
    this.pending.set(ArpTable.key(iface, ip), r);
    return r;
  }

  /** Ends a resolution (answered or given up). */
  end(r: Resolution): void {
    this.pending.delete(ArpTable.key(r.iface, r.ip));
  }

  /** Forgets everything (a crash). */
  clear(): void {
    this.entries.length = 0;
    this.pending.clear();
  }

  /** `ip neigh`-style lines. */
  describe(ifaceName: (i: number) => string, now: number): string[] {
    const out: string[] = [];
    this.entries.forEach((t, iface) => {
      for (let slot = 0; slot < t.ips.length; slot++) {
        const ip = t.ips[slot];
        out.push(`${formatIpv4(ip)} dev ${ifaceName(iface)} lladdr ${formatMac(t.mac(slot))} ${t.expires(slot) > now ? 'REACHABLE' : 'STALE'}`);
      }
    });
    return out;
  }
}
