/**
 * The client side of one HTTP connection, whatever the version: HTTP/0.9 and HTTP/1.0 (one request,
 * then the server closes), HTTP/1.1 (keep-alive; requests one at a time, or pipelined: all sent at
 * once, answered in order), and HTTP/2 (every request a stream, multiplexed). Used by curl, the
 * page loader and the reverse proxy.
 */
import type { HeaderField } from '../http2/hpack';
import { Http2Connection } from '../http2/connection';
import { errorName } from '../http2/frame';
import { encodeRequest, ResponseParser, type HttpHeader, type HttpRequest } from './http1';
import type { HttpStream } from './stream';

/** The HTTP versions a client speaks. `h2` is HTTP/2 (over TLS with ALPN, or h2c with prior knowledge). */
export type HttpProtocol = 'HTTP/0.9' | 'HTTP/1.0' | 'HTTP/1.1' | 'h2';

/** A request as the apps make it. */
export interface ClientRequest {
  readonly method: string;
  readonly path: string;
  /** Host (and port when not the default): the `Host` header or `:authority`. */
  readonly authority: string;
  readonly scheme: 'http' | 'https';
  /** Extra headers, after Host (lower-case names for HTTP/2). */
  readonly headers: readonly HttpHeader[];
}

/** A complete response. */
export interface ClientResponse {
  /** `HTTP/1.1`, `HTTP/2`, … as curl prints it. */
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly HttpHeader[];
  readonly body: Uint8Array;
}

/** Progress of one request. Every callback is optional. */
export interface ResponseHandler {
  /** The request's bytes went to the transport. */
  onSent?(): void;
  /** The status line and headers arrived (the first byte arrived just before). */
  onHead?(r: Omit<ClientResponse, 'body'>): void;
  onData?(bytes: number): void;
  onDone?(r: ClientResponse): void;
  /** The request failed: `error` as text, `kind` as data. */
  onError?(error: string, kind: HttpErrorKind): void;
}

/**
 * Why a request failed: a reset HTTP/2 or HTTP/3 stream, the connection closing normally before
 * the response ended (`closed`) or with a transport error (`connection-error`, its text as the
 * error), or a reply that is not HTTP.
 */
export type HttpErrorKind = 'stream-reset' | 'closed' | 'connection-error' | 'malformed';

interface Pending {
  req: ClientRequest;
  handler: ResponseHandler;
  sent: boolean;
  streamId?: number;
  head?: Omit<ClientResponse, 'body'>;
  parts?: Uint8Array[];
}

const dec = new TextDecoder();

/** The lines `> GET / HTTP/1.1`, `> Host: …` curl -v prints for a request (without the `> `); `h3` is HTTP/3. */
export function requestLines(protocol: HttpProtocol | 'h3', req: ClientRequest): string[] {
  if (protocol === 'HTTP/0.9') return [`${req.method} ${req.path}`];
  const version = protocol === 'h2' ? 'HTTP/2' : protocol === 'h3' ? 'HTTP/3' : protocol;
  return [`${req.method} ${req.path} ${version}`, `Host: ${req.authority}`, ...req.headers.map((h) => `${h.name}: ${h.value}`)];
}

/** One client connection over a stream (TCP or TLS) that is open. */
export class HttpClientConnection {
  private readonly queue: Pending[] = [];
  private readonly parser = new ResponseParser();
  private readonly h2: Http2Connection | undefined;
  private readonly byStream = new Map<number, Pending>();
  /** Requests sent over this connection so far. */
  used = 0;
  /** Set once the connection can take no more requests (closed, or HTTP/1.0 used). */
  done = false;
  /** Called when the connection is finished (closed by either side). */
  onClosed?: (error?: string) => void;

  constructor(
    readonly stream: HttpStream,
    readonly protocol: HttpProtocol,
    private readonly options: { pipeline?: boolean; http2Window?: number; http2ConnectionWindow?: number } = {},
  ) {
    stream.handler = {
      ...stream.handler,
      onData: (_s, d) => this.data(d),
      onEnd: () => this.end(),
      onClose: (_s, e) => this.closed(e),
    };
    if (protocol === 'h2') {
      this.h2 = new Http2Connection(
        'client',
        {
          send: (b) => stream.send(b),
          onHeaders: (id, headers, endStream) => this.h2Headers(id, headers, endStream),
          onData: (id, data, endStream) => this.h2Data(id, data, endStream),
          onReset: (id, code) => this.h2Fail(id, `HTTP/2 stream ${id} was not closed cleanly: ${errorName(code)} (err ${code})`, 'stream-reset'),
          onGoaway: () => {
            this.done = true;
          },
        },
        { initialWindow: options.http2Window, connectionWindow: options.http2ConnectionWindow },
      );
      this.h2.start();
    }
  }

  /** Requests waiting for (or receiving) their response. */
  get outstanding(): number {
    return this.queue.length + this.byStream.size;
  }

  /** Whether a new request may be sent now without waiting (HTTP/2 always; HTTP/1.1 when idle or pipelining). */
  get available(): boolean {
    if (this.done) return false;
    if (this.h2) return true;
    if (this.protocol !== 'HTTP/1.1') return this.used === 0;
    return this.options.pipeline === true || this.queue.length === 0;
  }

  /** Sends (or, HTTP/1.1 without pipelining, queues) a request. */
  request(req: ClientRequest, handler: ResponseHandler): void {
    const p: Pending = { req, handler, sent: false };
    this.used++;
    if (this.h2) {
      const headers: HeaderField[] = [
        { name: ':method', value: req.method },
        { name: ':path', value: req.path },
        { name: ':scheme', value: req.scheme },
        { name: ':authority', value: req.authority },
        ...req.headers.map((h) => ({ name: h.name.toLowerCase(), value: h.value })),
      ];
      const id = this.h2.request(headers);
      p.streamId = id;
      p.sent = true;
      this.byStream.set(id, p);
      handler.onSent?.();
      return;
    }
    if (this.protocol !== 'HTTP/1.1') this.done = true;
    this.queue.push(p);
    if (this.options.pipeline || this.queue.length === 1) this.sendHttp1(p);
  }

  /** Runs `fn` (which sends requests) so that HTTP/2 sends them in one burst. */
  batch(fn: () => void): void {
    if (this.h2) this.h2.batch(fn);
    else fn();
  }

  /** Closes the connection (GOAWAY first for HTTP/2). */
  close(): void {
    this.done = true;
    this.h2?.close();
    this.stream.close();
  }

  private sendHttp1(p: Pending): void {
    const version = this.protocol === 'h2' ? 'HTTP/1.1' : this.protocol;
    const r: HttpRequest = {
      method: p.req.method,
      target: p.req.path,
      version,
      headers: [{ name: 'Host', value: p.req.authority }, ...p.req.headers],
      body: new Uint8Array(0),
    };
    this.parser.expect({ head: p.req.method === 'HEAD', simple: this.protocol === 'HTTP/0.9' });
    p.sent = true;
    this.stream.send(encodeRequest(r));
    p.handler.onSent?.();
  }

  private data(d: Uint8Array): void {
    if (this.h2) {
      this.h2.feed(d);
      return;
    }
    for (const e of this.parser.push(d)) this.http1Event(e);
    if (this.parser.error) this.fail(`Unsupported HTTP response: ${this.parser.error}`, 'malformed');
  }

  private http1Event(e: ReturnType<ResponseParser['push']>[number]): void {
    const p = this.queue[0];
    if (!p) return;
    switch (e.type) {
      case 'head':
        p.head = { version: e.response.version, status: e.response.status, reason: e.response.reason, headers: e.response.headers };
        p.handler.onHead?.(p.head);
        break;
      case 'body':
        p.handler.onData?.(e.bytes);
        break;
      case 'done': {
        this.queue.shift();
        const conn = e.response.headers.find((h) => h.name.toLowerCase() === 'connection')?.value.toLowerCase();
        if (conn === 'close') this.done = true;
        p.handler.onDone?.({ ...p.head!, body: e.response.body });
        const next = this.queue[0];
        if (next && !next.sent && !this.done) this.sendHttp1(next);
        break;
      }
    }
  }

  private end(): void {
    this.done = true;
    if (!this.h2) for (const e of this.parser.end()) this.http1Event(e);
    this.stream.close();
  }

  private closed(error?: string): void {
    this.done = true;
    this.fail(error ?? 'Connection closed before the response', error === undefined ? 'closed' : 'connection-error');
    this.onClosed?.(error);
  }

  private fail(error: string, kind: HttpErrorKind): void {
    const all = [...this.queue, ...this.byStream.values()];
    this.queue.length = 0;
    this.byStream.clear();
    for (const p of all) p.handler.onError?.(error, kind);
  }

  private h2Headers(id: number, headers: HeaderField[], endStream: boolean): void {
    const p = this.byStream.get(id);
    if (!p) return;
    const status = Number(headers.find((h) => h.name === ':status')?.value ?? 0);
    p.head = { version: 'HTTP/2', status, reason: '', headers: headers.filter((h) => !h.name.startsWith(':')) };
    p.parts = [];
    p.handler.onHead?.(p.head);
    if (endStream) this.h2Finish(id, p);
  }

  private h2Data(id: number, data: Uint8Array, endStream: boolean): void {
    const p = this.byStream.get(id);
    if (!p) return;
    p.parts!.push(data);
    if (data.length) p.handler.onData?.(data.length);
    if (endStream) this.h2Finish(id, p);
  }

  private h2Finish(id: number, p: Pending): void {
    this.byStream.delete(id);
    let n = 0;
    for (const x of p.parts ?? []) n += x.length;
    const body = new Uint8Array(n);
    let at = 0;
    for (const x of p.parts ?? []) {
      body.set(x, at);
      at += x.length;
    }
    p.handler.onDone?.({ ...p.head!, body });
  }

  private h2Fail(id: number, error: string, kind: HttpErrorKind): void {
    const p = this.byStream.get(id);
    if (!p) return;
    this.byStream.delete(id);
    p.handler.onError?.(error, kind);
  }
}

/** Body bytes as text when they are text (for curl's output), else undefined. */
export function bodyText(b: Uint8Array): string | undefined {
  for (const c of b) if (c < 9 || (c > 13 && c < 32) || c === 127) return undefined;
  return dec.decode(b);
}
