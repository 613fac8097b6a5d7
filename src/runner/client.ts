/**
 * Runs a scene in the simulation worker and rebuilds its trace on the page, chunk by chunk. Every
 * run has its own id and its own worker (an idle one is reused); cancelling terminates the worker,
 * and nothing from a cancelled or replaced run reaches its handlers. Where `Worker` does not exist
 * (Node, tests) or the worker script cannot start, the run happens in the page with the caller's
 * `InPageRunner`. This file does not import the simulator itself, so a page that only shows traces
 * (the embed) loads the simulator only when it has to run one in the page.
 */
import { appendTraceChunk } from './trace-chunk';
import { Trace } from '../sim/trace';
import type { Scene } from '../scenario/scene';
import type { TimelineIndex } from '../timeline';
import { timelineIndexFromParts } from '../timeline/index-transfer';
import { knowRrEvents } from '../timeline/metrics/rr-events';
import { knowStateKeyCodes } from '../timeline/state-keys';
import type { SimProgress, SimReply, SimRequest } from './protocol';

/**
 * Runs a request in the page and passes its replies on: synchronously (`runSimRequest`), or after
 * loading the simulator (the returned promise rejects when it cannot be loaded).
 */
export type InPageRunner = (request: SimRequest, post: (reply: SimReply) => void) => void | Promise<void>;

/** A finished run: the page's copy of the trace and its timeline index. */
interface SimulationResult {
  readonly trace: Trace;
  readonly index: TimelineIndex;
  readonly events: number;
  readonly simTimeNs: number;
  /** The validated scene, when the request asked for it (`returnScene`). */
  readonly scene?: Scene;
  /** With the scene: the 3D shape of each device kind in it. */
  readonly shapes?: Readonly<Record<string, string>>;
}

/** Called as a run goes; exactly one of `onDone`, `onInvalid`, `onFailed` ends it (none after `cancel`). */
export interface SimulationHandlers {
  onProgress?(progress: SimProgress, trace: Trace): void;
  onDone(result: SimulationResult): void;
  onInvalid(errors: string[]): void;
  onFailed(error: string): void;
}

/** A run in progress. */
export interface SimulationRun {
  readonly runId: number;
  /** True when the run happens in a worker (false: it happens, or already happened, in the page). */
  readonly inWorker: boolean;
  /** Stops the run; its handlers are not called again. */
  cancel(): void;
}

/** What to simulate: a `SimRequest` without its type and id. */
export type SimulationRequest = Omit<SimRequest, 'type' | 'runId'>;

/**
 * Tells a run that its worker has been silent too long (the browser ended it, out of memory most
 * often, without telling the page): `poke` on every reply, `stop` when the run ends. Given by the
 * caller, since timers belong above the line (`store/silence-watch.ts`).
 */
export type SilenceWatch = (onSilent: () => void) => { poke(): void; stop(): void };

let nextRunId = 1;
let idleWorker: Worker | null = null;
/** Set when a worker could not start: later runs go straight to the synchronous path. */
let workersBroken = false;

/** Whether runs go to a worker here. */
export function workersAvailable(): boolean {
  return typeof Worker !== 'undefined' && !workersBroken;
}

function newWorker(): Worker {
  return new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module', name: 'packetarium-sim' });
}

/** One run's bookkeeping, shared by its in-page and worker paths. */
interface RunState {
  readonly runId: number;
  readonly req: SimulationRequest;
  readonly handlers: SimulationHandlers;
  /** The page's copy of the run's trace, rebuilt chunk by chunk. */
  readonly trace: Trace;
  /** Set once a handler ended the run, or it was cancelled: nothing more reaches the handlers. */
  finished: boolean;
  /** Replies received (none means a failing worker never ran). */
  replies: number;
}

/**
 * Starts simulating `req`. In a worker when possible (and `inPage` is not set); otherwise with
 * `runInPage` (when that runs synchronously, the handlers have been called before this returns).
 */
export function startSimulationWith(
  runInPage: InPageRunner,
  req: SimulationRequest,
  handlers: SimulationHandlers,
  options: { inPage?: boolean; watch?: SilenceWatch } = {},
): SimulationRun {
  const run: RunState = { runId: nextRunId++, req, handlers, trace: new Trace(), finished: false, replies: 0 };
  if (options.inPage || !workersAvailable()) return runHere(runInPage, run);
  return runInWorker(runInPage, run, options.watch);
}

/** Handles one reply of `run`; returns true when the run is over. */
function receive(run: RunState, reply: SimReply): boolean {
  const { trace, handlers } = run;
  if (run.finished || reply.runId !== run.runId) return run.finished;
  run.replies++;
  try {
    switch (reply.type) {
      case 'chunk':
        appendTraceChunk(trace, reply.chunk);
        handlers.onProgress?.(reply.progress, trace);
        return false;
      case 'done': {
        appendTraceChunk(trace, reply.chunk);
        run.finished = true;
        const index = timelineIndexFromParts(reply.index, trace);
        knowRrEvents(trace, reply.rr);
        knowStateKeyCodes(trace, reply.stateKeys);
        handlers.onDone({ trace, index, events: reply.progress.events, simTimeNs: reply.progress.simNs, scene: reply.scene, shapes: reply.shapes });
        return true;
      }
      case 'invalid':
        run.finished = true;
        handlers.onInvalid(reply.errors);
        return true;
      case 'failed':
        run.finished = true;
        handlers.onFailed(reply.error);
        return true;
    }
  } catch (e) {
    run.finished = true;
    handlers.onFailed(`${run.req.fileName}: the simulation's trace could not be rebuilt: ${e instanceof Error ? e.message : String(e)}`);
    return true;
  }
}

/** Runs `run` in the page with `runInPage`. */
function runHere(runInPage: InPageRunner, run: RunState): SimulationRun {
  // One chunk at the end: nothing is waiting for progress while the page is busy anyway.
  const ran = runInPage({ ...run.req, type: 'run', runId: run.runId, chunkMs: Infinity }, (reply) => void receive(run, reply));
  ran?.catch((e: unknown) => {
    if (run.finished) return;
    run.finished = true;
    run.handlers.onFailed(`${run.req.fileName}: the simulator could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  });
  return { runId: run.runId, inWorker: false, cancel: () => void (run.finished = true) };
}

/** How V8 and Chromium word running out of memory. */
const OUT_OF_MEMORY = /out of memory|allocation failed|heap limit/i;

/** What the page says when the worker failed with `message` (an uncaught exception or running out of memory). */
function workerError(message: string): string {
  if (OUT_OF_MEMORY.test(message)) return `the simulation ran out of memory in its worker (${message})`;
  return `the simulation worker stopped: ${message || 'unknown error'}`;
}

/** Runs `run` in a worker (the idle one, or a new one); falls back to the page if the worker never starts. */
function runInWorker(runInPage: InPageRunner, run: RunState, watch?: SilenceWatch): SimulationRun {
  let worker: Worker | null = idleWorker ?? newWorker();
  idleWorker = null;
  const release = (reuse: boolean) => {
    silence?.stop();
    const w = worker;
    worker = null;
    if (!w) return;
    w.onmessage = null;
    w.onerror = null;
    if (reuse && idleWorker === null) idleWorker = w;
    else w.terminate();
  };
  const stopped = (why: string) => {
    release(false);
    if (run.finished) return;
    run.finished = true;
    run.handlers.onFailed(`${run.req.fileName}: ${why}`);
  };
  const silence = watch?.(() => stopped('the simulation worker stopped answering (it may have run out of memory)'));
  worker.onmessage = (e: MessageEvent<SimReply>) => {
    if (receive(run, e.data)) release(e.data.type !== 'failed');
    else silence?.poke();
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    if (run.finished) return release(false);
    if (run.replies === 0 && !OUT_OF_MEMORY.test(e.message ?? '')) {
      // The worker script never ran (blocked, or not served): run here instead. Not after running
      // out of memory: the page would only do the same.
      release(false);
      workersBroken = true;
      runHere(runInPage, run);
    } else stopped(workerError(e.message));
  };
  const request: SimRequest = { ...run.req, type: 'run', runId: run.runId };
  worker.postMessage(request);
  return {
    runId: run.runId,
    inWorker: true,
    cancel: () => {
      run.finished = true;
      release(false);
    },
  };
}
