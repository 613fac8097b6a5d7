/**
 * HTTP/0.9, HTTP/1.0 and HTTP/1.1 messages (RFC 1945, RFC 9112): the model, the bytes, incremental
 * parsers for a byte stream, and the inspector's view of one TCP segment.
 *
 * Simplifications (also in {@link HTTP1_NOTES}): bodies are delimited by Content-Length or by the
 * connection closing; chunked transfer coding is not produced and not decoded; header folding
 * (obs-fold) is rejected; no trailers, no 1xx interim responses, no Expect: 100-continue.
 */
import type { Codec, Decoded, Field, Layer } from '../codec';
import { bytesLabel } from '../format';

export type HttpVersion = 'HTTP/0.9' | 'HTTP/1.0' | 'HTTP/1.1';

export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpRequest {
  method: string;
  /** The request target as sent: `/`, `/img/1.png`. */
  target: string;
  version: HttpVersion;
  headers: HttpHeader[];
  body: Uint8Array;
}

export interface HttpResponse {
  version: HttpVersion;
  status: number;
  reason: string;
  headers: HttpHeader[];
  body: Uint8Array;
}

/** Where this model departs from the RFCs, shown with every HTTP layer. */
const HTTP1_NOTES: readonly string[] = [
  'Model: bodies are delimited by Content-Length or by the server closing the connection; no chunked transfer coding, trailers, 1xx responses or header folding.',
  'Each TCP segment is dissected on its own (no reassembly): a segment that starts inside a message shows as a continuation.',
];

const CRLF = '\r\n';
const enc = new TextEncoder();
const latin1 = (b: Uint8Array, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
};

/** Reason phrases for the status codes the apps use. */
export const STATUS_REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** The value of the first header named `name` (case-insensitive). */
export function headerValue(headers: readonly HttpHeader[], name: string): string | undefined {
  const n = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === n) return h.value;
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function headBytes(head: string, body: Uint8Array): Uint8Array {
  return concat(enc.encode(head), body);
}

/** A request as bytes. HTTP/0.9 is the bare `GET /path` line (no version, no headers). */
export function encodeRequest(r: HttpRequest): Uint8Array {
  if (r.version === 'HTTP/0.9') return enc.encode(`${r.method} ${r.target}${CRLF}`);
  let head = `${r.method} ${r.target} ${r.version}${CRLF}`;
  for (const h of r.headers) head += `${h.name}: ${h.value}${CRLF}`;
  return headBytes(head + CRLF, r.body);
}

/** A response as bytes. HTTP/0.9 is the body alone (the server then closes the connection). */
export function encodeResponse(r: HttpResponse): Uint8Array {
  if (r.version === 'HTTP/0.9') return r.body.slice();
  let head = `${r.version} ${r.status} ${r.reason}${CRLF}`;
  for (const h of r.headers) head += `${h.name}: ${h.value}${CRLF}`;
  return headBytes(head + CRLF, r.body);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Index of the first byte after `\r\n\r\n` at or after `from`, or -1. */
function headEnd(b: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i + 4;
  }
  return -1;
}

function lineEnd(b: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 1 < to; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

function parseHeaders(lines: string[]): HttpHeader[] | string {
  const out: HttpHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `bad header line "${line}"`;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return `bad header name "${name}"`;
    out.push({ name, value: line.slice(colon + 1).trim() });
  }
  return out;
}

function contentLength(headers: readonly HttpHeader[]): number | undefined | string {
  const v = headerValue(headers, 'content-length');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) return `bad Content-Length "${v}"`;
  return Number(v);
}

const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+)(?: (HTTP\/1\.[01]))?$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/;

/** Parses a whole request at `offset` (head and Content-Length body). */
export function decodeRequest(b: Uint8Array, offset = 0, end = b.length): Decoded<HttpRequest> {
  const le = lineEnd(b, offset, end);
  if (le < 0) return { ok: false, error: 'HTTP: no complete request line' };
  const m = REQUEST_LINE.exec(latin1(b, offset, le));
  if (!m) return { ok: false, error: 'HTTP: not a request line' };
  if (!m[3]) {
    return { ok: true, value: { method: m[1], target: m[2], version: 'HTTP/0.9', headers: [], body: new Uint8Array(0) }, length: le + 2 - offset };
  }
  const he = headEnd(b, offset, end);
  if (he < 0) return { ok: false, error: 'HTTP: headers do not end' };
  const lines = latin1(b, le + 2, he - 4);
  const headers = parseHeaders(lines ? lines.split(CRLF) : []);
  if (typeof headers === 'string') return { ok: false, error: `HTTP: ${headers}` };
  const cl = contentLength(headers);
  if (typeof cl === 'string') return { ok: false, error: `HTTP: ${cl}` };
  const n = cl ?? 0;
  if (he + n > end) return { ok: false, error: `HTTP: body shorter than Content-Length ${n}` };
  return { ok: true, value: { method: m[1], target: m[2], version: m[3] as HttpVersion, headers, body: b.slice(he, he + n) }, length: he + n - offset };
}

/** Parses a whole response at `offset`; without Content-Length the body runs to `end`. */
export function decodeResponse(b: Uint8Array, offset = 0, end = b.length, opts: { head?: boolean } = {}): Decoded<HttpResponse> {
  const le = lineEnd(b, offset, end);
  if (le < 0) return { ok: false, error: 'HTTP: no complete status line' };
  const m = STATUS_LINE.exec(latin1(b, offset, le));
  if (!m) return { ok: false, error: 'HTTP: not a status line' };
  const he = headEnd(b, offset, end);
  if (he < 0) return { ok: false, error: 'HTTP: headers do not end' };
  const lines = latin1(b, le + 2, he - 4);
  const headers = parseHeaders(lines ? lines.split(CRLF) : []);
  if (typeof headers === 'string') return { ok: false, error: `HTTP: ${headers}` };
  const status = Number(m[2]);
  const cl = contentLength(headers);
  if (typeof cl === 'string') return { ok: false, error: `HTTP: ${cl}` };
  const noBody = opts.head || status === 204 || status === 304 || (status >= 100 && status < 200);
  const n = noBody ? 0 : (cl ?? end - he);
  if (he + n > end) return { ok: false, error: `HTTP: body shorter than Content-Length ${n}` };
  return {
    ok: true,
    value: { version: m[1] as HttpVersion, status, reason: m[3] ?? '', headers, body: b.slice(he, he + n) },
    length: he + n - offset,
  };
}

// ------------------------------------------------------------------ stream parsers

/** Errors that only mean "more bytes needed". */
const INCOMPLETE = ['HTTP: no complete', 'HTTP: headers do not end', 'HTTP: body shorter'];

/** Collects a byte stream and splits it into requests (a server's side of a connection). */
export class RequestParser {
  private buf: Uint8Array = new Uint8Array(0);
  /** Set once the stream held something that is not HTTP/1.x. */
  error: string | undefined;

  /** Bytes as they arrive; returns every request they complete, in order. */
  push(data: Uint8Array): HttpRequest[] {
    this.buf = concat(this.buf, data);
    const out: HttpRequest[] = [];
    while (!this.error && this.buf.length > 0) {
      const d = decodeRequest(this.buf);
      if (!d.ok) {
        if (!INCOMPLETE.some((e) => d.error.startsWith(e))) this.error = d.error;
        break;
      }
      out.push(d.value);
      this.buf = this.buf.slice(d.length);
    }
    return out;
  }

  /** Bytes received that are not yet a whole request. */
  get pending(): Uint8Array {
    return this.buf;
  }
}

/** What a client expects back for one request it sent. */
export interface ResponseExpectation {
  /** A HEAD request: the response has no body whatever its headers say. */
  head: boolean;
  /** An HTTP/0.9 request: the response is the body alone, ended by the close. */
  simple: boolean;
}

/** Progress of the response at the front of the queue. */
export type ResponseEvent =
  | { type: 'head'; response: HttpResponse; contentLength: number | undefined }
  | { type: 'body'; bytes: number; received: number }
  | { type: 'done'; response: HttpResponse };

/**
 * A client's side of an HTTP/1.x connection: responses arrive in the order the requests went out
 * (pipelining included), each one matched to its {@link ResponseExpectation}.
 */
export class ResponseParser {
  private buf: Uint8Array = new Uint8Array(0);
  private readonly queue: ResponseExpectation[] = [];
  private current: { response: HttpResponse; length: number | undefined; parts: Uint8Array[]; got: number } | undefined;
  error: string | undefined;

  /** A request went out: its response comes after those already expected. */
  expect(e: ResponseExpectation): void {
    this.queue.push(e);
  }

  /** Responses still owed. */
  get outstanding(): number {
    return this.queue.length;
  }

  push(data: Uint8Array): ResponseEvent[] {
    this.buf = concat(this.buf, data);
    const out: ResponseEvent[] = [];
    while (!this.error && this.queue.length > 0) {
      const exp = this.queue[0];
      if (!this.current) {
        if (exp.simple) {
          this.current = {
            response: { version: 'HTTP/0.9', status: 200, reason: '', headers: [], body: new Uint8Array(0) },
            length: undefined,
            parts: [],
            got: 0,
          };
          out.push({ type: 'head', response: this.current.response, contentLength: undefined });
        } else {
          const he = headEnd(this.buf, 0, this.buf.length);
          if (he < 0) {
            if (this.buf.length >= 5 && latin1(this.buf, 0, 5) !== 'HTTP/') this.error = 'HTTP: response does not start with a status line';
            break;
          }
          const d = decodeResponse(this.buf, 0, he, { head: true });
          if (!d.ok) {
            this.error = d.error;
            break;
          }
          const r = d.value;
          const cl = contentLength(r.headers);
          const noBody = exp.head || r.status === 204 || r.status === 304;
          const length = noBody ? 0 : typeof cl === 'number' ? cl : undefined;
          this.current = { response: r, length, parts: [], got: 0 };
          this.buf = this.buf.slice(he);
          out.push({ type: 'head', response: r, contentLength: length });
        }
      }
      const c = this.current;
      const want = c.length === undefined ? this.buf.length : Math.min(this.buf.length, c.length - c.got);
      if (want > 0) {
        c.parts.push(this.buf.slice(0, want));
        c.got += want;
        this.buf = this.buf.slice(want);
        out.push({ type: 'body', bytes: want, received: c.got });
      }
      if (c.length !== undefined && c.got >= c.length) out.push(this.finish());
      else break;
    }
    return out;
  }

  /** The connection closed: a close-delimited body is complete. Returns its `done` event, if any. */
  end(): ResponseEvent[] {
    if (this.current && this.current.length === undefined) return [this.finish()];
    return [];
  }

  private finish(): ResponseEvent {
    const c = this.current!;
    this.current = undefined;
    this.queue.shift();
    let body: Uint8Array = new Uint8Array(c.got);
    let at = 0;
    for (const p of c.parts) {
      body.set(p, at);
      at += p.length;
    }
    if (c.parts.length === 1) body = c.parts[0];
    const response = { ...c.response, body };
    return { type: 'done', response };
  }
}

// ------------------------------------------------------------------ inspector

const HEADER_KEYS: Readonly<Record<string, string>> = {
  host: 'http.host',
  'user-agent': 'http.user_agent',
  accept: 'http.accept',
  connection: 'http.connection',
  'content-length': 'http.content_length_header',
  'content-type': 'http.content_type',
  server: 'http.server',
  'cache-control': 'http.cache_control',
  date: 'http.date',
  age: 'http.age',
  via: 'http.via',
  'x-cache': 'http.x_cache',
};

/** Whether the bytes at `offset` begin an HTTP/1.x request or status line. */
export function startsHttp1(b: Uint8Array, offset: number, end: number): 'request' | 'response' | undefined {
  const le = lineEnd(b, offset, Math.min(end, offset + 8192));
  const stop = le < 0 ? Math.min(end, offset + 64) : le;
  const line = latin1(b, offset, stop);
  if (/^HTTP\/1\.[01] \d{3}/.test(line)) return 'response';
  if (le >= 0 && REQUEST_LINE.test(line) && !line.startsWith('PRI * HTTP/2.0')) return 'request';
  return undefined;
}

/** Wireshark's Info text for the message starting at `offset`: `GET / HTTP/1.1 ` or `HTTP/1.1 200 OK  (text/html)`. */
export function http1Summary(b: Uint8Array, offset: number, end: number): string {
  const le = lineEnd(b, offset, end);
  const line = latin1(b, offset, le < 0 ? end : le);
  if (line.startsWith('HTTP/')) {
    const he = headEnd(b, offset, end);
    const headers =
      he < 0
        ? []
        : parseHeaders(
            latin1(b, le + 2, he - 4)
              .split(CRLF)
              .filter(Boolean),
          );
    const ct = typeof headers === 'string' ? undefined : headerValue(headers, 'content-type');
    return ct ? `${line}  (${ct})` : `${line} `;
  }
  return `${line} `;
}

/**
 * The inspector layer for the HTTP/1.x bytes `[offset, end)` of one segment: the start line, each
 * header line, and the body that is in this segment.
 */
export function describeHttp1(b: Uint8Array, offset = 0, end = b.length): Layer | { error: string } {
  const kind = startsHttp1(b, offset, end);
  if (!kind) {
    return {
      protocol: 'http',
      title: 'Hypertext Transfer Protocol',
      offset,
      length: end - offset,
      fields: [{ key: 'http.continuation', label: 'Continuation', value: bytesLabel(end - offset), offset, length: end - offset }],
      notes: HTTP1_NOTES,
    };
  }
  const fields: Field[] = [];
  const le = lineEnd(b, offset, end);
  const first = latin1(b, offset, le);
  const parts = first.split(' ');
  const children: Field[] =
    kind === 'request'
      ? [
          { key: 'http.request.method', label: 'Request Method', value: parts[0], offset, length: parts[0].length },
          { key: 'http.request.uri', label: 'Request URI', value: parts[1] ?? '', offset: offset + parts[0].length + 1, length: (parts[1] ?? '').length },
          ...(parts[2]
            ? [{ key: 'http.request.version', label: 'Request Version', value: parts[2], offset: le - parts[2].length, length: parts[2].length }]
            : []),
        ]
      : [
          { key: 'http.response.version', label: 'Response Version', value: parts[0], offset, length: parts[0].length },
          { key: 'http.response.code', label: 'Status Code', value: parts[1] ?? '', offset: offset + parts[0].length + 1, length: 3 },
          {
            key: 'http.response.phrase',
            label: 'Response Phrase',
            value: parts.slice(2).join(' '),
            offset: offset + parts[0].length + 5,
            length: Math.max(0, le - offset - parts[0].length - 5),
          },
        ];
  fields.push({
    key: kind === 'request' ? 'http.request.line' : 'http.response.line',
    label: first,
    value: `${first}\\r\\n`,
    offset,
    length: le + 2 - offset,
    children,
  });
  const he = headEnd(b, offset, end);
  let at = le + 2;
  const stop = he < 0 ? end : he - 2;
  while (at < stop) {
    const e = lineEnd(b, at, end);
    if (e < 0) break;
    const line = latin1(b, at, e);
    const name = line.slice(0, Math.max(0, line.indexOf(':'))).toLowerCase();
    fields.push({
      key: HEADER_KEYS[name] ?? (kind === 'request' ? 'http.request.line' : 'http.response.line'),
      label: line,
      value: `${line}\\r\\n`,
      offset: at,
      length: e + 2 - at,
    });
    at = e + 2;
  }
  if (he >= 0) {
    fields.push({ key: 'http.end_of_headers', label: '\\r\\n', value: '\\r\\n', offset: he - 2, length: 2 });
    if (end > he) fields.push({ key: 'http.file_data', label: 'File Data', value: bytesLabel(end - he), offset: he, length: end - he });
  }
  return { protocol: 'http', title: 'Hypertext Transfer Protocol', offset, length: end - offset, fields, notes: HTTP1_NOTES };
}

/** Codec for a whole HTTP/1.x request. */
export const httpRequest: Codec<HttpRequest> = {
  protocol: 'http',
  encode: encodeRequest,
  decode: (bytes, offset = 0) => decodeRequest(bytes, offset),
  byteLength: (r) => encodeRequest(r).length,
  describe: (bytes, offset = 0) => describeHttp1(bytes, offset),
};

/** Codec for a whole HTTP/1.x response (HTTP/0.9's bare body cannot be decoded on its own). */
export const httpResponse: Codec<HttpResponse> = {
  protocol: 'http',
  encode: encodeResponse,
  decode: (bytes, offset = 0) => decodeResponse(bytes, offset),
  byteLength: (r) => encodeResponse(r).length,
  describe: (bytes, offset = 0) => describeHttp1(bytes, offset),
};
