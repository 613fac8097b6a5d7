/**
 * The simulation worker (a module Worker): runs scenes off the page's main thread and streams their
 * traces back in chunks (see `sim-worker-run.ts` and `sim-worker-protocol.ts`). One request at a
 * time; the page cancels a run by terminating the worker.
 */
import type { SimReply, SimRequest } from './sim-worker-protocol';
import { runSimRequest } from './sim-worker-run';

interface WorkerScope {
  onmessage: ((e: MessageEvent<SimRequest>) => void) | null;
  postMessage(message: SimReply, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  if (e.data?.type !== 'run') return;
  runSimRequest(e.data, (reply, transfer) => scope.postMessage(reply, transfer), () => performance.now());
};
