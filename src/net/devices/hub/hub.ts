/** A hub (layer 1): every station plugged into it shares one medium and one collision domain. */
import type { SimContext } from '../../context';
import { Device } from '../../device';
import type { LinkParams } from '../../link-params';
import type { Nic } from '../../nic';
import { HubSegment } from './hub-segment';

export class Hub extends Device {
  readonly segment: HubSegment;

  constructor(ctx: SimContext, name: string, nodeId: number) {
    super(ctx, name, nodeId);
    this.segment = new HubSegment(ctx, name, nodeId);
  }

  /** Plugs a station's interface into the hub (instead of a point-to-point link). */
  attachStation(station: Nic, linkId: number, linkName: string, upDir: 0 | 1, params: LinkParams): void {
    this.segment.attach(station, linkId, linkName, upDir, params);
  }

  protected onFrame(): void {
    // A hub has no interfaces of its own: its segment repeats signals.
  }
}
