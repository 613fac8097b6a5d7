/**
 * Runs a scene in the simulation worker, or synchronously in the page where there is no worker
 * (Node, tests) or it cannot start. See `sim-client-core.ts` for how runs, ids and cancelling work.
 */
import { startSimulationWith, type SimulationHandlers, type SimulationRequest, type SimulationRun } from './sim-client-core';
import { runSimRequest } from './sim-worker-run';

export { workersAvailable } from './sim-client-core';
export type { SimulationHandlers, SimulationRequest, SimulationResult, SimulationRun } from './sim-client-core';

/**
 * Starts simulating `req`. In a worker when possible (and `inPage` is not set); otherwise
 * synchronously, in which case the handlers have been called before this returns.
 */
export function startSimulation(req: SimulationRequest, handlers: SimulationHandlers, options: { inPage?: boolean } = {}): SimulationRun {
  return startSimulationWith((request, post) => runSimRequest(request, (reply) => post(reply), () => performance.now()), req, handlers, options);
}
