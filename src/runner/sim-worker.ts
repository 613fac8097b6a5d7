/**
 * The simulation worker's entry (a module Worker, started by `client.ts`): runs scenes off the page's
 * main thread and streams their traces back in chunks (see `run-request.ts` and `protocol.ts`). One
 * request at a time; the page cancels a run by terminating the worker. The only file here that
 * touches the worker's global scope (`self`); it keeps this name so the bundle's worker is
 * `assets/sim-worker-*.js`.
 */
import type { SimReply, SimRequest } from './protocol';
import { runSimRequest } from './run-request';
import { wallClockMs } from './wall-clock';

interface WorkerScope {
  onmessage: ((e: MessageEvent<SimRequest>) => void) | null;
  postMessage(message: SimReply, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  if (e.data?.type !== 'run') return;
  runSimRequest(e.data, (reply, transfer) => scope.postMessage(reply, transfer), wallClockMs);
};
