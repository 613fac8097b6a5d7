/**
 * A timeline index without its trace: plain numbers and typed arrays that can be transferred between
 * threads. A simulation worker builds the index next to its trace; the page attaches the parts to its
 * own copy of that trace (same rows, same ids), so the page never pays for `buildTimeline`.
 */
import type { Trace } from '../sim/trace';
import type { TimelineIndex } from './index';

/**
 * Everything of a `TimelineIndex` except the trace and the per-packet cache; the frame colour
 * classes travel filled (`fillFrameProtocols`), so the receiving page never classifies frames.
 */
export type TimelineIndexParts = Omit<TimelineIndex, 'trace' | 'packetRows'>;

/** The transferable parts of `index` (the arrays are shared, not copied). */
export function timelineIndexParts(index: TimelineIndex): TimelineIndexParts {
  const { trace: _trace, packetRows: _packetRows, ...parts } = index;
  return parts;
}

/** The buffers of `parts`, for `postMessage(parts, transfer)` (each once). */
export function timelineIndexTransferList(parts: TimelineIndexParts): ArrayBuffer[] {
  const views: ArrayBufferView[] = [
    parts.order,
    parts.orderTime,
    parts.motion,
    parts.motionStart,
    parts.motionStop,
    parts.eventTimes,
    parts.logs,
    parts.logTime,
    parts.linkProp,
    parts.frameProto,
    ...parts.nodeStates,
    ...parts.linkStates,
  ];
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}

/** The index of `trace` from parts built over an identical trace (e.g. in a worker). */
export function timelineIndexFromParts(parts: TimelineIndexParts, trace: Trace): TimelineIndex {
  if (parts.order.length !== trace.length) {
    throw new Error(`timeline index of ${parts.order.length} rows does not fit a trace of ${trace.length}`);
  }
  const frameProto = parts.frameProto.length === trace.frameTotal ? parts.frameProto : new Int8Array(trace.frameTotal).fill(-1);
  return { ...parts, trace, frameProto, packetRows: null };
}
