/**
 * RR, Packetarium's small request/response protocol over UDP (port 9000), used by the overload lab:
 * load clients, servers with a worker pool, tiers and load balancers speak it. A message is a fixed
 * 24-byte header, then `bodyLength` opaque bytes standing for the request or response payload.
 *
 * ```
 *  0       2       3      4        5      6         7       8
 *  | magic "RR"    | ver  | type   | status | tier  | attempt | flags |
 *  8               request id (u32)                            12
 * 12               root id (u32): the top-level request this call serves    16
 * 16               deadline (u32, microseconds of simulated time; 0 = none) 20
 * 20  body length (u16)    | reserved (u16, 0)                 24
 * ```
 *
 * Types: request, response, health-check probe and its answer. A response copies the request's id,
 * root, tier and attempt, and says in `status` how it went. Not a real-world protocol: a teaching
 * one, designed so the inspector and a Wireshark-style Info column show what retries do.
 */
import { readU16, readU32, writeU16, writeU32 } from '../bytes';
import type { Codec, Decoded, Field, Layer } from '../codec';
import type { DissectFailure, DissectStep, Dissector } from '../dissect-types';
import { bytesLabel, hex, hexBytes } from '../format';

/** The UDP port RR servers listen on by default (and the dissector's port). */
export const RR_PORT = 9000;
/** Size of the fixed header. */
export const RR_HEADER_BYTES = 24;
/** `RR` in ASCII. */
const RR_MAGIC = 0x5252;
const RR_VERSION = 1;

/** Message types. */
export const RrType = { Request: 1, Response: 2, Probe: 3, ProbeReply: 4 } as const;
export type RrType = (typeof RrType)[keyof typeof RrType];

/** Response statuses. Everything but `Ok` is a failure a client may retry. */
export const RrStatus = {
  Ok: 0,
  /** The server shed the request: its queue was full. */
  Overloaded: 1,
  /** The server shed the request: its deadline had passed before a worker took it. */
  DeadlineExceeded: 2,
  /** The server (or a tier below it) failed the request. */
  Error: 3,
  /** A load balancer had no healthy back end. */
  Unavailable: 4,
} as const;
export type RrStatus = (typeof RrStatus)[keyof typeof RrStatus];

const TYPE_NAMES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Health probe', 4: 'Health reply' };
const STATUS_NAMES: Record<number, string> = {
  0: 'OK',
  1: 'Overloaded',
  2: 'Deadline exceeded',
  3: 'Error',
  4: 'Unavailable',
};

/** A decoded RR message. */
export interface RrMessage {
  type: RrType;
  status: RrStatus;
  /** Which tier sent a request (1 = the load clients), copied into the response. */
  tier: number;
  /** 1 for a first try, 2 for the first retry, ... */
  attempt: number;
  /** Unique per sender. */
  requestId: number;
  /** The request id at the top (load client) that this call is part of. */
  rootId: number;
  /** Absolute deadline in microseconds of simulated time; 0 means none. */
  deadlineUs: number;
  /** Opaque payload bytes after the header (all zero). */
  bodyLength: number;
}

/** Name of a message type. */
function rrTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Unknown (${type})`;
}

/** Name of a status. */
function rrStatusName(status: number): string {
  return STATUS_NAMES[status] ?? `Unknown (${status})`;
}

/** Writes the message (header, then `bodyLength` zero bytes) into a fresh buffer. */
export function encodeRr(m: RrMessage): Uint8Array {
  const bad = validateRr(m);
  if (bad) throw new RangeError(bad);
  const buf = new Uint8Array(RR_HEADER_BYTES + m.bodyLength);
  writeRrHeader(buf, 0, m);
  return buf;
}

/**
 * Writes the message at `off` of `buf` (which must have room for the header and body; the body
 * bytes are left as they are, zero in a fresh buffer); returns the offset past the body.
 */
export function encodeRrInto(buf: Uint8Array, off: number, m: RrMessage): number {
  const bad = validateRr(m);
  if (bad) throw new RangeError(bad);
  if (buf.length - off < RR_HEADER_BYTES + m.bodyLength)
    throw new RangeError(`RR: ${buf.length - off} bytes of room for a ${RR_HEADER_BYTES + m.bodyLength}-byte message`);
  writeRrHeader(buf, off, m);
  return off + RR_HEADER_BYTES + m.bodyLength;
}

function writeRrHeader(buf: Uint8Array, o: number, m: RrMessage): void {
  writeU16(buf, o, RR_MAGIC);
  buf[o + 2] = RR_VERSION;
  buf[o + 3] = m.type;
  buf[o + 4] = m.status;
  buf[o + 5] = m.tier;
  buf[o + 6] = m.attempt;
  buf[o + 7] = 0;
  writeU32(buf, o + 8, m.requestId);
  writeU32(buf, o + 12, m.rootId);
  writeU32(buf, o + 16, m.deadlineUs);
  writeU16(buf, o + 20, m.bodyLength);
  writeU16(buf, o + 22, 0);
}

function isUint(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= max;
}

function validateRr(m: RrMessage): string | undefined {
  if (!TYPE_NAMES[m.type]) return `RR: unknown type ${m.type}`;
  if (!isUint(m.status, 0xff) || !isUint(m.tier, 0xff) || !isUint(m.attempt, 0xff)) return 'RR: status, tier and attempt are 8-bit';
  if (!isUint(m.requestId, 0xffff_ffff) || !isUint(m.rootId, 0xffff_ffff) || !isUint(m.deadlineUs, 0xffff_ffff)) return 'RR: ids and deadline are 32-bit';
  if (!isUint(m.bodyLength, 0xffff) || RR_HEADER_BYTES + m.bodyLength > 65507) return `RR: body length ${m.bodyLength} too big for one datagram`;
  return undefined;
}

/** Why `[off, end)` is not an RR message, or undefined. */
export function checkRr(bytes: Uint8Array, off = 0, end = bytes.length): string | undefined {
  end = Math.min(end, bytes.length);
  if (end - off < RR_HEADER_BYTES) return `RR: truncated header (${Math.max(0, end - off)} of ${RR_HEADER_BYTES} bytes)`;
  if (readU16(bytes, off) !== RR_MAGIC) return `RR: bad magic ${hex(readU16(bytes, off), 4)} (expected 0x5252)`;
  if (bytes[off + 2] !== RR_VERSION) return `RR: unknown version ${bytes[off + 2]}`;
  if (!TYPE_NAMES[bytes[off + 3]]) return `RR: unknown type ${bytes[off + 3]}`;
  const body = readU16(bytes, off + 20);
  if (RR_HEADER_BYTES + body > end - off) return `RR: body length ${body} runs past the ${end - off - RR_HEADER_BYTES} bytes available`;
  return undefined;
}

/** Reads the header at `off` (call {@link checkRr} first), into `out` when given (reuse it to avoid allocation). */
export function readRr(bytes: Uint8Array, off = 0, out?: RrMessage): RrMessage {
  const type = bytes[off + 3] as RrType;
  const status = bytes[off + 4] as RrStatus;
  const tier = bytes[off + 5];
  const attempt = bytes[off + 6];
  const requestId = readU32(bytes, off + 8);
  const rootId = readU32(bytes, off + 12);
  const deadlineUs = readU32(bytes, off + 16);
  const bodyLength = readU16(bytes, off + 20);
  if (!out) return { type, status, tier, attempt, requestId, rootId, deadlineUs, bodyLength };
  out.type = type;
  out.status = status;
  out.tier = tier;
  out.attempt = attempt;
  out.requestId = requestId;
  out.rootId = rootId;
  out.deadlineUs = deadlineUs;
  out.bodyLength = bodyLength;
  return out;
}

/** Wireshark-style Info column: `Request id=42 attempt=2 tier=1 root=42 deadline=1.25s`. */
function rrSummary(m: RrMessage): string {
  const base = `RR ${rrTypeName(m.type)} id=${m.requestId}`;
  if (m.type === RrType.Probe || m.type === RrType.ProbeReply) return base;
  const status = m.type === RrType.Response ? ` ${rrStatusName(m.status)}` : '';
  const deadline = m.deadlineUs ? ` deadline=${(m.deadlineUs / 1e6).toFixed(6).replace(/\.?0+$/, '')}s` : '';
  return `${base}${status} attempt=${m.attempt} tier=${m.tier} root=${m.rootId}${deadline}`;
}

/** The inspector layer for the message at `offset`. */
function describeRr(bytes: Uint8Array, offset = 0, end = bytes.length): Layer | { error: string } {
  const bad = checkRr(bytes, offset, end);
  if (bad) return { error: bad };
  const o = offset;
  const m = readRr(bytes, o);
  const fields: Field[] = [
    { key: 'rr.magic', label: 'Magic', value: `${hex(RR_MAGIC, 4)} ("RR")`, offset: o, length: 2 },
    { key: 'rr.version', label: 'Version', value: `${RR_VERSION}`, offset: o + 2, length: 1 },
    { key: 'rr.type', label: 'Type', value: `${m.type} (${rrTypeName(m.type)})`, offset: o + 3, length: 1 },
    { key: 'rr.status', label: 'Status', value: `${m.status} (${rrStatusName(m.status)})`, offset: o + 4, length: 1 },
    { key: 'rr.tier', label: 'Tier', value: `${m.tier}`, offset: o + 5, length: 1 },
    { key: 'rr.attempt', label: 'Attempt', value: `${m.attempt}`, offset: o + 6, length: 1 },
    { key: 'rr.flags', label: 'Flags', value: hex(bytes[o + 7], 2), offset: o + 7, length: 1 },
    { key: 'rr.id', label: 'Request ID', value: `${m.requestId}`, offset: o + 8, length: 4 },
    { key: 'rr.root', label: 'Root request ID', value: `${m.rootId}`, offset: o + 12, length: 4 },
    {
      key: 'rr.deadline',
      label: 'Deadline',
      value: m.deadlineUs ? `${m.deadlineUs} us (t = ${m.deadlineUs / 1e6} s)` : '0 (none)',
      offset: o + 16,
      length: 4,
    },
    { key: 'rr.len', label: 'Body length', value: `${m.bodyLength}`, offset: o + 20, length: 2 },
    { key: 'rr.reserved', label: 'Reserved', value: hex(readU16(bytes, o + 22), 4), offset: o + 22, length: 2 },
  ];
  if (m.bodyLength > 0) {
    const b = o + RR_HEADER_BYTES;
    fields.push({
      key: 'rr.body',
      label: 'Body',
      value: `${hexBytes(bytes, b, b + m.bodyLength, 16)} (${bytesLabel(m.bodyLength)})`,
      offset: b,
      length: m.bodyLength,
    });
  }
  return {
    protocol: 'rr',
    title: `Request/Response protocol, ${rrTypeName(m.type)}, ID: ${m.requestId}`,
    offset,
    length: RR_HEADER_BYTES + m.bodyLength,
    fields,
    notes: ['RR is a teaching protocol of Packetarium, not a real-world one; Wireshark shows it as UDP data.'],
  };
}

/** Dissector for UDP port 9000. */
export const dissectRr: Dissector = (bytes, offset, end): DissectStep | DissectFailure => {
  const layer = describeRr(bytes, offset, end);
  if ('error' in layer) return layer;
  const m = readRr(bytes, offset);
  return { layer, protocol: 'RR', summary: rrSummary(m), end: offset + RR_HEADER_BYTES + m.bodyLength };
};

/** The RR codec (encode / decode / byteLength / describe). */
export const rr: Codec<RrMessage> = {
  protocol: 'rr',
  encode: encodeRr,
  decode(bytes: Uint8Array, offset = 0): Decoded<RrMessage> {
    const bad = checkRr(bytes, offset);
    if (bad) return { ok: false, error: bad };
    const value = readRr(bytes, offset);
    return { ok: true, value, length: RR_HEADER_BYTES + value.bodyLength };
  },
  byteLength(m: RrMessage): number {
    return RR_HEADER_BYTES + m.bodyLength;
  },
  describe(bytes: Uint8Array, offset = 0) {
    return describeRr(bytes, offset);
  },
};
