/**
 * HTTP/3 (RFC 9114) over a {@link QuicConnection}: each request and its response on one
 * bidirectional stream as HEADERS and DATA frames; each side's control stream carries SETTINGS.
 * Field sections use QPACK (RFC 9204) with the static table and literals only (no dynamic
 * table, so no encoder or decoder streams and no Huffman coding).
 */
import type { QuicConnection } from '../quic/connection';
import { concat, QuicDecodeError, QuicReader, QuicWriter } from '../quic/wire';

const H3_FRAME_DATA = 0x00;
const H3_FRAME_HEADERS = 0x01;
const H3_FRAME_SETTINGS = 0x04;
const H3_STREAM_CONTROL = 0x00;

/** RFC 9204 Appendix A, entries 0-29 (the ones a simple request and response use). */
const QPACK_STATIC: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':path', '/'],
  ['age', '0'],
  ['content-disposition', ''],
  ['content-length', '0'],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['referer', ''],
  ['set-cookie', ''],
  [':method', 'CONNECT'],
  [':method', 'DELETE'],
  [':method', 'GET'],
  [':method', 'HEAD'],
  [':method', 'OPTIONS'],
  [':method', 'POST'],
  [':method', 'PUT'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '103'],
  [':status', '200'],
  [':status', '304'],
  [':status', '404'],
  [':status', '503'],
  ['accept', '*/*'],
];

const enc = new TextEncoder();
const dec = new TextDecoder();

function prefixInt(w: QuicWriter, first: number, bits: number, v: number): void {
  const max = (1 << bits) - 1;
  if (v < max) {
    w.u8(first | v);
    return;
  }
  w.u8(first | max);
  let rest = v - max;
  while (rest >= 128) {
    w.u8((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  w.u8(rest);
}

function readPrefixInt(r: QuicReader, bits: number): number {
  const max = (1 << bits) - 1;
  let v = r.buf[r.pos - 1] & max;
  if (v < max) return v;
  let m = 1;
  for (;;) {
    const b = r.u8('QPACK integer');
    v += (b & 127) * m;
    m *= 128;
    if ((b & 128) === 0) return v;
  }
}

/** QPACK-encodes a field section (static table and literals only). */
function qpackEncode(fields: readonly (readonly [string, string])[]): Uint8Array {
  const w = new QuicWriter().u8(0).u8(0); // Required Insert Count 0, Delta Base 0
  for (const [name, value] of fields) {
    const exact = QPACK_STATIC.findIndex(([n, v]) => n === name && v === value);
    if (exact >= 0) {
      prefixInt(w, 0xc0, 6, exact); // indexed field line, static
      continue;
    }
    const byName = QPACK_STATIC.findIndex(([n]) => n === name);
    const v = enc.encode(value);
    if (byName >= 0)
      prefixInt(w, 0x50, 4, byName); // literal with static name reference
    else {
      const n = enc.encode(name);
      prefixInt(w, 0x20, 3, n.length); // literal with literal name
      w.bytes(n);
    }
    prefixInt(w, 0x00, 7, v.length);
    w.bytes(v);
  }
  return w.finish();
}

/** Decodes a field section this module (or any static-table-only encoder without Huffman) wrote. */
function qpackDecode(b: Uint8Array): [string, string][] {
  const r = new QuicReader(b);
  r.u8();
  r.u8();
  const out: [string, string][] = [];
  const str = (bits: number): string => {
    if ((r.buf[r.pos - 1] & (1 << bits)) !== 0) throw new QuicDecodeError('QPACK: Huffman strings are not supported');
    return dec.decode(r.bytes(readPrefixInt(r, bits)));
  };
  while (r.left > 0) {
    const b0 = r.u8();
    if ((b0 & 0xc0) === 0xc0) {
      const e = QPACK_STATIC[readPrefixInt(r, 6)];
      if (!e) throw new QuicDecodeError('QPACK: static index outside the table');
      out.push([e[0], e[1]]);
    } else if ((b0 & 0xf0) === 0x50) {
      const e = QPACK_STATIC[readPrefixInt(r, 4)];
      if (!e) throw new QuicDecodeError('QPACK: static index outside the table');
      r.u8();
      out.push([e[0], str(7)]);
    } else if ((b0 & 0xe0) === 0x20) {
      const name = str(3);
      r.u8();
      out.push([name, str(7)]);
    } else throw new QuicDecodeError('QPACK: dynamic table references are not supported');
  }
  return out;
}

/** One HTTP/3 frame. */
function h3Frame(type: number, payload: Uint8Array): Uint8Array {
  return new QuicWriter().varint(type).vbytes(payload).finish();
}

/** Splits a stream's bytes into whole frames; returns the frames and the bytes left over. */
function parseH3Frames(buf: Uint8Array): { frames: { type: number; payload: Uint8Array }[]; rest: Uint8Array } {
  const frames: { type: number; payload: Uint8Array }[] = [];
  const r = new QuicReader(buf);
  for (;;) {
    const start = r.pos;
    try {
      const type = r.varint();
      const payload = r.vbytes();
      frames.push({ type, payload });
    } catch {
      return { frames, rest: buf.subarray(start) };
    }
    if (r.left === 0) return { frames, rest: new Uint8Array(0) };
  }
}

/** The control stream's opening: stream type, then SETTINGS (QPACK dynamic table off). */
export function controlStreamPreface(): Uint8Array {
  const settings = new QuicWriter().varint(0x01).varint(0).varint(0x07).varint(0).finish(); // QPACK_MAX_TABLE_CAPACITY 0, BLOCKED_STREAMS 0
  return concat(new QuicWriter().varint(H3_STREAM_CONTROL).finish(), h3Frame(H3_FRAME_SETTINGS, settings));
}

/** A request or response as it arrives on one stream. */
export class H3Message {
  headers: [string, string][] | undefined;
  body: Uint8Array[] = [];
  bodyBytes = 0;
  private buf: Uint8Array = new Uint8Array(0);

  /** Feeds stream bytes; returns true when the HEADERS frame has just completed. */
  push(data: Uint8Array): boolean {
    this.buf = concat(this.buf, data);
    const { frames, rest } = parseH3Frames(this.buf);
    this.buf = rest;
    let gotHeaders = false;
    for (const f of frames) {
      if (f.type === H3_FRAME_HEADERS && !this.headers) {
        this.headers = qpackDecode(f.payload);
        gotHeaders = true;
      } else if (f.type === H3_FRAME_DATA) {
        this.body.push(f.payload);
        this.bodyBytes += f.payload.length;
      }
    }
    return gotHeaders;
  }

  header(name: string): string | undefined {
    return this.headers?.find(([n]) => n === name)?.[1];
  }
}

/** A request's pseudo-header values and header fields (names sent lower-case). */
export interface H3Request {
  readonly method: string;
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

/** Sends a request (HEADERS, stream end) on a new stream; returns its id. */
export function sendH3Request(c: QuicConnection, req: H3Request): number {
  const id = c.openStream();
  const fields: [string, string][] = [
    [':method', req.method],
    [':scheme', req.scheme],
    [':authority', req.authority],
    [':path', req.path],
    ...req.headers.map((h) => [h.name.toLowerCase(), h.value] as [string, string]),
  ];
  c.write(id, h3Frame(H3_FRAME_HEADERS, qpackEncode(fields)), true);
  return id;
}

/**
 * Sends a response (HEADERS, DATA, stream end) on the request's stream. `headOnly` (the answer to
 * HEAD): the same HEADERS, content-length included, and no DATA frame.
 */
export function sendH3Response(c: QuicConnection, id: number, status: number, contentType: string, body: Uint8Array, headOnly = false): void {
  const fields: [string, string][] = [
    [':status', String(status)],
    ['content-type', contentType],
    ['content-length', String(body.length)],
  ];
  const headers = h3Frame(H3_FRAME_HEADERS, qpackEncode(fields));
  c.write(id, headOnly ? headers : concat(headers, h3Frame(H3_FRAME_DATA, body)), true);
}
