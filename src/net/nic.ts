/**
 * A network interface: a MAC address on a device, attached to at most one medium (a full-duplex
 * link or a hub segment). The device sends through it; the medium delivers to it.
 */
import type { Frame } from './frame';

/** What a NIC is plugged into: the medium end that carries its frames. */
export interface Attachment {
  /** Queues or starts transmitting `frame` from this end. */
  transmit(frame: Frame): void;
  /** Whether the medium currently carries frames. */
  readonly up: boolean;
  /** Largest IP packet (bytes) this medium carries. */
  readonly mtu: number;
  /** Trace link id, for captures and state records. */
  readonly linkId: number;
}

/** Receives frames delivered to a NIC. */
export type FrameHandler = (nic: Nic, frame: Frame) => void;

export class Nic {
  attachment: Attachment | null = null;
  framesIn = 0;
  framesOut = 0;

  constructor(
    /** Interface name on its device, e.g. `eth0` or `port2`. */
    readonly name: string,
    /** 48-bit MAC address. */
    readonly mac: number,
    /** Position among its device's interfaces. */
    readonly index: number,
    private readonly onFrame: FrameHandler,
  ) {}

  /** Sends a frame out of this interface; false if nothing is attached. */
  send(frame: Frame): boolean {
    if (!this.attachment) return false;
    this.framesOut++;
    this.attachment.transmit(frame);
    return true;
  }

  /** Called by the medium when a frame has fully arrived. */
  deliver(frame: Frame): void {
    this.framesIn++;
    this.onFrame(this, frame);
  }
}
