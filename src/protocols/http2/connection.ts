/**
 * An HTTP/2 endpoint (RFC 9113) as a pure state machine over a byte stream: the transport calls
 * {@link Http2Connection.feed} with what arrives and sends what the `send` callback gives it; the
 * application opens streams (client), answers them (server) and gets their headers and data.
 *
 * Streams share one connection: DATA frames of different streams are interleaved round robin,
 * each limited by its stream's flow-control window and the connection's. Received data is taken as
 * consumed at once: WINDOW_UPDATE goes back when half a window has been used.
 *
 * Simplifications (also in the inspector's notes): no server push, priorities or padding; stream
 * state is tracked as open / half closed / closed; SETTINGS are applied when they arrive and
 * acknowledged; no SETTINGS timeout.
 */
import {
  CONNECTION_PREFACE,
  decodeFrame,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  encodeFrame,
  ErrorCode,
  errorName,
  FRAME_HEADER_BYTES,
  readFrameHeader,
  Setting,
  type Http2Frame,
} from './frame';
import { concatBytes } from '../bytes';
import { HpackDecoder, HpackEncoder, type HeaderField } from './hpack';

/** What the application hears from a connection. Every callback is optional. */
export interface Http2Handler {
  /** Bytes for the transport. */
  send(bytes: Uint8Array): void;
  /**
   * How many more DATA bytes the transport will take now (like a socket's free send buffer);
   * unlimited when absent. Call {@link Http2Connection.resume} when it grows again.
   */
  sendBudget?(): number;
  /** A complete header block arrived on a stream (a request on the server, a response on the client). */
  onHeaders?(streamId: number, headers: HeaderField[], endStream: boolean): void;
  onData?(streamId: number, data: Uint8Array, endStream: boolean): void;
  /** The peer reset a stream. */
  onReset?(streamId: number, errorCode: number): void;
  onGoaway?(lastStreamId: number, errorCode: number): void;
  onPingAck?(data: Uint8Array): void;
  /** The peer's SETTINGS arrived (the first time: the connection is ready). */
  onSettings?(settings: readonly (readonly [number, number])[]): void;
  /** A connection error: we sent GOAWAY. */
  onError?(reason: string): void;
  /** Every frame sent or received, for tests and tracing. */
  onFrame?(direction: 'sent' | 'received', frame: Http2Frame): void;
}

export interface Http2Options {
  /** SETTINGS_INITIAL_WINDOW_SIZE we advertise (default 65535). */
  initialWindow?: number;
  /** Connection-level receive window (default 65535; larger ones are announced with a WINDOW_UPDATE on stream 0 at start, as browsers do). */
  connectionWindow?: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS we advertise (default 100). */
  maxConcurrentStreams?: number;
  /** Largest DATA frame to send (default: the peer's max frame size; nginx writes 8 kB chunks). */
  chunkSize?: number;
  /** Huffman-encode header strings (default false). */
  huffman?: boolean;
}

interface Stream {
  id: number;
  localEnded: boolean;
  remoteEnded: boolean;
  /** Data waiting for flow-control credit. */
  queue: Uint8Array[];
  queued: number;
  /** END_STREAM to send after the queued data. */
  endAfterQueue: boolean;
  sendWindow: number;
  recvConsumed: number;
  /** Header block being assembled from HEADERS + CONTINUATION. */
  block?: { parts: Uint8Array[]; endStream: boolean };
}

export class Http2Connection {
  private readonly encoder: HpackEncoder;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, Stream>();
  /** Streams with data waiting, in round-robin order. */
  private readonly ready: number[] = [];
  private buf: Uint8Array = new Uint8Array(0);
  private prefaceSeen: boolean;
  private nextStreamId: number;
  private connSendWindow = DEFAULT_WINDOW;
  private connRecvConsumed = 0;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  private readonly localWindow: number;
  private readonly connWindow: number;
  private continuationStream = 0;
  /** Highest stream id the peer opened (for GOAWAY). */
  private lastPeerStream = 0;
  /** Set once GOAWAY was sent or received. */
  goaway: { lastStreamId: number; errorCode: number } | undefined;
  /** The peer's SETTINGS arrived. */
  peerSettingsReceived = false;

  constructor(
    readonly role: 'client' | 'server',
    private readonly handler: Http2Handler,
    private readonly options: Http2Options = {},
  ) {
    this.encoder = new HpackEncoder({ huffman: options.huffman ?? false });
    this.prefaceSeen = role === 'client';
    this.nextStreamId = role === 'client' ? 1 : 2;
    this.localWindow = options.initialWindow ?? DEFAULT_WINDOW;
    this.connWindow = Math.max(DEFAULT_WINDOW, options.connectionWindow ?? DEFAULT_WINDOW);
  }

  /** Client: sends the preface and SETTINGS. Server: sends SETTINGS (call when the connection opens). */
  start(): void {
    const settings: [number, number][] = [
      [Setting.MAX_CONCURRENT_STREAMS, this.options.maxConcurrentStreams ?? 100],
      [Setting.INITIAL_WINDOW_SIZE, this.localWindow],
      [Setting.ENABLE_PUSH, 0],
    ];
    if (this.role === 'server') settings.pop();
    const frames = [encodeFrame({ type: 'SETTINGS', ack: false, settings })];
    this.handler.onFrame?.('sent', { type: 'SETTINGS', ack: false, settings });
    if (this.connWindow > DEFAULT_WINDOW) {
      const f: Http2Frame = { type: 'WINDOW_UPDATE', streamId: 0, increment: this.connWindow - DEFAULT_WINDOW };
      this.handler.onFrame?.('sent', f);
      frames.push(encodeFrame(f));
    }
    if (this.role === 'client') frames.unshift(CONNECTION_PREFACE);
    this.write(frames);
  }

  /** Streams not yet closed. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Client: opens a stream with a request's header list (and body). Returns the stream id. */
  request(headers: readonly HeaderField[], body?: Uint8Array): number {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    this.sendHeaders(id, headers, body);
    return id;
  }

  /** Server: answers stream `id` with headers and a body (END_STREAM after the body). */
  respond(id: number, headers: readonly HeaderField[], body?: Uint8Array): void {
    if (!this.streams.has(id)) return;
    this.sendHeaders(id, headers, body);
  }

  /** Resets a stream (RST_STREAM). */
  reset(id: number, errorCode: number = ErrorCode.CANCEL): void {
    if (!this.streams.has(id)) return;
    this.sendFrame({ type: 'RST_STREAM', streamId: id, errorCode });
    this.closeStream(id);
  }

  /** Sends PING; the handler's `onPingAck` gets the answer. */
  ping(data: Uint8Array = new Uint8Array(8)): void {
    this.sendFrame({ type: 'PING', ack: false, data });
  }

  /** Sends GOAWAY: no new streams after the last one the peer opened. */
  close(errorCode: number = ErrorCode.NO_ERROR, debug = ''): void {
    if (this.goaway) return;
    this.goaway = { lastStreamId: this.lastPeerStream, errorCode };
    this.sendFrame({ type: 'GOAWAY', lastStreamId: this.lastPeerStream, errorCode, debug: new TextEncoder().encode(debug) });
  }

  /** Bytes from the peer, split anyhow. What they cause is sent in one write. */
  feed(data: Uint8Array): void {
    this.batch(() => this.feedFrames(data));
  }

  private feedFrames(data: Uint8Array): void {
    this.buf = concatBytes(this.buf, data);
    let pos = 0;
    if (!this.prefaceSeen) {
      if (this.buf.length < CONNECTION_PREFACE.length) return;
      for (let i = 0; i < CONNECTION_PREFACE.length; i++) {
        if (this.buf[i] !== CONNECTION_PREFACE[i]) return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'bad connection preface');
      }
      this.prefaceSeen = true;
      pos = CONNECTION_PREFACE.length;
    }
    this.feeding = true;
    while (!this.dead) {
      const h = readFrameHeader(this.buf, pos);
      if (!h || pos + FRAME_HEADER_BYTES + h.length > this.buf.length) break;
      if (h.length > DEFAULT_MAX_FRAME_SIZE) return this.connectionError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${h.length} bytes`);
      const d = decodeFrame(this.buf, pos);
      pos += FRAME_HEADER_BYTES + h.length;
      if (!d.ok) {
        this.feeding = false;
        return this.connectionError(ErrorCode.FRAME_SIZE_ERROR, d.error);
      }
      this.receive(d.value);
    }
    this.feeding = false;
    this.buf = this.buf.slice(pos);
    // Answers produced while reading these frames share the connection round robin.
    if (!this.dead) this.pump();
  }

  private dead = false;
  private feeding = false;
  private corked: Uint8Array[] | undefined;

  /**
   * Runs `fn` with output held back, then sends everything it produced in one write (one TCP
   * send): a browser's burst of requests leaves together.
   */
  batch<T>(fn: () => T): T {
    if (this.corked) return fn();
    this.corked = [];
    try {
      return fn();
    } finally {
      const held = this.corked;
      this.corked = undefined;
      if (held.length) this.write(held);
    }
  }

  // ------------------------------------------------------------------ sending

  private write(chunks: Uint8Array[]): void {
    if (this.corked) {
      this.corked.push(...chunks);
      return;
    }
    if (chunks.length === 1) {
      this.handler.send(chunks[0]);
      return;
    }
    this.handler.send(concatBytes(...chunks));
  }

  private sendFrame(f: Http2Frame): void {
    this.handler.onFrame?.('sent', f);
    this.write([encodeFrame(f)]);
  }

  private stream(id: number): Stream {
    let s = this.streams.get(id);
    if (!s) {
      s = { id, localEnded: false, remoteEnded: false, queue: [], queued: 0, endAfterQueue: false, sendWindow: this.peerInitialWindow, recvConsumed: 0 };
      this.streams.set(id, s);
    }
    return s;
  }

  private sendHeaders(id: number, headers: readonly HeaderField[], body?: Uint8Array): void {
    const s = this.stream(id);
    const block = this.encoder.encode(headers);
    const endStream = !body || body.length === 0;
    const frames: Uint8Array[] = [];
    const max = this.peerMaxFrame;
    for (let at = 0, first = true; first || at < block.length; first = false) {
      const part = block.subarray(at, at + max);
      at += part.length;
      const endHeaders = at >= block.length;
      const f: Http2Frame = first
        ? { type: 'HEADERS', streamId: id, endStream, endHeaders, block: part }
        : { type: 'CONTINUATION', streamId: id, endHeaders, block: part };
      this.handler.onFrame?.('sent', f);
      frames.push(encodeFrame(f));
    }
    this.write(frames);
    if (endStream) this.endLocal(s);
    else {
      s.queue.push(body!);
      s.queued += body!.length;
      s.endAfterQueue = true;
      if (!this.ready.includes(id)) this.ready.push(id);
      this.pump();
    }
  }

  /** The transport can take more: sends queued DATA. */
  resume(): void {
    this.pump();
  }

  /** Sends queued DATA round robin, one frame per stream per turn, while windows and the transport allow. */
  private pump(): void {
    if (this.feeding) return;
    const out: Uint8Array[] = [];
    let budget = this.handler.sendBudget?.() ?? Infinity;
    let progress = true;
    while (progress && this.ready.length > 0 && this.connSendWindow > 0) {
      progress = false;
      for (let i = 0; i < this.ready.length;) {
        const s = this.streams.get(this.ready[i]);
        if (!s || s.queued === 0) {
          this.ready.splice(i, 1);
          continue;
        }
        const n = Math.min(s.queued, s.sendWindow, this.connSendWindow, this.peerMaxFrame, this.options.chunkSize ?? Infinity);
        if (n <= 0) {
          i++;
          continue;
        }
        if (n > budget) {
          progress = false;
          break;
        }
        budget -= n;
        const data = this.take(s, n);
        s.sendWindow -= n;
        this.connSendWindow -= n;
        const end = s.queued === 0 && s.endAfterQueue;
        const f: Http2Frame = { type: 'DATA', streamId: s.id, endStream: end, data };
        this.handler.onFrame?.('sent', f);
        out.push(encodeFrame(f));
        progress = true;
        if (s.queued === 0) {
          this.ready.splice(i, 1);
          if (end) this.endLocal(s);
        } else i++;
        if (this.connSendWindow <= 0) break;
      }
    }
    if (out.length) this.write(out);
  }

  private take(s: Stream, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = s.queue[0];
      const k = Math.min(head.length, n - at);
      out.set(head.subarray(0, k), at);
      at += k;
      if (k === head.length) s.queue.shift();
      else s.queue[0] = head.subarray(k);
    }
    s.queued -= n;
    return out;
  }

  private endLocal(s: Stream): void {
    s.localEnded = true;
    if (s.remoteEnded) this.closeStream(s.id);
  }

  private closeStream(id: number): void {
    this.streams.delete(id);
    const i = this.ready.indexOf(id);
    if (i >= 0) this.ready.splice(i, 1);
  }

  private connectionError(code: number, reason: string): void {
    if (this.dead) return;
    this.close(code, reason);
    this.dead = true;
    this.handler.onError?.(`${errorName(code)}: ${reason}`);
  }

  // ------------------------------------------------------------------ receiving

  // eslint-disable-next-line max-lines-per-function -- one case per HTTP/2 frame type (RFC 9113 §6), in the RFC's order, with the connection's state checks inline
  private receive(f: Http2Frame): void {
    this.handler.onFrame?.('received', f);
    if (this.continuationStream && f.type !== 'CONTINUATION') return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'expected CONTINUATION');
    switch (f.type) {
      case 'SETTINGS':
        if (f.ack) return;
        for (const [id, v] of f.settings) {
          if (id === Setting.INITIAL_WINDOW_SIZE) {
            if (v > 0x7fff_ffff) return this.connectionError(ErrorCode.FLOW_CONTROL_ERROR, 'initial window too large');
            const delta = v - this.peerInitialWindow;
            this.peerInitialWindow = v;
            for (const s of this.streams.values()) s.sendWindow += delta;
          } else if (id === Setting.MAX_FRAME_SIZE) {
            if (v < DEFAULT_MAX_FRAME_SIZE || v > 0xff_ffff) return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'bad max frame size');
            this.peerMaxFrame = v;
          }
        }
        this.sendFrame({ type: 'SETTINGS', ack: true, settings: [] });
        this.peerSettingsReceived = true;
        this.handler.onSettings?.(f.settings);
        this.pump();
        return;
      case 'PING':
        if (f.ack) this.handler.onPingAck?.(f.data);
        else this.sendFrame({ type: 'PING', ack: true, data: f.data });
        return;
      case 'GOAWAY':
        this.goaway = { lastStreamId: f.lastStreamId, errorCode: f.errorCode };
        this.handler.onGoaway?.(f.lastStreamId, f.errorCode);
        return;
      case 'WINDOW_UPDATE':
        if (f.increment === 0) return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
        if (f.streamId === 0) this.connSendWindow += f.increment;
        else {
          const s = this.streams.get(f.streamId);
          if (s) {
            s.sendWindow += f.increment;
            if (s.queued > 0 && !this.ready.includes(s.id)) this.ready.push(s.id);
          }
        }
        this.pump();
        return;
      case 'RST_STREAM':
        if (this.streams.has(f.streamId)) {
          this.closeStream(f.streamId);
          this.handler.onReset?.(f.streamId, f.errorCode);
        }
        return;
      case 'HEADERS': {
        if (f.streamId === 0) return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'HEADERS on stream 0');
        const isNew = !this.streams.has(f.streamId);
        if (isNew && this.role === 'client') return; // a response for a stream we reset
        if (isNew) {
          if (f.streamId % 2 === 0 || f.streamId <= this.lastPeerStream) return this.connectionError(ErrorCode.PROTOCOL_ERROR, `bad stream id ${f.streamId}`);
          this.lastPeerStream = f.streamId;
        }
        const s = this.stream(f.streamId);
        s.block = { parts: [f.block], endStream: f.endStream };
        if (f.endHeaders) this.headerBlockDone(s);
        else this.continuationStream = f.streamId;
        return;
      }
      case 'CONTINUATION': {
        const s = this.streams.get(f.streamId);
        if (!s || !s.block || this.continuationStream !== f.streamId) return this.connectionError(ErrorCode.PROTOCOL_ERROR, 'unexpected CONTINUATION');
        s.block.parts.push(f.block);
        if (f.endHeaders) {
          this.continuationStream = 0;
          this.headerBlockDone(s);
        }
        return;
      }
      case 'DATA': {
        this.connRecvConsumed += f.data.length;
        if (this.connRecvConsumed >= this.connWindow / 2) {
          this.sendFrame({ type: 'WINDOW_UPDATE', streamId: 0, increment: this.connRecvConsumed });
          this.connRecvConsumed = 0;
        }
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.recvConsumed += f.data.length;
        if (!f.endStream && s.recvConsumed >= this.localWindow / 2) {
          this.sendFrame({ type: 'WINDOW_UPDATE', streamId: s.id, increment: s.recvConsumed });
          s.recvConsumed = 0;
        }
        if (f.endStream) this.remoteEnd(s);
        this.handler.onData?.(f.streamId, f.data, f.endStream);
        return;
      }
      case 'OTHER':
        return;
    }
  }

  private headerBlockDone(s: Stream): void {
    const parts = s.block!.parts;
    const endStream = s.block!.endStream;
    s.block = undefined;
    const block = concatBytes(...parts);
    let headers: HeaderField[];
    try {
      headers = this.decoder.decode(block);
    } catch (e) {
      return this.connectionError(ErrorCode.COMPRESSION_ERROR, (e as Error).message);
    }
    if (endStream) this.remoteEnd(s);
    this.handler.onHeaders?.(s.id, headers, endStream);
  }

  private remoteEnd(s: Stream): void {
    s.remoteEnded = true;
    if (s.localEnded) this.closeStream(s.id);
  }
}
