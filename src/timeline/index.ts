/**
 * Pure queries over a trace at a playhead time: what is on the wire, the next and previous event,
 * program output so far, device state at a moment, and the hops of one packet. Build the index
 * once per trace (`buildTimeline`); every query after that is a binary search plus a short scan.
 */
import { registerCoreProtocols } from '../protocols/builtin-core';
import { COLOR_CLASS_BYTES, colorClasses, colorClassOfFrame } from '../protocols/color-class';
import { isLinkDirection, Place, RecordKind, type Trace } from '../sim/trace';

/** A time-sorted index over one trace. */
export interface TimelineIndex {
  readonly trace: Trace;
  /** Every row, ordered by (time, row). */
  readonly order: Int32Array;
  /** `trace.time` of `order[i]`. */
  readonly orderTime: Float64Array;
  /** Rows drawn as moving things (frames, and drops on links), ordered by when they start. */
  readonly motion: Int32Array;
  readonly motionStart: Float64Array;
  readonly motionStop: Float64Array;
  /** Longest `stop - start` of `motion`: the look-back window of `framesInFlight`. */
  readonly maxMotion: number;
  /** How long a drop stays visible after it happened, ns. */
  readonly fadeNs: number;
  /** Sorted, distinct times at which something happens (frame starts/arrivals, drops, state, logs). */
  readonly eventTimes: Float64Array;
  /** Log rows in time order. */
  readonly logs: Int32Array;
  readonly logTime: Float64Array;
  /** Per node: its State rows in time order. */
  readonly nodeStates: Int32Array[];
  /** Per link: its link State rows (faults) in time order. */
  readonly linkStates: Int32Array[];
  /** Last time anything happens. */
  readonly endTime: number;
  /** Per link: its propagation delay as seen on its frames (ns; 0 when no frame crossed it). */
  readonly linkProp: Float64Array;
  /** Protocol class per frame id, computed lazily (-1 = not yet). */
  readonly frameProto: Int8Array;
  packetRows: Map<number, number[]> | null;
}

function sortRowsBy(rows: Int32Array, key: Float64Array): Int32Array {
  // Stable: ties keep row order. Already-sorted input (the common case) costs one pass.
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) if (key[rows[i]] < key[rows[i - 1]]) sorted = false;
  if (sorted) return rows;
  const arr = Array.from(rows);
  arr.sort((a, b) => key[a] - key[b] || a - b);
  return Int32Array.from(arr);
}

/** Builds the index of a trace. Linear-logarithmic in its length. */
// eslint-disable-next-line max-lines-per-function -- builds the index's arrays (event order, motion, packets, logs, end time) as short passes over the same trace and sorted order; the result is one object
export function buildTimeline(trace: Trace): TimelineIndex {
  const n = trace.length;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const order = isSorted(trace.time, n) ? all : sortRowsBy(all, trace.time);
  const orderTime = new Float64Array(n);
  for (let i = 0; i < n; i++) orderTime[i] = trace.time[order[i]];

  // Moving rows: frames [time, arrival]; link drops [end (tx start), time + fade].
  const durations: number[] = [];
  let motionCount = 0;
  let logCount = 0;
  for (let i = 0; i < n; i++) {
    const k = trace.kind[i];
    if (k === RecordKind.FrameTx) {
      motionCount++;
      if (durations.length < 4096) durations.push(trace.arrival[i] - trace.time[i]);
    } else if (k === RecordKind.Drop) motionCount++;
    else if (k === RecordKind.Log) logCount++;
  }
  durations.sort((a, b) => a - b);
  const fadeNs = Math.max(1000, durations.length ? durations[durations.length >> 1] * 0.6 : 100_000);

  const motionRows = new Int32Array(motionCount);
  const startByRow = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = trace.kind[i];
    if (k === RecordKind.FrameTx) {
      motionRows[m++] = i;
      startByRow[i] = trace.time[i];
    } else if (k === RecordKind.Drop) {
      motionRows[m++] = i;
      startByRow[i] = isLinkDirection(trace.dir[i]) ? Math.min(trace.end[i], trace.time[i]) : trace.time[i];
    }
  }
  const motion = sortRowsBy(motionRows, startByRow);
  const motionStart = new Float64Array(motion.length);
  const motionStop = new Float64Array(motion.length);
  let maxMotion = 0;
  for (let i = 0; i < motion.length; i++) {
    const r = motion[i];
    motionStart[i] = startByRow[r];
    motionStop[i] = trace.kind[r] === RecordKind.FrameTx ? trace.arrival[r] : trace.time[r] + fadeNs;
    maxMotion = Math.max(maxMotion, motionStop[i] - motionStart[i]);
  }

  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    times.push(trace.time[i]);
    if (trace.kind[i] === RecordKind.FrameTx) times.push(trace.arrival[i]);
  }
  const timesArr = Float64Array.from(times);
  timesArr.sort();
  const uniq: number[] = [];
  for (const t of timesArr) if (uniq.length === 0 || uniq[uniq.length - 1] !== t) uniq.push(t);
  const eventTimes = Float64Array.from(uniq);

  const logs = new Int32Array(logCount);
  const nodeStateLists: number[][] = trace.nodes.map(() => []);
  const linkStateLists: number[][] = trace.links.map(() => []);
  let l = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    const k = trace.kind[r];
    if (k === RecordKind.Log) logs[l++] = r;
    else if (k === RecordKind.State) {
      if (trace.dir[r] === Place.Link) linkStateLists[trace.place[r]]?.push(r);
      else nodeStateLists[trace.place[r]]?.push(r);
    }
  }
  const logTime = new Float64Array(logCount);
  for (let i = 0; i < logCount; i++) logTime[i] = trace.time[logs[i]];

  const linkProp = new Float64Array(trace.links.length);
  for (let i = 0; i < n; i++) {
    if (trace.kind[i] === RecordKind.FrameTx && linkProp[trace.place[i]] === 0) {
      linkProp[trace.place[i]] = Math.max(1, trace.arrival[i] - trace.end[i]);
    }
  }

  let endTime = 0;
  for (let i = 0; i < n; i++) endTime = Math.max(endTime, trace.time[i], trace.kind[i] === RecordKind.FrameTx ? trace.arrival[i] : 0);

  return {
    trace,
    order,
    orderTime,
    motion,
    motionStart,
    motionStop,
    maxMotion,
    fadeNs,
    eventTimes,
    logs,
    logTime,
    nodeStates: nodeStateLists.map((a) => Int32Array.from(a)),
    linkStates: linkStateLists.map((a) => Int32Array.from(a)),
    endTime,
    linkProp,
    frameProto: new Int8Array(trace.frameTotal).fill(-1),
    packetRows: null,
  };
}

function isSorted(a: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (a[i] < a[i - 1]) return false;
  return true;
}

/** First index `i` with `a[i] > x` (searching `[0, n)`). */
export function upperBound(a: Float64Array, x: number, n = a.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index `i` with `a[i] >= x`. */
export function lowerBound(a: Float64Array, x: number, n = a.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rows moving at `t`: frames with `time <= t <= arrival`, and link drops from their transmission
 * start until `fadeNs` after the loss (node drops: `fadeNs` after they happen). Writes row ids into
 * `out` (grown when needed) and returns the count, so a render loop allocates nothing.
 */
export function framesInFlightInto(index: TimelineIndex, t: number, out: { rows: Int32Array }): number {
  const hi = upperBound(index.motionStart, t);
  const lo = lowerBound(index.motionStart, t - index.maxMotion, hi);
  let count = 0;
  for (let i = lo; i < hi; i++) {
    if (index.motionStop[i] >= t) {
      if (count === out.rows.length) {
        const bigger = new Int32Array(out.rows.length * 2 || 256);
        bigger.set(out.rows);
        out.rows = bigger;
      }
      out.rows[count++] = index.motion[i];
    }
  }
  return count;
}

/** Frame rows (kind FrameTx) on the wire at `t`: `time <= t <= arrival`, in start order. */
export function framesInFlight(index: TimelineIndex, t: number): number[] {
  const out = { rows: new Int32Array(64) };
  const n = framesInFlightInto(index, t, out);
  const res: number[] = [];
  for (let i = 0; i < n; i++) if (index.trace.kind[out.rows[i]] === RecordKind.FrameTx) res.push(out.rows[i]);
  return res;
}

/** The first event time strictly after `t`, or null. */
export function nextEventTime(index: TimelineIndex, t: number): number | null {
  const i = upperBound(index.eventTimes, t);
  return i < index.eventTimes.length ? index.eventTimes[i] : null;
}

/** The last event time strictly before `t`, or null. */
export function prevEventTime(index: TimelineIndex, t: number): number | null {
  const i = lowerBound(index.eventTimes, t) - 1;
  return i >= 0 ? index.eventTimes[i] : null;
}

/**
 * Number of rows of `order` with time <= t (the event list's playhead position).
 * @public
 */
export function rowsUntil(index: TimelineIndex, t: number): number {
  return upperBound(index.orderTime, t);
}

/** A line of program output. */
export interface LogLine {
  readonly row: number;
  readonly time: number;
  readonly node: string;
  readonly text: string;
}

/** Number of log lines printed at or before `t`. */
export function logCountUntil(index: TimelineIndex, t: number): number {
  return upperBound(index.logTime, t);
}

/** Program output printed at or before `t`, oldest first. */
export function logLinesUntil(index: TimelineIndex, t: number): LogLine[] {
  const n = logCountUntil(index, t);
  const tr = index.trace;
  const out: LogLine[] = [];
  for (let i = 0; i < n; i++) {
    const r = index.logs[i];
    out.push({ row: r, time: tr.time[r], node: tr.nodes[tr.place[r]]?.name ?? '?', text: tr.string(tr.code[r]) });
  }
  return out;
}

/**
 * The named state of node `node` (by id or name) at `t`: e.g. `mac 02:..:01` -> `port1` for a
 * switch, `arp 10.0.0.1` -> MAC for a host's ARP cache. Entries set to "" are removed.
 */
export function stateAt(index: TimelineIndex, node: number | string, t: number): Map<string, string> {
  const tr = index.trace;
  const id = typeof node === 'number' ? node : tr.nodes.findIndex((x) => x.name === node);
  const rows = index.nodeStates[id];
  const out = new Map<string, string>();
  if (!rows) return out;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (tr.time[r] > t) break;
    const v = tr.string(tr.frame[r]);
    const k = tr.string(tr.code[r]);
    if (v === '') out.delete(k);
    else out.set(k, v);
  }
  return out;
}

/** A link's fault-controlled properties at `t` (`up`, `loss`, ...); empty when never changed. */
export function linkStateAt(index: TimelineIndex, link: number, t: number): Map<string, string> {
  const tr = index.trace;
  const rows = index.linkStates[link];
  const out = new Map<string, string>();
  if (!rows) return out;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (tr.time[r] > t) break;
    out.set(tr.string(tr.code[r]), tr.string(tr.frame[r]));
  }
  return out;
}

/** Every frame row (transmissions and drops) of one packet identity, in time order. */
export function hopsOfPacket(index: TimelineIndex, packetId: number): number[] {
  if (packetId < 0) return [];
  if (!index.packetRows) {
    const map = new Map<number, number[]>();
    const tr = index.trace;
    for (let i = 0; i < index.order.length; i++) {
      const r = index.order[i];
      const p = tr.packet[r];
      if (p < 0) continue;
      const k = tr.kind[r];
      if (k !== RecordKind.FrameTx && k !== RecordKind.Drop) continue;
      let list = map.get(p);
      if (!list) map.set(p, (list = []));
      list.push(r);
    }
    index.packetRows = map;
  }
  return index.packetRows.get(packetId) ?? [];
}

/**
 * Colour class of a stored frame (cached): an index into `colorClasses()` of
 * `protocols/color-class`, which each protocol registers with its dissector; 0 = other.
 */
export function frameProtocol(index: TimelineIndex, frameId: number): number {
  if (frameId < 0) return 0;
  let c = index.frameProto[frameId];
  if (c < 0) {
    registerCoreProtocols();
    c = colorClassOfFrame(index.trace.framePrefix(frameId, COLOR_CLASS_BYTES));
    index.frameProto[frameId] = c;
  }
  return c;
}

/**
 * Classifies every stored frame of `index` now (where the trace is built, e.g. in the simulation
 * worker), so the page that receives the index never dissects frames to colour them.
 */
export function fillFrameProtocols(index: TimelineIndex): void {
  for (let f = 0; f < index.frameProto.length; f++) frameProtocol(index, f);
}

/** The legend name of a colour class (`ARP`, `TCP`, ... or `Other`). */
export function frameProtocolName(c: number): string {
  return colorClasses()[c]?.name ?? 'Other';
}

/**
 * Where a moving row is at `t`, as fractions of its link from the sender (0) to the receiver (1):
 * `head` = leading edge, `tail` = trailing edge; `lost` = past its loss (drops), with `fade` in [0, 1].
 */
export function motionAt(index: TimelineIndex, row: number, t: number, out: { head: number; tail: number; fade: number }): void {
  const tr = index.trace;
  const kind = tr.kind[row];
  if (kind === RecordKind.FrameTx) {
    const start = tr.time[row];
    const txEnd = tr.end[row];
    const arrival = tr.arrival[row];
    const prop = Math.max(1, arrival - txEnd);
    out.head = clamp01((t - start) / prop);
    out.tail = clamp01((t - txEnd) / prop);
    out.fade = 0;
    return;
  }
  // A drop on a link: travels from its start until lost, then fades.
  const started = Math.min(tr.end[row], tr.time[row]);
  const lost = tr.time[row];
  const prop = index.linkProp[tr.place[row]] || Math.max(1, lost - started);
  const p = clamp01((Math.min(t, lost) - started) / prop);
  out.head = p;
  out.tail = Math.max(0, p - 0.05);
  out.fade = t <= lost ? 0 : clamp01((t - lost) / index.fadeNs);
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
