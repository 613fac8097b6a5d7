/**
 * A learning switch (layer 2, IEEE 802.1D transparent bridging without spanning tree). It learns
 * source MAC -> port from every frame, forwards to the learned port, floods broadcasts and unknown
 * destinations to every other port, filters frames whose destination sits on the port they came
 * from, and ages entries out after `ageing` without traffic. Every learn, move and age-out is
 * published to the trace as `mac <address>` = `<port>`.
 *
 * Simplifications, stated: store-and-forward with no internal switching delay; no spanning tree, so
 * a loop in the topology loops forever; the table has no size limit.
 */
import { formatMac, isMulticastMac, readMac } from '../../../protocols/addr';
import type { SimContext } from '../../context';
import { Device } from '../../device';
import type { Frame } from '../../frame';
import { Place } from '../../../sim/trace';
import type { Nic } from '../../nic';

interface Entry {
  port: Nic;
  lastSeen: number;
}

export class Switch extends Device {
  private readonly table = new Map<number, Entry>();
  private sweepTimer = 0;
  private sweepAt = Infinity;

  constructor(
    ctx: SimContext,
    name: string,
    nodeId: number,
    /** Ageing time in ns (IEEE default 300 s). */
    readonly ageing: number,
  ) {
    super(ctx, name, nodeId);
  }

  /** The current MAC table as (address, port name) pairs, for tests and tools. */
  macTable(): [string, string][] {
    return [...this.table].map(([mac, e]) => [formatMac(mac), e.port.name]);
  }

  protected onFrame(ingress: Nic, frame: Frame): void {
    const head = frame.head;
    const dst = readMac(head, 0);
    const src = readMac(head, 6);
    this.learn(src, ingress);
    if (!isMulticastMac(dst)) {
      const entry = this.table.get(dst);
      if (entry && this.ctx.now - entry.lastSeen < this.ageing) {
        if (entry.port === ingress) {
          const t = this.ctx.now;
          this.ctx.trace.drop({
            time: t,
            place: this.nodeId,
            dir: Place.Node,
            reason: `filtered: ${formatMac(dst)} is on the port it came from`,
            head,
            body: frame.body,
            packetId: frame.packetId,
          });
          return;
        }
        entry.port.send(frame);
        return;
      }
    }
    for (const port of this.nics) if (port !== ingress) port.send(frame);
  }

  private learn(src: number, port: Nic): void {
    if (isMulticastMac(src)) return;
    const now = this.ctx.now;
    const entry = this.table.get(src);
    if (entry) {
      entry.lastSeen = now;
      if (entry.port === port) return;
      entry.port = port;
    } else {
      this.table.set(src, { port, lastSeen: now });
      this.scheduleSweep(now + this.ageing);
    }
    this.state(`mac ${formatMac(src)}`, port.name);
  }

  private scheduleSweep(at: number): void {
    if (at >= this.sweepAt) return;
    if (this.sweepTimer) this.ctx.kernel.cancel(this.sweepTimer);
    this.sweepAt = at;
    this.sweepTimer = this.ctx.kernel.at(at, this.sweep);
  }

  private readonly sweep = (): void => {
    this.sweepTimer = 0;
    this.sweepAt = Infinity;
    const now = this.ctx.now;
    let next = Infinity;
    for (const [mac, e] of this.table) {
      const expires = e.lastSeen + this.ageing;
      if (expires <= now) {
        this.table.delete(mac);
        this.state(`mac ${formatMac(mac)}`, '');
      } else if (expires < next) next = expires;
    }
    if (next < Infinity) this.scheduleSweep(next);
  };

  protected override onCrash(): void {
    for (const mac of this.table.keys()) this.state(`mac ${formatMac(mac)}`, '');
    this.table.clear();
  }
}
