/**
 * Messages between the page and the simulation worker (`sim-worker.ts`, running `run-request.ts`). Every reply carries the
 * run id of its request, so the page can drop anything from a run it has since replaced or cancelled.
 */
import type { Scene } from '../scenario/scene';
import type { TraceChunk } from './trace-chunk';
import type { TimelineIndexParts } from '../timeline/index-transfer';
import type { RrNodeEvents } from '../timeline/metrics/rr-events';

/** Limits a run stops at, with a message (the embed's budget for scenes carried in a URL). */
export interface SimLimits {
  /** Most kernel events. */
  readonly events: number;
  /** Most wall-clock milliseconds of simulation. */
  readonly wallMs: number;
  /** Most devices, links and `run` commands: a larger scene is refused as invalid before it runs. */
  readonly nodes?: number;
  readonly links?: number;
  readonly runs?: number;
}

/** How far a run has got. */
export interface SimProgress {
  /** Simulated time reached, ns. */
  readonly simNs: number;
  /** Simulated time the run ends at, ns. */
  readonly durationNs: number;
  /** Kernel events run so far. */
  readonly events: number;
}

/** Page to worker: simulate this scene text. */
export interface SimRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly text: string;
  /** Names the scene in error messages. */
  readonly fileName: string;
  readonly seed?: number;
  readonly untilNs?: number;
  readonly limits?: SimLimits;
  /** Wall-clock milliseconds between chunks (default 40). */
  readonly chunkMs?: number;
  /** Send the validated scene back with `done` (for pages that do not validate it themselves). */
  readonly returnScene?: boolean;
}

/** Worker to page. */
export type SimReply =
  /** The scene text is not a valid scene: path-named errors, formatted with the file name. */
  | { readonly type: 'invalid'; readonly runId: number; readonly errors: string[] }
  /** What the trace recorded since the last chunk, and how far the run has got. */
  | { readonly type: 'chunk'; readonly runId: number; readonly chunk: TraceChunk; readonly progress: SimProgress }
  /** The last chunk, and the timeline index of the whole trace. */
  | {
      readonly type: 'done';
      readonly runId: number;
      readonly chunk: TraceChunk;
      readonly progress: SimProgress;
      readonly index: TimelineIndexParts;
      /** The trace's RR events by node (`readRrEvents`), read here so the page never scans the trace for them. */
      readonly rr: Map<string, RrNodeEvents>;
      /** The distinct keys (string codes) of the trace's node state rows (`readStateKeyCodes`). */
      readonly stateKeys: Int32Array;
      /** The validated scene, when the request asked for it (`returnScene`). */
      readonly scene?: Scene;
      /** With the scene: the 3D shape of each device kind in it (see `net/device-shapes.ts`). */
      readonly shapes?: Readonly<Record<string, string>>;
    }
  /** The run stopped: the simulation threw, or a limit was reached. */
  | { readonly type: 'failed'; readonly runId: number; readonly error: string };
