/**
 * HTTP/2 framing (RFC 9113 §4, §6): the 9-byte frame header and the frame types this model sends
 * and reads, as a codec with `encode`, `decode`, `byteLength` and `describe`, plus the inspector's
 * view of the frames in one TCP segment.
 */
import { readU16, readU32, writeU32 } from '../bytes';
import type { Codec, Decoded, Field, Layer } from '../codec';
import { bytesLabel, hex } from '../format';
import { HpackDecoder } from './hpack';

export const FRAME_HEADER_BYTES = 9;
/** The client connection preface (RFC 9113 §3.4). */
export const CONNECTION_PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Default SETTINGS_MAX_FRAME_SIZE and the initial flow-control window. */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const DEFAULT_WINDOW = 65535;

const FrameType = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

const FRAME_TYPE_NAMES: readonly string[] = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION',
];

const FLAG_END_STREAM = 0x1;
const FLAG_ACK = 0x1;
const FLAG_END_HEADERS = 0x4;
const FLAG_PADDED = 0x8;
const FLAG_PRIORITY = 0x20;

export const Setting = {
  HEADER_TABLE_SIZE: 1,
  ENABLE_PUSH: 2,
  MAX_CONCURRENT_STREAMS: 3,
  INITIAL_WINDOW_SIZE: 4,
  MAX_FRAME_SIZE: 5,
  MAX_HEADER_LIST_SIZE: 6,
} as const;

const SETTING_NAMES: Readonly<Record<number, string>> = {
  1: 'Header table size',
  2: 'Enable PUSH',
  3: 'Max concurrent streams',
  4: 'Initial Windows size',
  5: 'Max frame size',
  6: 'Max header list size',
};

/** Error codes (RFC 9113 §7). */
export const ErrorCode = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  SETTINGS_TIMEOUT: 4,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
  CONNECT_ERROR: 10,
  ENHANCE_YOUR_CALM: 11,
  INADEQUATE_SECURITY: 12,
  HTTP_1_1_REQUIRED: 13,
} as const;

const ERROR_NAMES = Object.fromEntries(Object.entries(ErrorCode).map(([k, v]) => [v, k])) as Record<number, string>;

/** `CANCEL` for 8; `0x1f` for an unknown code. */
export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? hex(code, 2);
}

/** A frame as this model reads and writes it. */
export type Http2Frame =
  | { type: 'DATA'; streamId: number; endStream: boolean; data: Uint8Array }
  | { type: 'HEADERS'; streamId: number; endStream: boolean; endHeaders: boolean; block: Uint8Array }
  | { type: 'RST_STREAM'; streamId: number; errorCode: number }
  | { type: 'SETTINGS'; ack: boolean; settings: readonly (readonly [number, number])[] }
  | { type: 'PING'; ack: boolean; data: Uint8Array }
  | { type: 'GOAWAY'; lastStreamId: number; errorCode: number; debug: Uint8Array }
  | { type: 'WINDOW_UPDATE'; streamId: number; increment: number }
  | { type: 'CONTINUATION'; streamId: number; endHeaders: boolean; block: Uint8Array }
  /** PRIORITY, PUSH_PROMISE and unknown types: kept raw (this model never sends them). */
  | { type: 'OTHER'; code: number; flags: number; streamId: number; payload: Uint8Array };

function payloadLength(f: Http2Frame): number {
  switch (f.type) {
    case 'DATA':
      return f.data.length;
    case 'HEADERS':
    case 'CONTINUATION':
      return f.block.length;
    case 'RST_STREAM':
      return 4;
    case 'SETTINGS':
      return f.settings.length * 6;
    case 'PING':
      return 8;
    case 'GOAWAY':
      return 8 + f.debug.length;
    case 'WINDOW_UPDATE':
      return 4;
    case 'OTHER':
      return f.payload.length;
  }
}

function header(f: Http2Frame): { code: number; flags: number; streamId: number } {
  switch (f.type) {
    case 'DATA':
      return { code: FrameType.DATA, flags: f.endStream ? FLAG_END_STREAM : 0, streamId: f.streamId };
    case 'HEADERS':
      return { code: FrameType.HEADERS, flags: (f.endStream ? FLAG_END_STREAM : 0) | (f.endHeaders ? FLAG_END_HEADERS : 0), streamId: f.streamId };
    case 'CONTINUATION':
      return { code: FrameType.CONTINUATION, flags: f.endHeaders ? FLAG_END_HEADERS : 0, streamId: f.streamId };
    case 'RST_STREAM':
      return { code: FrameType.RST_STREAM, flags: 0, streamId: f.streamId };
    case 'SETTINGS':
      return { code: FrameType.SETTINGS, flags: f.ack ? FLAG_ACK : 0, streamId: 0 };
    case 'PING':
      return { code: FrameType.PING, flags: f.ack ? FLAG_ACK : 0, streamId: 0 };
    case 'GOAWAY':
      return { code: FrameType.GOAWAY, flags: 0, streamId: 0 };
    case 'WINDOW_UPDATE':
      return { code: FrameType.WINDOW_UPDATE, flags: 0, streamId: f.streamId };
    case 'OTHER':
      return { code: f.code, flags: f.flags, streamId: f.streamId };
  }
}

/** A frame as bytes. Throws a RangeError for a payload over 2^24−1 or a bad stream id. */
export function encodeFrame(f: Http2Frame): Uint8Array {
  const len = payloadLength(f);
  if (len > 0xff_ffff) throw new RangeError(`HTTP/2: payload ${len} too long`);
  const h = header(f);
  if (!Number.isInteger(h.streamId) || h.streamId < 0 || h.streamId > 0x7fff_ffff) throw new RangeError(`HTTP/2: bad stream id ${h.streamId}`);
  const b = new Uint8Array(FRAME_HEADER_BYTES + len);
  b[0] = (len >>> 16) & 0xff;
  b[1] = (len >>> 8) & 0xff;
  b[2] = len & 0xff;
  b[3] = h.code;
  b[4] = h.flags;
  writeU32(b, 5, h.streamId);
  const p = FRAME_HEADER_BYTES;
  switch (f.type) {
    case 'DATA':
      b.set(f.data, p);
      break;
    case 'HEADERS':
    case 'CONTINUATION':
      b.set(f.block, p);
      break;
    case 'RST_STREAM':
      writeU32(b, p, f.errorCode);
      break;
    case 'SETTINGS':
      f.settings.forEach(([id, v], i) => {
        b[p + i * 6] = (id >>> 8) & 0xff;
        b[p + i * 6 + 1] = id & 0xff;
        writeU32(b, p + i * 6 + 2, v);
      });
      break;
    case 'PING':
      b.set(f.data.subarray(0, 8), p);
      break;
    case 'GOAWAY':
      writeU32(b, p, f.lastStreamId & 0x7fff_ffff);
      writeU32(b, p + 4, f.errorCode);
      b.set(f.debug, p + 8);
      break;
    case 'WINDOW_UPDATE':
      writeU32(b, p, f.increment & 0x7fff_ffff);
      break;
    case 'OTHER':
      b.set(f.payload, p);
      break;
  }
  return b;
}

/** The 9-byte header at `offset`, if there are 9 bytes. */
export function readFrameHeader(b: Uint8Array, offset: number): { length: number; code: number; flags: number; streamId: number } | undefined {
  if (offset + FRAME_HEADER_BYTES > b.length) return undefined;
  return {
    length: (b[offset] << 16) | (b[offset + 1] << 8) | b[offset + 2],
    code: b[offset + 3],
    flags: b[offset + 4],
    streamId: readU32(b, offset + 5) & 0x7fff_ffff,
  };
}

/** Decodes one whole frame at `offset`. Never throws. */
export function decodeFrame(b: Uint8Array, offset = 0): Decoded<Http2Frame> {
  const h = readFrameHeader(b, offset);
  if (!h) return { ok: false, error: 'HTTP/2: frame header needs 9 bytes' };
  const p = offset + FRAME_HEADER_BYTES;
  if (p + h.length > b.length) return { ok: false, error: `HTTP/2: frame length ${h.length} runs past the data` };
  const payload = b.slice(p, p + h.length);
  const length = FRAME_HEADER_BYTES + h.length;
  const ok = (value: Http2Frame): Decoded<Http2Frame> => ({ ok: true, value, length });
  const padded = (h.flags & FLAG_PADDED) !== 0;
  switch (h.code) {
    case FrameType.DATA: {
      const pad = padded ? payload[0] + 1 : 0;
      if (pad > payload.length) return { ok: false, error: 'HTTP/2: padding exceeds the DATA payload' };
      return ok({
        type: 'DATA',
        streamId: h.streamId,
        endStream: (h.flags & FLAG_END_STREAM) !== 0,
        data: payload.slice(padded ? 1 : 0, payload.length - (padded ? pad - 1 : 0)),
      });
    }
    case FrameType.HEADERS: {
      let start = padded ? 1 : 0;
      if (h.flags & FLAG_PRIORITY) start += 5;
      const pad = padded ? payload[0] : 0;
      if (start + pad > payload.length) return { ok: false, error: 'HTTP/2: HEADERS padding or priority exceeds the payload' };
      return ok({
        type: 'HEADERS',
        streamId: h.streamId,
        endStream: (h.flags & FLAG_END_STREAM) !== 0,
        endHeaders: (h.flags & FLAG_END_HEADERS) !== 0,
        block: payload.slice(start, payload.length - pad),
      });
    }
    case FrameType.CONTINUATION:
      return ok({ type: 'CONTINUATION', streamId: h.streamId, endHeaders: (h.flags & FLAG_END_HEADERS) !== 0, block: payload });
    case FrameType.RST_STREAM:
      if (h.length !== 4) return { ok: false, error: 'HTTP/2: RST_STREAM length must be 4' };
      return ok({ type: 'RST_STREAM', streamId: h.streamId, errorCode: readU32(payload, 0) });
    case FrameType.SETTINGS: {
      if (h.length % 6 !== 0) return { ok: false, error: 'HTTP/2: SETTINGS length must be a multiple of 6' };
      const settings: [number, number][] = [];
      for (let i = 0; i < h.length; i += 6) settings.push([readU16(payload, i), readU32(payload, i + 2)]);
      return ok({ type: 'SETTINGS', ack: (h.flags & FLAG_ACK) !== 0, settings });
    }
    case FrameType.PING:
      if (h.length !== 8) return { ok: false, error: 'HTTP/2: PING length must be 8' };
      return ok({ type: 'PING', ack: (h.flags & FLAG_ACK) !== 0, data: payload });
    case FrameType.GOAWAY:
      if (h.length < 8) return { ok: false, error: 'HTTP/2: GOAWAY needs 8 bytes' };
      return ok({ type: 'GOAWAY', lastStreamId: readU32(payload, 0) & 0x7fff_ffff, errorCode: readU32(payload, 4), debug: payload.slice(8) });
    case FrameType.WINDOW_UPDATE:
      if (h.length !== 4) return { ok: false, error: 'HTTP/2: WINDOW_UPDATE length must be 4' };
      return ok({ type: 'WINDOW_UPDATE', streamId: h.streamId, increment: readU32(payload, 0) & 0x7fff_ffff });
    default:
      return ok({ type: 'OTHER', code: h.code, flags: h.flags, streamId: h.streamId, payload });
  }
}

// ------------------------------------------------------------------ inspector

/** Where this model departs from RFC 9113, shown with every HTTP/2 layer. */
const HTTP2_NOTES: readonly string[] = [
  'Model: no server push, no PRIORITY frames or stream dependencies, no padding sent; streams are served round robin.',
  'HPACK: header blocks are sent as literals without Huffman coding (Huffman is decoded); the inspector decodes a block on its own, so fields that refer to the dynamic table built by earlier blocks show as raw bytes (Wireshark follows the whole connection).',
  'Each TCP segment is dissected on its own (no reassembly): a frame that continues into the next segment is shown as far as it goes, and a segment that starts inside a frame shows where the next frame begins (segments wholly inside a frame show as continuations).',
];

function flagsText(code: number, flags: number): string {
  const names: string[] = [];
  if ((code === FrameType.DATA || code === FrameType.HEADERS) && flags & FLAG_END_STREAM) names.push('END_STREAM');
  if ((code === FrameType.SETTINGS || code === FrameType.PING) && flags & FLAG_ACK) names.push('ACK');
  if ((code === FrameType.HEADERS || code === FrameType.CONTINUATION) && flags & FLAG_END_HEADERS) names.push('END_HEADERS');
  if (flags & FLAG_PADDED && (code === FrameType.DATA || code === FrameType.HEADERS)) names.push('PADDED');
  if (flags & FLAG_PRIORITY && code === FrameType.HEADERS) names.push('PRIORITY');
  return `${hex(flags, 2)}${names.length ? ` (${names.join(', ')})` : ''}`;
}

/** One frame's tree and its Info text (`HEADERS[1]: GET /index.html`). */
// eslint-disable-next-line max-lines-per-function -- one case per HTTP/2 frame type (RFC 9113 §6), each a few fields long
function describeOne(b: Uint8Array, o: number, end: number): { field: Field; info: string; next: number } {
  const h = readFrameHeader(b, o)!;
  const name = FRAME_TYPE_NAMES[h.code] ?? `Unknown (${h.code})`;
  const stop = Math.min(end, o + FRAME_HEADER_BYTES + h.length);
  const whole = o + FRAME_HEADER_BYTES + h.length <= end;
  const children: Field[] = [
    { key: 'http2.length', label: 'Length', value: `${h.length}`, offset: o, length: 3 },
    { key: 'http2.type', label: 'Type', value: `${name} (${h.code})`, offset: o + 3, length: 1 },
    { key: 'http2.flags', label: 'Flags', value: flagsText(h.code, h.flags), offset: o + 4, length: 1 },
    { key: 'http2.streamid', label: 'Stream Identifier', value: `${h.streamId}`, offset: o + 5, length: 4 },
  ];
  let info = `${name}[${h.streamId}]`;
  const p = o + FRAME_HEADER_BYTES;
  const d = whole ? decodeFrame(b.subarray(0, end), o) : undefined;
  if (!whole) {
    children.push({
      key: 'http2.continued',
      label: 'Frame continues in the next segment',
      value: `${bytesLabel(stop - p)} of ${h.length} here`,
      offset: p,
      length: stop - p,
    });
  } else if (d && d.ok) {
    const f = d.value;
    switch (f.type) {
      case 'DATA':
        children.push({ key: 'http2.data.data', label: 'Data', value: bytesLabel(f.data.length), offset: p, length: h.length });
        break;
      case 'HEADERS':
      case 'CONTINUATION': {
        children.push({
          key: 'http2.header.block',
          label: 'Header Block Fragment',
          value: bytesLabel(f.block.length),
          offset: p + h.length - f.block.length,
          length: f.block.length,
        });
        try {
          const fields = new HpackDecoder().decodeDetailed(f.block);
          const base = p + h.length - f.block.length;
          for (const x of fields) {
            children.push({
              key: 'http2.header',
              label: `Header: ${x.name}: ${x.value}`,
              value: `${x.representation}${x.index ? `, index ${x.index}` : ''}${x.huffman ? ', Huffman' : ''}`,
              offset: base + x.offset,
              length: x.length,
            });
          }
          const get = (n: string) => fields.find((x) => x.name === n)?.value;
          const method = get(':method');
          const status = get(':status');
          if (method) info += `: ${method} ${get(':path') ?? ''}`;
          else if (status) info += `: ${status}`;
        } catch {
          children.push({
            key: 'http2.header.unresolved',
            label: 'Header fields',
            value: 'refer to the dynamic table of earlier blocks',
            offset: p,
            length: 0,
          });
        }
        break;
      }
      case 'RST_STREAM':
        children.push({ key: 'http2.rst_stream.error', label: 'Error', value: `${errorName(f.errorCode)} (${f.errorCode})`, offset: p, length: 4 });
        break;
      case 'SETTINGS':
        f.settings.forEach(([id, v], i) =>
          children.push({ key: 'http2.settings', label: `Settings - ${SETTING_NAMES[id] ?? `Unknown (${id})`}`, value: `${v}`, offset: p + i * 6, length: 6 }),
        );
        break;
      case 'PING':
        children.push({ key: 'http2.ping', label: 'Ping', value: Array.from(f.data, (x) => x.toString(16).padStart(2, '0')).join(''), offset: p, length: 8 });
        break;
      case 'GOAWAY':
        children.push({ key: 'http2.goaway.last_stream_id', label: 'Promised-Stream-ID', value: `${f.lastStreamId}`, offset: p, length: 4 });
        children.push({ key: 'http2.goaway.error', label: 'Error', value: `${errorName(f.errorCode)} (${f.errorCode})`, offset: p + 4, length: 4 });
        break;
      case 'WINDOW_UPDATE':
        children.push({ key: 'http2.window_update.window_size_increment', label: 'Window Size Increment', value: `${f.increment}`, offset: p, length: 4 });
        break;
      case 'OTHER':
        if (h.length) children.push({ key: 'http2.data', label: 'Payload', value: bytesLabel(h.length), offset: p, length: h.length });
        break;
    }
  }
  return {
    field: { key: 'http2.stream', label: `Stream: ${name}, Stream ID: ${h.streamId}, Length ${h.length}`, value: info, offset: o, length: stop - o, children },
    info,
    next: o + FRAME_HEADER_BYTES + h.length,
  };
}

/** Whether the bytes at `offset` look like the start of HTTP/2 (the preface, or a plausible frame header). */
export function startsHttp2(b: Uint8Array, offset: number, end: number): boolean {
  if (hasPreface(b, offset, end)) return true;
  const h = readFrameHeader(b.subarray(0, end), offset);
  if (!h || h.code > FrameType.CONTINUATION || h.length > DEFAULT_MAX_FRAME_SIZE) return false;
  if (h.code === FrameType.SETTINGS || h.code === FrameType.PING || h.code === FrameType.GOAWAY) return h.streamId === 0;
  if (h.code === FrameType.RST_STREAM || h.code === FrameType.WINDOW_UPDATE) return h.length === 4;
  return h.streamId !== 0;
}

/** A plausible frame header at `o`: known type, length under 64 kB, stream id fitting the type. */
function plausibleHeader(b: Uint8Array, o: number): boolean {
  const type = b[o + 3];
  if (b[o] !== 0 || type > FrameType.CONTINUATION || (b[o + 5] & 0x80) !== 0) return false;
  const len = (b[o + 1] << 8) | b[o + 2];
  if (len > DEFAULT_MAX_FRAME_SIZE) return false;
  const zero = b[o + 5] === 0 && b[o + 6] === 0 && b[o + 7] === 0 && b[o + 8] === 0;
  if (type === FrameType.SETTINGS || type === FrameType.PING || type === FrameType.GOAWAY) return zero;
  if (type === FrameType.RST_STREAM || type === FrameType.WINDOW_UPDATE) return len === 4;
  return !zero;
}

/**
 * Where the first whole frame header starts in a segment that begins inside a frame (the rest of a
 * frame from the previous segment), or -1. A candidate counts only when the frames from it chain to
 * the end of the segment; frame headers start with a zero byte, which text bodies never hold.
 */
export function findFrameStart(b: Uint8Array, offset: number, end: number): number {
  const limit = Math.min(end - FRAME_HEADER_BYTES, offset + DEFAULT_MAX_FRAME_SIZE + FRAME_HEADER_BYTES);
  for (let k = offset + 1; k <= limit; k++) {
    if (b[k] !== 0) continue;
    let o = k;
    let ok = true;
    while (o + FRAME_HEADER_BYTES <= end) {
      if (!plausibleHeader(b, o)) {
        ok = false;
        break;
      }
      o += FRAME_HEADER_BYTES + ((b[o + 1] << 8) | b[o + 2]);
    }
    if (ok) return k;
  }
  return -1;
}

function hasPreface(b: Uint8Array, offset: number, end: number): boolean {
  if (end - offset < CONNECTION_PREFACE.length) return false;
  for (let i = 0; i < CONNECTION_PREFACE.length; i++) if (b[offset + i] !== CONNECTION_PREFACE[i]) return false;
  return true;
}

/**
 * The inspector layer for HTTP/2 bytes `[offset, end)` of one segment: the preface, then every
 * frame (the last may continue into the next segment). Info: `Magic, SETTINGS[0], HEADERS[1]: GET /`.
 * With `firstFrame` past `offset`, the bytes before it are the rest of an earlier segment's frame.
 */
export function describeHttp2(b: Uint8Array, offset = 0, end = b.length, firstFrame = offset): { layer: Layer; info: string } {
  const fields: Field[] = [];
  const infos: string[] = [];
  let o = offset;
  if (firstFrame > offset) {
    fields.push({
      key: 'http2.continued',
      label: 'Rest of a frame from the previous segment',
      value: bytesLabel(firstFrame - offset),
      offset,
      length: firstFrame - offset,
    });
    infos.push('Continuation');
    o = firstFrame;
  }
  if (hasPreface(b, offset, end)) {
    fields.push({ key: 'http2.magic', label: 'Magic', value: 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n', offset, length: CONNECTION_PREFACE.length });
    infos.push('Magic');
    o += CONNECTION_PREFACE.length;
  }
  while (o + FRAME_HEADER_BYTES <= end) {
    const one = describeOne(b, o, end);
    fields.push(one.field);
    infos.push(one.info);
    o = one.next;
  }
  if (o < end) {
    fields.push({ key: 'http2.continued', label: 'Frame header continues in the next segment', value: bytesLabel(end - o), offset: o, length: end - o });
  }
  return {
    layer: { protocol: 'http2', title: 'HyperText Transfer Protocol 2', offset, length: end - offset, fields, notes: HTTP2_NOTES },
    info: infos.join(', '),
  };
}

/** Codec for one HTTP/2 frame. */
export const http2Frame: Codec<Http2Frame> = {
  protocol: 'http2',
  encode: encodeFrame,
  decode: decodeFrame,
  byteLength: (f) => FRAME_HEADER_BYTES + payloadLength(f),
  describe(bytes, offset = 0) {
    if (!readFrameHeader(bytes, offset)) return { error: 'HTTP/2: frame header needs 9 bytes' };
    return describeHttp2(bytes, offset, bytes.length).layer;
  },
};
