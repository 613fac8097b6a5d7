/**
 * A run of a scene in slices of at most N events, so a caller can stop in between (to post what was
 * recorded so far, report progress, or give up). The events run in exactly the order `simulate`
 * runs them, so the trace is the same, however the run is sliced.
 */
import type { Trace } from '../sim/trace';
import { buildNetwork, type Network } from './build';
import type { Scene } from './scene';
import type { SimResult, SimulateOptions } from './simulate';

/** A scene being simulated a slice at a time. */
export class SlicedRun {
  readonly network: Network;
  /** Simulated time the run ends at, ns. */
  readonly endNs: number;
  private finished = false;

  constructor(scene: Scene, options: SimulateOptions = {}) {
    this.network = buildNetwork(scene, options.seed ?? scene.seed);
    this.endNs = Math.min(options.untilNs ?? scene.duration, scene.duration);
  }

  get trace(): Trace {
    return this.network.ctx.trace;
  }

  /** Events run so far. */
  get events(): number {
    return this.network.ctx.kernel.eventsExecuted;
  }

  /** Simulated time reached, ns. */
  get simTimeNs(): number {
    return this.network.ctx.kernel.now;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Runs at most `maxEvents` more events; returns true once the run has reached its end. */
  runSlice(maxEvents: number): boolean {
    if (this.finished) return true;
    const kernel = this.network.ctx.kernel;
    for (let i = 0; i < maxEvents; i++) {
      const next = kernel.peek();
      if (next === undefined || next > this.endNs) {
        // Nothing left before the end: move the clock there, as `simulate` does.
        kernel.runUntil(this.endNs);
        this.finished = true;
        return true;
      }
      kernel.step();
    }
    return false;
  }

  /** The outcome, as `simulate` returns it (call once `done`). */
  result(): SimResult {
    return { trace: this.trace, network: this.network, events: this.events, simTimeNs: this.simTimeNs };
  }
}
