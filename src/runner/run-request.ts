/**
 * What the simulation worker does with one request, written without the worker globals so Node tests
 * can drive it: validate the scene text, run it in event slices, and after every `chunkMs` of wall
 * time post a trace chunk with the progress; at the end post the last chunk with the timeline index.
 */
import { deviceShape } from '../net/device-shapes';
import { loadScene } from '../scenario/load';
import type { Scene } from '../scenario/scene';
import { SlicedRun } from '../scenario/sliced-run';
import { formatSceneError } from '../scenario/validate';
import { chunkTransferList, TraceChunker } from './trace-chunk';
import { buildTimeline, fillFrameProtocols } from '../timeline';
import { readRrEvents, rrEventsTransferList } from '../timeline/metrics/rr-events';
import { readStateKeyCodes } from '../timeline/state-keys';
import { timelineIndexParts, timelineIndexTransferList } from '../timeline/index-transfer';
import type { SimLimits, SimProgress, SimReply, SimRequest } from './protocol';

/** Posts a reply, giving away the listed buffers. */
export type PostReply = (reply: SimReply, transfer: ArrayBuffer[]) => void;

/** Events between two looks at the clock. */
const EVENTS_PER_CHECK = 256;
const DEFAULT_CHUNK_MS = 40;

/** Runs `req` to its end (or its limits), posting chunks as it goes. Never throws. */
export function runSimRequest(req: SimRequest, post: PostReply, now: () => number): void {
  const { runId, fileName } = req;
  try {
    const loaded = loadScene(req.text, fileName);
    if (!loaded.ok) {
      post({ type: 'invalid', runId, errors: loaded.errors.map((e) => formatSceneError(e, fileName)) }, []);
      return;
    }
    const tooBig = sizeLimitErrors(loaded.scene, req.limits, fileName);
    if (tooBig.length) {
      post({ type: 'invalid', runId, errors: tooBig }, []);
      return;
    }
    const run = new SlicedRun(loaded.scene, { seed: req.seed, untilNs: req.untilNs });
    const chunker = new TraceChunker(run.trace);
    const progress = (): SimProgress => ({ simNs: run.simTimeNs, durationNs: run.endNs, events: run.events });
    const chunkMs = req.chunkMs ?? DEFAULT_CHUNK_MS;
    const started = now();
    let lastPost = started;
    while (!run.runSlice(EVENTS_PER_CHECK)) {
      const t = now();
      const limits = req.limits;
      if (limits && (run.events > limits.events || t - started > limits.wallMs)) {
        const error = `${fileName}: too much happens in this scene for an embed (stopped after ${run.events} events at ${(run.simTimeNs / 1e6).toFixed(3)} ms)`;
        post({ type: 'failed', runId, error }, []);
        return;
      }
      if (t - lastPost >= chunkMs) {
        lastPost = t;
        const chunk = chunker.next();
        post({ type: 'chunk', runId, chunk, progress: progress() }, chunkTransferList(chunk));
      }
    }
    // Everything is simulated: say so before indexing, which takes a while on big traces.
    const rest = chunker.next();
    post({ type: 'chunk', runId, chunk: rest, progress: progress() }, chunkTransferList(rest));
    // Whole-trace work is done here, where the trace is: the page gets the results.
    const full = buildTimeline(run.trace);
    fillFrameProtocols(full);
    const index = timelineIndexParts(full);
    const rr = readRrEvents(run.trace);
    const stateKeys = readStateKeyCodes(run.trace);
    const chunk = chunker.next();
    post(
      {
        type: 'done',
        runId,
        chunk,
        progress: progress(),
        index,
        rr,
        stateKeys,
        ...(req.returnScene ? { scene: loaded.scene, shapes: shapesOf(loaded.scene) } : {}),
      },
      [...chunkTransferList(chunk), ...timelineIndexTransferList(index), ...rrEventsTransferList(rr), stateKeys.buffer as ArrayBuffer],
    );
  } catch (e) {
    post({ type: 'failed', runId, error: `${fileName}: simulation failed: ${e instanceof Error ? e.message : String(e)}` }, []);
  }
}

/** Path-named errors for a scene over the device, link or command limits (none without limits). */
function sizeLimitErrors(scene: Scene, limits: SimLimits | undefined, fileName: string): string[] {
  if (!limits) return [];
  const errors: string[] = [];
  if (limits.nodes !== undefined && scene.nodes.length > limits.nodes) {
    errors.push(`nodes: ${scene.nodes.length} devices (an embedded scene may have at most ${limits.nodes})`);
  }
  if (limits.links !== undefined && scene.links.length > limits.links) errors.push(`links: ${scene.links.length} links (at most ${limits.links})`);
  if (limits.runs !== undefined && scene.run.length > limits.runs) errors.push(`run: ${scene.run.length} commands (at most ${limits.runs})`);
  return errors.map((e) => `${fileName}: ${e}`);
}

/** The 3D shape of each device kind the scene uses. */
function shapesOf(scene: Scene): Record<string, string> {
  const shapes: Record<string, string> = {};
  for (const node of scene.nodes) shapes[node.kind] = deviceShape(node.kind) ?? node.kind;
  return shapes;
}
