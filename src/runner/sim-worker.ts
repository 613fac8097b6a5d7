/**
 * The simulation worker's entry (a module Worker, started by `client.ts`): runs scenes off the page's
 * main thread and streams their traces back in chunks (see `run-request.ts` and `protocol.ts`). One
 * request at a time; the page cancels a run by terminating the worker. The only file here that
 * touches the worker's global scope (`self`); it keeps this name so the bundle's worker is
 * `assets/sim-worker-*.js`.
 */
import { loadOnDemand } from './on-demand';
import type { SimReply, SimRequest } from './protocol';
import { runSimRequest, type PostReply } from './run-request';
import { wallClockMs } from './wall-clock';

interface WorkerScope {
  onmessage: ((e: MessageEvent<SimRequest>) => void) | null;
  postMessage(message: SimReply, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

const post: PostReply = (reply, transfer) => scope.postMessage(reply, transfer);

/**
 * Loads what the scene needs beyond this file (`on-demand.ts`), then runs it. A scene refused as
 * invalid is checked again with everything loaded, so its errors are the ones Node would give.
 */
async function run(req: SimRequest): Promise<void> {
  try {
    await loadOnDemand(req.text);
  } catch (e) {
    post(
      { type: 'failed', runId: req.runId, error: `${req.fileName}: could not load the simulator's parts: ${e instanceof Error ? e.message : String(e)}` },
      [],
    );
    return;
  }
  let refused = false;
  runSimRequest(req, (reply, transfer) => (reply.type === 'invalid' ? (refused = true) : post(reply, transfer)), wallClockMs);
  if (!refused) return;
  await loadOnDemand(req.text, true);
  runSimRequest(req, post, wallClockMs);
}

scope.onmessage = (e) => {
  if (e.data?.type !== 'run') return;
  void run(e.data);
};
