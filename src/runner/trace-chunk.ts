/**
 * A trace in pieces: what a trace recorded since the last piece (rows, frames, bodies, strings,
 * nodes and links), as fresh typed arrays that can be transferred between threads without copying.
 * A simulation worker exports chunks as it runs; the page appends them, in order, to its own trace,
 * which then holds exactly what the worker's holds (same `hash()`).
 */
import { Trace, type TraceLink, type TraceNode } from '../sim/trace';

/** How much of a trace a chunk starts from: every count must match the receiving trace. */
export interface TraceChunkStart {
  readonly rows: number;
  readonly frames: number;
  readonly headBytes: number;
  readonly bodies: number;
  readonly bodyBytes: number;
  readonly strings: number;
  readonly nodes: number;
  readonly links: number;
}

/** What a trace recorded between two moments. Every array is its own buffer (transferable). */
export interface TraceChunk {
  readonly start: TraceChunkStart;
  readonly nodes: readonly TraceNode[];
  readonly links: readonly TraceLink[];
  readonly strings: readonly string[];
  readonly kind: Uint8Array;
  readonly dir: Int8Array;
  readonly time: Float64Array;
  readonly end: Float64Array;
  readonly arrival: Float64Array;
  readonly place: Int32Array;
  readonly code: Int32Array;
  readonly frame: Int32Array;
  readonly packet: Int32Array;
  readonly frameHeadOff: Int32Array;
  readonly frameHeadLen: Int32Array;
  readonly frameBody: Int32Array;
  readonly frameWireLen: Int32Array;
  readonly heads: Uint8Array;
  readonly bodyOff: Int32Array;
  readonly bodyLen: Int32Array;
  readonly bodies: Uint8Array;
}

/** The counts of everything `trace` holds now. */
function traceCounts(trace: Trace): TraceChunkStart {
  const raw = trace.rawColumns();
  return {
    rows: raw.rows,
    frames: raw.frameCount,
    headBytes: raw.headsLen,
    bodies: raw.bodyCount,
    bodyBytes: raw.bodiesLen,
    strings: raw.strings.length,
    nodes: trace.nodes.length,
    links: trace.links.length,
  };
}

/** Cuts a growing trace into consecutive chunks: each `next()` returns what was added since the last. */
export class TraceChunker {
  private from: TraceChunkStart = {
    rows: 0,
    frames: 0,
    headBytes: 0,
    bodies: 0,
    bodyBytes: 0,
    strings: 0,
    nodes: 0,
    links: 0,
  };

  constructor(private readonly trace: Trace) {}

  /** Rows recorded since the last chunk (or since the start). */
  get pendingRows(): number {
    return this.trace.length - this.from.rows;
  }

  /** Everything recorded since the last call (possibly nothing: a chunk with empty arrays). */
  next(): TraceChunk {
    const t = this.trace;
    const raw = t.rawColumns();
    const a = this.from;
    const b = traceCounts(t);
    this.from = b;
    return {
      start: a,
      nodes: t.nodes.slice(a.nodes, b.nodes),
      links: t.links.slice(a.links, b.links),
      strings: raw.strings.slice(a.strings, b.strings),
      kind: t.kind.slice(a.rows, b.rows),
      dir: t.dir.slice(a.rows, b.rows),
      time: t.time.slice(a.rows, b.rows),
      end: t.end.slice(a.rows, b.rows),
      arrival: t.arrival.slice(a.rows, b.rows),
      place: t.place.slice(a.rows, b.rows),
      code: t.code.slice(a.rows, b.rows),
      frame: t.frame.slice(a.rows, b.rows),
      packet: t.packet.slice(a.rows, b.rows),
      frameHeadOff: raw.frameHeadOff.slice(a.frames, b.frames),
      frameHeadLen: raw.frameHeadLen.slice(a.frames, b.frames),
      frameBody: raw.frameBody.slice(a.frames, b.frames),
      frameWireLen: raw.frameWireLen.slice(a.frames, b.frames),
      heads: raw.heads.slice(a.headBytes, b.headBytes),
      bodyOff: raw.bodyOff.slice(a.bodies, b.bodies),
      bodyLen: raw.bodyLen.slice(a.bodies, b.bodies),
      bodies: raw.bodies.slice(a.bodyBytes, b.bodyBytes),
    };
  }
}

/** The buffers of a chunk, for `postMessage(chunk, transfer)`. */
export function chunkTransferList(chunk: TraceChunk): ArrayBuffer[] {
  const views = [
    chunk.kind,
    chunk.dir,
    chunk.time,
    chunk.end,
    chunk.arrival,
    chunk.place,
    chunk.code,
    chunk.frame,
    chunk.packet,
    chunk.frameHeadOff,
    chunk.frameHeadLen,
    chunk.frameBody,
    chunk.frameWireLen,
    chunk.heads,
    chunk.bodyOff,
    chunk.bodyLen,
    chunk.bodies,
  ];
  return views.map((v) => v.buffer as ArrayBuffer);
}

/**
 * Appends `chunk` to `trace`. Chunks must arrive in order, each starting exactly where `trace` ends;
 * a chunk that does not start where `trace` ends (another run's, or out of order) throws and leaves `trace` untouched.
 */
export function appendTraceChunk(trace: Trace, chunk: TraceChunk): void {
  const have = traceCounts(trace);
  for (const key of Object.keys(have) as (keyof TraceChunkStart)[]) {
    if (have[key] !== chunk.start[key]) {
      throw new Error(`trace chunk out of order: it starts at ${key} ${chunk.start[key]}, the trace has ${have[key]}`);
    }
  }
  for (const n of chunk.nodes) trace.defineNode(n.name, n.kind);
  for (const l of chunk.links) trace.defineLink(l.name, l.a, l.b, l.aIf, l.bIf);
  for (const s of chunk.strings) {
    if (trace.intern(s) !== trace.rawColumns().strings.length - 1) throw new Error(`trace chunk repeats the string ${JSON.stringify(s)}`);
  }
  const s = chunk.start;
  trace.reserveRaw(chunk.kind.length, chunk.frameHeadOff.length, chunk.heads.length, chunk.bodyOff.length, chunk.bodies.length);
  trace.kind.set(chunk.kind, s.rows);
  trace.dir.set(chunk.dir, s.rows);
  trace.time.set(chunk.time, s.rows);
  trace.end.set(chunk.end, s.rows);
  trace.arrival.set(chunk.arrival, s.rows);
  trace.place.set(chunk.place, s.rows);
  trace.code.set(chunk.code, s.rows);
  trace.frame.set(chunk.frame, s.rows);
  trace.packet.set(chunk.packet, s.rows);
  const raw = trace.rawColumns();
  raw.frameHeadOff.set(chunk.frameHeadOff, s.frames);
  raw.frameHeadLen.set(chunk.frameHeadLen, s.frames);
  raw.frameBody.set(chunk.frameBody, s.frames);
  raw.frameWireLen.set(chunk.frameWireLen, s.frames);
  raw.heads.set(chunk.heads, s.headBytes);
  raw.bodyOff.set(chunk.bodyOff, s.bodies);
  raw.bodyLen.set(chunk.bodyLen, s.bodies);
  raw.bodies.set(chunk.bodies, s.bodyBytes);
}

/** A new trace made of `chunks`, in order. */
export function traceFromChunks(chunks: Iterable<TraceChunk>): Trace {
  const trace = new Trace();
  for (const c of chunks) appendTraceChunk(trace, c);
  return trace;
}
