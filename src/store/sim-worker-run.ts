/**
 * What the simulation worker does with one request, written without the worker globals so Node tests
 * can drive it: validate the scene text, run it in event slices, and after every `chunkMs` of wall
 * time post a trace chunk with the progress; at the end post the last chunk with the timeline index.
 */
import { loadScene } from '../scenario/load';
import { SlicedRun } from '../scenario/sliced-run';
import { formatSceneError } from '../scenario/validate';
import { chunkTransferList, TraceChunker } from '../sim/trace-chunk';
import { buildTimeline } from '../timeline';
import { timelineIndexParts, timelineIndexTransferList } from '../timeline/index-transfer';
import type { SimProgress, SimReply, SimRequest } from './sim-worker-protocol';

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
    const index = timelineIndexParts(buildTimeline(run.trace));
    const chunk = chunker.next();
    post(
      { type: 'done', runId, chunk, progress: progress(), index },
      [...chunkTransferList(chunk), ...timelineIndexTransferList(index)],
    );
  } catch (e) {
    post({ type: 'failed', runId, error: `${fileName}: simulation failed: ${e instanceof Error ? e.message : String(e)}` }, []);
  }
}
