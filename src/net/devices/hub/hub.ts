/** A hub (layer 1): every station plugged into it shares one medium and one collision domain. */
import type { SimContext } from '../../context';
import { Device, type SharedMedium } from '../../device';
import type { LinkParams } from '../../link-params';
import type { Nic } from '../../nic';
import { HubSegment } from './hub-segment';

export class Hub extends Device {
  private readonly segment: HubSegment;
  private readonly medium: SharedMedium;

  constructor(ctx: SimContext, name: string, nodeId: number) {
    super(ctx, name, nodeId);
    const segment = new HubSegment(ctx, name, nodeId);
    this.segment = segment;
    this.medium = {
      attachStation: (station: Nic, linkId: number, linkName: string, upDir: 0 | 1, params: LinkParams) => {
        segment.attach(station, linkId, linkName, upDir, params);
        return (change) => segment.setLink(linkId, change);
      },
    };
  }

  /** Links to a hub plug stations into its segment (instead of making point-to-point links). */
  override get sharedMedium(): SharedMedium {
    return this.medium;
  }

  protected onFrame(): void {
    // A hub has no interfaces of its own: its segment repeats signals.
  }
}
