/** The run-wide services every model uses: the clock and event queue, random streams, the trace. */
import type { Kernel } from '../sim/kernel';
import type { RngRegistry } from '../sim/rng';
import type { Trace } from '../sim/trace';

export class SimContext {
  private packetCounter = 0;

  constructor(
    readonly kernel: Kernel,
    readonly rng: RngRegistry,
    readonly trace: Trace,
  ) {}

  /** Current simulated time in nanoseconds. */
  get now(): number {
    return this.kernel.now;
  }

  /** A fresh packet identity, kept by every hop that forwards the packet. */
  newPacketId(): number {
    return this.packetCounter++;
  }
}
