/**
 * A host's path-MTU cache (RFC 1191 §6.3; Linux keeps the same thing as route exceptions, shown by
 * `ip route get` as `cache expires 598sec mtu 1400`). An ICMP "fragmentation needed" lowers the
 * estimate for one destination; the estimate ages out after {@link PMTU_EXPIRES_NS} and the path
 * MTU goes back to the outgoing interface's, so a path that grew is found again (RFC 1191 §6.3).
 */
import type { Kernel, TimerId } from '../../sim/kernel';

/** How long a lowered estimate lasts: RFC 1191 §6.3 suggests 10 minutes, Linux `route/mtu_expires` is 600 s. */
const PMTU_EXPIRES_NS = 600e9;
/** The smallest path MTU accepted from an ICMP message (Linux `route/min_pmtu`: 552). */
const MIN_PMTU = 552;

/** The trace state key of a host's path MTU to `dst` (dotted quad); its value is the MTU, '' once expired. */
export function pathMtuStateKey(dst: string): string {
  return `pmtu ${dst}`;
}

interface Entry {
  mtu: number;
  timer: TimerId;
}

export class PathMtuCache {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly kernel: Kernel,
    /** Called with the new value, or '' when an entry expires (a trace state row). */
    private readonly publish: (dst: number, value: string) => void,
  ) {}

  /** The cached path MTU to `dst`, or undefined when none is known. */
  get(dst: number): number | undefined {
    return this.entries.size === 0 ? undefined : this.entries.get(dst)?.mtu;
  }

  /**
   * An ICMP "fragmentation needed" reported `mtu` for `dst`. Values below {@link MIN_PMTU} (0 from a
   * pre-RFC 1191 router among them) become MIN_PMTU; an estimate never grows this way. Returns true
   * when the estimate dropped below `current`.
   */
  lower(dst: number, mtu: number, current: number): boolean {
    const m = Math.max(mtu, MIN_PMTU);
    if (m >= current) return false;
    const old = this.entries.get(dst);
    if (old) this.kernel.cancel(old.timer);
    const timer = this.kernel.after(PMTU_EXPIRES_NS, () => {
      this.entries.delete(dst);
      this.publish(dst, '');
    });
    this.entries.set(dst, { mtu: m, timer });
    this.publish(dst, String(m));
    return true;
  }

  /** Forgets every estimate (the host crashed). */
  clear(): void {
    for (const [dst, e] of this.entries) {
      this.kernel.cancel(e.timer);
      this.publish(dst, '');
    }
    this.entries.clear();
  }
}
