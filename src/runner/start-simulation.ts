/**
 * Runs a scene in the simulation worker, or synchronously in the page where there is no worker
 * (Node, tests) or it cannot start. See `client.ts` for how runs, ids and cancelling work. The
 * stores start their runs here; the embed uses `client.ts` directly, to load the simulator lazily.
 */
import { startSimulationWith, type SilenceWatch, type SimulationHandlers, type SimulationRequest, type SimulationRun } from './client';
import { runSimRequest } from './run-request';
import { wallClockMs } from './wall-clock';

export { workersAvailable } from './client';
export type { SilenceWatch, SimulationHandlers, SimulationRequest, SimulationRun } from './client';

/**
 * Starts simulating `req`. In a worker when possible (and `inPage` is not set); otherwise
 * synchronously, in which case the handlers have been called before this returns.
 */
export function startSimulation(req: SimulationRequest, handlers: SimulationHandlers, options: { inPage?: boolean; watch?: SilenceWatch } = {}): SimulationRun {
  return startSimulationWith((request, post) => runSimRequest(request, (reply) => post(reply), wallClockMs), req, handlers, options);
}
