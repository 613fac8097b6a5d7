/**
 * The base of every simulated device: named, with interfaces, able to log program output and
 * publish state to the trace, and able to crash and restart (a fault).
 */
import type { SimContext } from './context';
import type { Frame } from './frame';
import type { LinkParams } from './link-params';
import { Nic } from './nic';

/**
 * A device that is itself a shared medium (a hub): a link to it plugs the station at the other end
 * into the medium instead of making a point-to-point link, and its ends take no interface.
 */
export interface SharedMedium {
  /**
   * Plugs `station` in as link `linkName` (trace link `linkId`); `upDir` is the direction (0: a to
   * b, 1: b to a) of frames from the station toward the medium. Returns the link's parameter setter.
   */
  attachStation(station: Nic, linkId: number, linkName: string, upDir: 0 | 1, params: LinkParams): (change: Partial<LinkParams>) => void;
}

export abstract class Device {
  readonly nics: Nic[] = [];
  private powered = true;

  constructor(
    readonly ctx: SimContext,
    /** The scene id, e.g. `h1`. */
    readonly name: string,
    /** The trace's node id. */
    readonly nodeId: number,
  ) {}

  /** Whether the device is running (a crashed device ignores frames and stops its programs). */
  get isUp(): boolean {
    return this.powered;
  }

  /** Adds an interface with the given name and MAC. */
  addNic(name: string, mac: number): Nic {
    const nic = new Nic(name, mac, this.nics.length, (n, f) => {
      if (this.powered) this.onFrame(n, f);
    });
    this.nics.push(nic);
    return nic;
  }

  /** The medium links to this device plug into, for a shared-medium device; none by default. */
  get sharedMedium(): SharedMedium | undefined {
    return undefined;
  }

  /** The interface called `name`, if any. */
  nic(name: string): Nic | undefined {
    return this.nics.find((n) => n.name === name);
  }

  /** Handles a frame that arrived on `nic`. */
  protected abstract onFrame(nic: Nic, frame: Frame): void;

  /** Crashes (false) or restarts (true) the device. Subclasses clear volatile state on restart. */
  setUp(up: boolean): void {
    if (up === this.powered) return;
    this.powered = up;
    this.state('power', up ? 'up' : 'down');
    if (up) this.onRestart();
    else this.onCrash();
  }

  protected onCrash(): void {}
  protected onRestart(): void {}

  /** Writes a line of program output to the trace. */
  log(text: string): void {
    this.ctx.trace.log(this.ctx.now, this.nodeId, text);
  }

  /** Publishes a piece of state (`""` when it goes away). */
  state(key: string, value: string): void {
    this.ctx.trace.state(this.ctx.now, this.nodeId, key, value);
  }
}
