/** Runs a scene to the end (or to `untilNs`) and returns its trace: the one entry point every reader uses. */
import type { Trace } from '../sim/trace';
import { buildNetwork, type Network } from './build';
import type { Scene } from './scene';

/** Options of a run. */
export interface SimulateOptions {
  /** Overrides the scene's seed. */
  seed?: number;
  /** Stops early, at this simulated time (ns). */
  untilNs?: number;
}

/** The outcome of a run. */
export interface SimResult {
  readonly trace: Trace;
  readonly network: Network;
  /** Events the kernel ran. */
  readonly events: number;
  /** Simulated time reached, ns. */
  readonly simTimeNs: number;
}

/** Builds and runs `scene`. Same scene and seed, same trace. */
export function simulate(scene: Scene, options: SimulateOptions = {}): SimResult {
  const network = buildNetwork(scene, options.seed ?? scene.seed);
  const end = Math.min(options.untilNs ?? scene.duration, scene.duration);
  const kernel = network.ctx.kernel;
  kernel.runUntil(end);
  return { trace: network.ctx.trace, network, events: kernel.eventsExecuted, simTimeNs: kernel.now };
}
