/**
 * The trace: an append-only, columnar record of everything that happened in a run. Every view,
 * metric, lesson and export reads it; nothing reads the live simulation.
 *
 * Storage is compact: one row per record in growable typed arrays, frame headers in one byte arena,
 * and payloads that travel unchanged across hops (an IP packet's body as routers forward it) stored
 * once and shared by reference.
 */

import { hashTrace } from './trace-hash';

/** What a trace row records. */
export const RecordKind = {
  /** A frame put on a link: `time` = tx start, `end` = tx end, `arrival` = last bit at the receiver. */
  FrameTx: 1,
  /** A frame lost: `time` = when, `end` = when its transmission began (links) or `time` (nodes). */
  Drop: 2,
  /** A named piece of device state took a new value (MAC table entry, ARP entry, TCP state, ...). */
  State: 3,
  /** A line of program output, like a terminal would show. */
  Log: 4,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Where a row happened: a direction on a link (0 = a to b, 1 = b to a), at a node, or a whole link. */
export const Place = { AtoB: 0, BtoA: 1, Node: 2, Link: 3 } as const;

/** Whether a row's `dir` is a direction of travel on a link (rather than a node or a whole link). */
export function isLinkDirection(dir: number): boolean {
  return dir === Place.AtoB || dir === Place.BtoA;
}

/** A lost frame, as {@link Trace.drop} records it. */
export interface DropRecord {
  /** When it was lost. */
  readonly time: number;
  /** When its transmission began (a loss on a link); defaults to `time`. */
  readonly started?: number;
  /** The link (for `dir` a direction or {@link Place.Link}) or node ({@link Place.Node}) where it was lost. */
  readonly place: number;
  readonly dir: number;
  /** Why, in words: `TTL expired in transit to 10.0.3.10`. */
  readonly reason: string;
  /** A frame already in the trace; otherwise `head` (and `body`) are stored, or no bytes at all. */
  readonly frameId?: number;
  readonly head?: Uint8Array | null;
  readonly body?: SharedBytes | null;
  readonly packetId: number;
}

/** Bytes that may be shared by many frames (a payload forwarded unchanged over several hops). */
export interface SharedBytes {
  readonly bytes: Uint8Array;
  /** Set by the trace the first time it stores these bytes; -1 before. */
  traceId: number;
}

/** Makes a payload that the trace will store once however many hops it crosses. */
export function sharedBytes(bytes: Uint8Array): SharedBytes {
  return { bytes, traceId: -1 };
}

/** A node as the trace knows it. */
export interface TraceNode {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
}

/** A link as the trace knows it: endpoints are node ids, with interface names for captures. */
export interface TraceLink {
  readonly id: number;
  readonly name: string;
  readonly a: number;
  readonly b: number;
  readonly aIf: string;
  readonly bIf: string;
}

/**
 * How much a full array grows. Fourfold rather than twofold: a run of millions of rows then
 * reallocates, copies and first-touches far fewer bytes (and external-memory GCs come less often);
 * capacity not yet written costs address space, not memory.
 */
const GROWTH = 4;

/** The smallest Ethernet frame on the wire (without FCS); shorter frames are zero-padded. */
export const MIN_FRAME_BYTES = 60;

/** The append-only trace recorder and its read API. */
export class Trace {
  readonly nodes: TraceNode[] = [];
  readonly links: TraceLink[] = [];
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();

  private cap = 1024;
  private n = 0;
  kind = new Uint8Array(this.cap);
  dir = new Int8Array(this.cap);
  time = new Float64Array(this.cap);
  end = new Float64Array(this.cap);
  arrival = new Float64Array(this.cap);
  place = new Int32Array(this.cap);
  code = new Int32Array(this.cap);
  frame = new Int32Array(this.cap);
  packet = new Int32Array(this.cap);

  // Frames: header bytes in `heads`, optional shared body, and the length on the wire.
  private frameCap = 1024;
  private frameCount = 0;
  private frameHeadOff = new Int32Array(this.frameCap);
  private frameHeadLen = new Int32Array(this.frameCap);
  private frameBody = new Int32Array(this.frameCap);
  private frameWireLen = new Int32Array(this.frameCap);
  private heads = new Uint8Array(64 * 1024);
  private headsLen = 0;

  private bodyCap = 256;
  private bodyCount = 0;
  private bodyOff = new Int32Array(this.bodyCap);
  private bodyLen = new Int32Array(this.bodyCap);
  private bodies = new Uint8Array(64 * 1024);
  private bodiesLen = 0;

  /** Number of records. */
  get length(): number {
    return this.n;
  }

  /** Number of distinct frames stored. */
  get frameTotal(): number {
    return this.frameCount;
  }

  /** Registers a node; returns its id. */
  defineNode(name: string, kind: string): number {
    const id = this.nodes.length;
    this.nodes.push({ id, name, kind });
    return id;
  }

  /** Registers a link between two nodes; returns its id. */
  defineLink(name: string, a: number, b: number, aIf: string, bIf: string): number {
    const id = this.links.length;
    this.links.push({ id, name, a, b, aIf, bIf });
    return id;
  }

  /** Interns a string; equal strings share an id. */
  intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /** The string with the given id. */
  string(id: number): string {
    return this.strings[id];
  }

  /** Records a frame transmission; returns the frame id (for drops that follow). */
  frameTx(time: number, end: number, arrival: number, link: number, dir: number, head: Uint8Array, body: SharedBytes | null, packetId: number): number {
    const f = this.storeFrame(head, body);
    const r = this.row(RecordKind.FrameTx, time);
    this.dir[r] = dir;
    this.end[r] = end;
    this.arrival[r] = arrival;
    this.place[r] = link;
    this.code[r] = -1;
    this.frame[r] = f;
    this.packet[r] = packetId;
    return f;
  }

  /**
   * Records a drop. `frameId` reuses a frame already stored (e.g. one lost in flight); otherwise the
   * head/body given are stored.
   */
  drop(d: DropRecord): void {
    const f = d.frameId !== undefined && d.frameId >= 0 ? d.frameId : d.head ? this.storeFrame(d.head, d.body ?? null) : -1;
    const r = this.row(RecordKind.Drop, d.time);
    this.dir[r] = d.dir;
    this.end[r] = d.started ?? d.time;
    this.arrival[r] = d.time;
    this.place[r] = d.place;
    this.code[r] = this.intern(d.reason);
    this.frame[r] = f;
    this.packet[r] = d.packetId;
  }

  /** Records that `key` on node `node` took the value `value` ("" when the entry is removed). */
  state(time: number, node: number, key: string, value: string): void {
    this.stateAt(time, Place.Node, node, key, value);
  }

  /** Records that a link property changed (a fault): `key` like `loss`, `up`. */
  linkState(time: number, link: number, key: string, value: string): void {
    this.stateAt(time, Place.Link, link, key, value);
  }

  /**
   * {@link state} with the key and value already interned (ids from {@link intern}), for hot paths
   * that record the same strings millions of times. Intern the key before the value, as
   * {@link state} does, so the string table keeps the same order.
   */
  stateIds(time: number, node: number, keyId: number, valueId: number): void {
    this.stateRow(time, Place.Node, node, keyId, valueId);
  }

  private stateAt(time: number, where: number, node: number, key: string, value: string): void {
    const keyId = this.intern(key);
    this.stateRow(time, where, node, keyId, this.intern(value));
  }

  private stateRow(time: number, where: number, node: number, keyId: number, valueId: number): void {
    const r = this.row(RecordKind.State, time);
    this.dir[r] = where;
    this.end[r] = time;
    this.arrival[r] = time;
    this.place[r] = node;
    this.code[r] = keyId;
    this.frame[r] = valueId;
    this.packet[r] = -1;
  }

  /** Records a line of program output on a node. */
  log(time: number, node: number, text: string): void {
    const r = this.row(RecordKind.Log, time);
    this.dir[r] = Place.Node;
    this.end[r] = time;
    this.arrival[r] = time;
    this.place[r] = node;
    this.code[r] = this.intern(text);
    this.frame[r] = -1;
    this.packet[r] = -1;
  }

  /** The bytes of stored frame `id`, exactly as on the wire (padded to 60 bytes, no FCS). */
  frameBytes(id: number): Uint8Array {
    const wire = this.frameWireLen[id];
    const out = new Uint8Array(wire);
    const hOff = this.frameHeadOff[id];
    const hLen = this.frameHeadLen[id];
    out.set(this.heads.subarray(hOff, hOff + hLen), 0);
    const b = this.frameBody[id];
    if (b >= 0) {
      const off = this.bodyOff[b];
      out.set(this.bodies.subarray(off, off + this.bodyLen[b]), hLen);
    }
    return out;
  }

  /**
   * The first bytes of stored frame `id` without copying when its stored header holds them (a view
   * into the trace: read it, do not keep it); otherwise a copy of the whole frame.
   */
  framePrefix(id: number, atLeast: number): Uint8Array {
    const hLen = this.frameHeadLen[id];
    if (hLen < atLeast) return this.frameBytes(id);
    const hOff = this.frameHeadOff[id];
    return this.heads.subarray(hOff, hOff + hLen);
  }

  /** Length on the wire of stored frame `id`. */
  frameLength(id: number): number {
    return this.frameWireLen[id];
  }

  /** A stable hash of everything recorded: same scene and seed, same hash, in Node and browsers. */
  hash(): string {
    return hashTrace({
      nodes: this.nodes.map((x) => `${x.name}|${x.kind}`).join('\n'),
      links: this.links.map((x) => `${x.name}|${x.a}|${x.b}|${x.aIf}|${x.bIf}`).join('\n'),
      strings: this.strings.join('\u0000'),
      columns: [
        this.kind.subarray(0, this.n),
        this.dir.subarray(0, this.n),
        this.time.subarray(0, this.n),
        this.end.subarray(0, this.n),
        this.arrival.subarray(0, this.n),
        this.place.subarray(0, this.n),
        this.code.subarray(0, this.n),
        this.frame.subarray(0, this.n),
        this.packet.subarray(0, this.n),
        this.frameHeadOff.subarray(0, this.frameCount),
        this.frameHeadLen.subarray(0, this.frameCount),
        this.frameBody.subarray(0, this.frameCount),
        this.frameWireLen.subarray(0, this.frameCount),
        this.heads.subarray(0, this.headsLen),
        this.bodyOff.subarray(0, this.bodyCount),
        this.bodyLen.subarray(0, this.bodyCount),
        this.bodies.subarray(0, this.bodiesLen),
      ],
    });
  }

  /** Approximate bytes held by the trace's arrays. */
  byteSize(): number {
    return this.cap * 42 + this.frameCap * 16 + this.heads.byteLength + this.bodyCap * 8 + this.bodies.byteLength;
  }

  // --- Raw column access, for streaming a trace in chunks (see src/runner/trace-chunk.ts); nothing else uses it.

  /** The live frame and body columns and every used length. Arrays are replaced as they grow: read now, keep nothing. */
  rawColumns(): RawTraceColumns {
    return {
      rows: this.n,
      strings: this.strings,
      frameCount: this.frameCount,
      frameHeadOff: this.frameHeadOff,
      frameHeadLen: this.frameHeadLen,
      frameBody: this.frameBody,
      frameWireLen: this.frameWireLen,
      heads: this.heads,
      headsLen: this.headsLen,
      bodyCount: this.bodyCount,
      bodyOff: this.bodyOff,
      bodyLen: this.bodyLen,
      bodies: this.bodies,
      bodiesLen: this.bodiesLen,
    };
  }

  /**
   * Makes room for `rows` more rows, `frames` more frames, `bodies` more bodies and the given numbers of
   * header and body bytes, then adds those counts as if they had been recorded; the caller fills the
   * new slots through `rawColumns()` (rows through the public row columns). Strings go through `intern`.
   */
  reserveRaw(rows: number, frames: number, headBytes: number, bodies: number, bodyBytes: number): void {
    while (this.n + rows > this.cap) this.growRows();
    while (this.frameCount + frames > this.frameCap) this.growFrames();
    while (this.bodyCount + bodies > this.bodyCap) {
      this.bodyCap *= 2;
      this.bodyOff = growI32(this.bodyOff, this.bodyCap);
      this.bodyLen = growI32(this.bodyLen, this.bodyCap);
    }
    if (this.headsLen + headBytes > this.heads.length) this.heads = growBytes(this.heads, this.headsLen + headBytes);
    if (this.bodiesLen + bodyBytes > this.bodies.length) this.bodies = growBytes(this.bodies, this.bodiesLen + bodyBytes);
    this.n += rows;
    this.frameCount += frames;
    this.headsLen += headBytes;
    this.bodyCount += bodies;
    this.bodiesLen += bodyBytes;
  }

  // --- end of raw column access.

  private row(kind: RecordKind, time: number): number {
    if (this.n === this.cap) this.growRows();
    const r = this.n++;
    this.kind[r] = kind;
    this.time[r] = time;
    return r;
  }

  private storeFrame(head: Uint8Array, body: SharedBytes | null): number {
    if (this.frameCount === this.frameCap) this.growFrames();
    const f = this.frameCount++;
    if (this.headsLen + head.length > this.heads.length) {
      this.heads = growBytes(this.heads, this.headsLen + head.length);
    }
    this.heads.set(head, this.headsLen);
    this.frameHeadOff[f] = this.headsLen;
    this.frameHeadLen[f] = head.length;
    this.headsLen += head.length;
    let bodyLength = 0;
    if (body) {
      if (body.traceId < 0) body.traceId = this.storeBody(body.bytes);
      this.frameBody[f] = body.traceId;
      bodyLength = body.bytes.length;
    } else {
      this.frameBody[f] = -1;
    }
    this.frameWireLen[f] = Math.max(MIN_FRAME_BYTES, head.length + bodyLength);
    return f;
  }

  private storeBody(bytes: Uint8Array): number {
    if (this.bodyCount === this.bodyCap) {
      this.bodyCap *= GROWTH;
      this.bodyOff = growI32(this.bodyOff, this.bodyCap);
      this.bodyLen = growI32(this.bodyLen, this.bodyCap);
    }
    if (this.bodiesLen + bytes.length > this.bodies.length) {
      this.bodies = growBytes(this.bodies, this.bodiesLen + bytes.length);
    }
    const id = this.bodyCount++;
    this.bodies.set(bytes, this.bodiesLen);
    this.bodyOff[id] = this.bodiesLen;
    this.bodyLen[id] = bytes.length;
    this.bodiesLen += bytes.length;
    return id;
  }

  private growRows(): void {
    const c = this.cap * GROWTH;
    this.kind = growTyped(this.kind, new Uint8Array(c));
    this.dir = growTyped(this.dir, new Int8Array(c));
    this.time = growTyped(this.time, new Float64Array(c));
    this.end = growTyped(this.end, new Float64Array(c));
    this.arrival = growTyped(this.arrival, new Float64Array(c));
    this.place = growTyped(this.place, new Int32Array(c));
    this.code = growTyped(this.code, new Int32Array(c));
    this.frame = growTyped(this.frame, new Int32Array(c));
    this.packet = growTyped(this.packet, new Int32Array(c));
    this.cap = c;
  }

  private growFrames(): void {
    const c = this.frameCap * GROWTH;
    this.frameHeadOff = growI32(this.frameHeadOff, c);
    this.frameHeadLen = growI32(this.frameHeadLen, c);
    this.frameBody = growI32(this.frameBody, c);
    this.frameWireLen = growI32(this.frameWireLen, c);
    this.frameCap = c;
  }
}

function growTyped<T extends { set(a: ArrayLike<number>): void }>(old: ArrayLike<number>, next: T): T {
  next.set(old);
  return next;
}

function growI32(old: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const n = new Int32Array(size);
  n.set(old);
  return n;
}

function growBytes(old: Uint8Array, atLeast: number): Uint8Array<ArrayBuffer> {
  let size = old.length * GROWTH;
  while (size < atLeast) size *= GROWTH;
  const n = new Uint8Array(size);
  n.set(old);
  return n;
}

/** The trace's frame and body storage as `Trace.rawColumns()` exposes it (see src/runner/trace-chunk.ts). */
export interface RawTraceColumns {
  readonly rows: number;
  readonly strings: readonly string[];
  readonly frameCount: number;
  readonly frameHeadOff: Int32Array;
  readonly frameHeadLen: Int32Array;
  readonly frameBody: Int32Array;
  readonly frameWireLen: Int32Array;
  readonly heads: Uint8Array;
  readonly headsLen: number;
  readonly bodyCount: number;
  readonly bodyOff: Int32Array;
  readonly bodyLen: Int32Array;
  readonly bodies: Uint8Array;
  readonly bodiesLen: number;
}
