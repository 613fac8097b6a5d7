/**
 * The server side of one HTTP connection: reads requests (HTTP/0.9, 1.0, 1.1, or HTTP/2 when the
 * client starts with the h2c preface or TLS negotiated `h2`), hands each to the application, and
 * writes the answers. HTTP/1.x answers go out in request order, so a slow answer holds back every
 * answer behind it on that connection (head-of-line blocking); HTTP/2 answers go out as they are
 * ready, each on its stream.
 */
import { Http2Connection } from '../http2/connection';
import { CONNECTION_PREFACE } from '../http2/frame';
import { encodeResponse, headerValue, RequestParser, STATUS_REASONS, type HttpHeader, type HttpVersion } from './http1';
import type { HttpStream } from './stream';

/** A request as the application sees it. */
export interface ServerRequest {
  readonly method: string;
  readonly path: string;
  /** `HTTP/1.1`, or `HTTP/2`. */
  readonly version: HttpVersion | 'HTTP/2';
  /** Host header or :authority. */
  readonly authority: string;
  /** Headers without HTTP/2 pseudo-headers. */
  readonly headers: readonly HttpHeader[];
}

/** An answer. `headers` should not include Content-Length or Connection: they are added. */
export interface ServerResponse {
  readonly status: number;
  readonly headers: readonly HttpHeader[];
  readonly body: Uint8Array;
}

/** Called for each request; call `respond` once, now or later. */
export type RequestHandler = (req: ServerRequest, respond: (r: ServerResponse) => void) => void;

/**
 * HTTP/2 DATA goes to TCP only while less than this is unacknowledged, so the server picks the
 * next frame (round robin over streams) as the connection drains, instead of queueing whole
 * responses one after the other (like a socket send buffer).
 */
const H2_SEND_BUFFER = 65536;
/** DATA frame size the server writes (nginx's http2_chunk_size default). */
const H2_CHUNK = 8192;

interface Slot {
  req: ServerRequest;
  keepAlive: boolean;
  response?: ServerResponse;
}

/** Serves one accepted stream until it closes. */
export class HttpServerConnection {
  private mode: 'unknown' | 'http1' | 'h2' = 'unknown';
  private readonly parser = new RequestParser();
  private readonly slots: Slot[] = [];
  private h2: Http2Connection | undefined;
  private closing = false;
  private pending = new Uint8Array(0);
  /** Requests read on this connection. */
  requests = 0;

  constructor(
    readonly stream: HttpStream,
    private readonly onRequest: RequestHandler,
    /** With TLS, the ALPN protocol the handshake chose. */
    alpn?: string,
  ) {
    stream.handler = {
      ...stream.handler,
      onData: (_s, d) => this.data(d),
      onEnd: () => this.peerEnded(),
    };
    if (alpn === 'h2') this.startH2();
    else if (alpn) this.mode = 'http1';
  }

  private startH2(): void {
    this.mode = 'h2';
    const h2 = new Http2Connection(
      'server',
      {
        send: (b) => this.stream.send(b),
        onHeaders: (id, headers) => {
          const get = (n: string) => headers.find((h) => h.name === n)?.value ?? '';
          const req: ServerRequest = {
            method: get(':method'),
            path: get(':path'),
            version: 'HTTP/2',
            authority: get(':authority'),
            headers: headers.filter((h) => !h.name.startsWith(':')),
          };
          this.requests++;
          this.onRequest(req, (r) => {
            h2.respond(
              id,
              [
                { name: ':status', value: String(r.status) },
                ...r.headers.map((h) => ({ name: h.name.toLowerCase(), value: h.value })),
                ...(req.method === 'HEAD' || r.body.length === 0 ? [] : [{ name: 'content-length', value: String(r.body.length) }]),
              ],
              req.method === 'HEAD' ? undefined : r.body,
            );
          });
        },
        onGoaway: () => this.stream.close(),
        onError: () => this.stream.close(),
        sendBudget: () => H2_SEND_BUFFER - this.stream.bufferedAmount,
      },
      { chunkSize: H2_CHUNK },
    );
    this.h2 = h2;
    this.stream.handler.onDrain = () => h2.resume();
    h2.start();
  }

  private data(d: Uint8Array): void {
    if (this.mode === 'unknown') {
      const b = new Uint8Array(this.pending.length + d.length);
      b.set(this.pending);
      b.set(d, this.pending.length);
      const n = Math.min(b.length, CONNECTION_PREFACE.length);
      let prefix = true;
      for (let i = 0; i < n; i++) if (b[i] !== CONNECTION_PREFACE[i]) prefix = false;
      if (prefix && b.length < CONNECTION_PREFACE.length) {
        this.pending = b;
        return;
      }
      this.pending = new Uint8Array(0);
      if (prefix) this.startH2();
      else this.mode = 'http1';
      d = b;
    }
    if (this.h2) {
      this.h2.feed(d);
      return;
    }
    if (this.closing) return;
    for (const r of this.parser.push(d)) this.http1Request(r);
    if (this.parser.error) {
      this.slots.push({
        req: { method: '', path: '', version: 'HTTP/1.1', authority: '', headers: [] },
        keepAlive: false,
        response: { status: 400, headers: [{ name: 'Content-Type', value: 'text/plain' }], body: new TextEncoder().encode('Bad Request\n') },
      });
      this.closing = true;
      this.flush();
    }
  }

  private http1Request(r: ReturnType<RequestParser['push']>[number]): void {
    const conn = headerValue(r.headers, 'connection')?.toLowerCase();
    const keepAlive = r.version === 'HTTP/1.1' ? conn !== 'close' : r.version === 'HTTP/1.0' && conn === 'keep-alive';
    const slot: Slot = {
      req: { method: r.method, path: r.target, version: r.version, authority: headerValue(r.headers, 'host') ?? '', headers: r.headers },
      keepAlive,
    };
    this.slots.push(slot);
    this.requests++;
    if (!keepAlive) this.closing = true; // ignore anything pipelined after a closing request
    this.onRequest(slot.req, (res) => {
      slot.response = res;
      this.flush();
    });
  }

  /** Writes the answers that are ready, in request order. */
  private flush(): void {
    while (this.slots.length > 0 && this.slots[0].response) {
      const s = this.slots.shift()!;
      const res = s.response!;
      const v = s.req.version === 'HTTP/2' ? 'HTTP/1.1' : s.req.version;
      const headers: HttpHeader[] = [...res.headers];
      if (v !== 'HTTP/0.9') {
        headers.push({ name: 'Content-Length', value: String(res.body.length) });
        if (v === 'HTTP/1.0' && s.keepAlive) headers.push({ name: 'Connection', value: 'keep-alive' });
        if (v === 'HTTP/1.1' && !s.keepAlive) headers.push({ name: 'Connection', value: 'close' });
      }
      this.stream.send(
        encodeResponse({
          version: v,
          status: res.status,
          reason: STATUS_REASONS[res.status] ?? '',
          headers,
          body: s.req.method === 'HEAD' ? new Uint8Array(0) : res.body,
        }),
      );
      if (!s.keepAlive) {
        this.slots.length = 0;
        this.stream.close();
        return;
      }
    }
  }

  private peerEnded(): void {
    if (this.h2) {
      this.stream.close();
      return;
    }
    this.closing = true;
    if (this.slots.length === 0) this.stream.close();
    else this.slots[this.slots.length - 1].keepAlive = false;
  }
}
