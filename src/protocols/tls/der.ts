/**
 * A minimal ASN.1 DER encoder and parser (ITU-T X.690), just enough for X.509 v3 certificates
 * with ECDSA P-256 keys. Dates are computed arithmetically from milliseconds since the Unix epoch
 * (no Date object: the simulator never reads the wall clock).
 */

import { concatBytes, TlsDecodeError, utf8 } from './wire';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

/** One TLV. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), lengthBytes(content.length), content);
}

export function seq(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.sequence, concatBytes(...items));
}

export function set(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.set, concatBytes(...items));
}

/** Context-specific constructed tag `[n]` (EXPLICIT). */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, inner);
}

/** Context-specific primitive tag `[n]` (IMPLICIT) around raw content. */
export function implicitPrimitive(n: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | n, content);
}

export function boolean(v: boolean): Uint8Array {
  return tlv(TAG.boolean, Uint8Array.of(v ? 0xff : 0x00));
}

/** An INTEGER from unsigned big-endian magnitude bytes (a 0x00 is prefixed when the top bit is set). */
export function uintBytes(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let m = magnitude.subarray(i);
  if (m.length === 0) m = Uint8Array.of(0);
  if (m[0] & 0x80) m = concatBytes(Uint8Array.of(0), m);
  return tlv(TAG.integer, m);
}

export function int(n: number): Uint8Array {
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  return uintBytes(Uint8Array.from(bytes));
}

/** @public */
export function nullValue(): Uint8Array {
  return tlv(TAG.null, new Uint8Array(0));
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...chunk);
  }
  return tlv(TAG.oid, Uint8Array.from(out));
}

/** Dotted text of an OID's content bytes. */
export function oidText(content: Uint8Array): string {
  if (content.length === 0) return '';
  const parts = [Math.floor(content[0] / 40), content[0] % 40];
  let v = 0;
  for (let i = 1; i < content.length; i++) {
    v = v * 128 + (content[i] & 0x7f);
    if (!(content[i] & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** BIT STRING with no unused bits. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.bitString, concatBytes(Uint8Array.of(unusedBits), bytes));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.octetString, bytes);
}

export function utf8String(s: string): Uint8Array {
  return tlv(TAG.utf8String, utf8(s));
}

// ---- dates (proleptic Gregorian, UTC) ----

const MS_PER_DAY = 86_400_000;

/** Civil date from days since 1970-01-01 (H. Hinnant's algorithm). */
function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: m <= 2 ? y + 1 : y, m, d };
}

/** Days since 1970-01-01 of a civil date. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS UTC` for display. */
export function formatUtc(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const rest = ms - days * MS_PER_DAY;
  const { y, m, d } = civilFromDays(days);
  const hh = Math.floor(rest / 3_600_000);
  const mm = Math.floor((rest % 3_600_000) / 60_000);
  const ss = Math.floor((rest % 60_000) / 1000);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)} ${pad(hh)}:${pad(mm)}:${pad(ss)} UTC`;
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). Whole seconds. */
export function time(ms: number): Uint8Array {
  const days = Math.floor(ms / MS_PER_DAY);
  const rest = ms - days * MS_PER_DAY;
  const { y, m, d } = civilFromDays(days);
  const hms = `${pad(Math.floor(rest / 3_600_000))}${pad(Math.floor((rest % 3_600_000) / 60_000))}${pad(Math.floor((rest % 60_000) / 1000))}`;
  if (y >= 1950 && y < 2050) return tlv(TAG.utcTime, utf8(`${pad(y % 100)}${pad(m)}${pad(d)}${hms}Z`));
  return tlv(TAG.generalizedTime, utf8(`${pad(y, 4)}${pad(m)}${pad(d)}${hms}Z`));
}

/** Milliseconds since the Unix epoch of a UTCTime / GeneralizedTime (`...Z` forms only). */
export function parseTime(tag: number, content: Uint8Array): number {
  const s = String.fromCharCode(...content);
  const m = tag === TAG.utcTime ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new TlsDecodeError(`X.509: bad time ${JSON.stringify(s)}`, 42);
  let y = Number(m[1]);
  if (tag === TAG.utcTime) y += y < 50 ? 2000 : 1900;
  const days = daysFromCivil(y, Number(m[2]), Number(m[3]));
  return days * MS_PER_DAY + Number(m[4]) * 3_600_000 + Number(m[5]) * 60_000 + Number(m[6]) * 1000;
}

// ---- parsing ----

/** A parsed TLV: where it is in the buffer and, for constructed types, its children. */
export interface DerNode {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the content. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
  readonly children: readonly DerNode[];
}

/** Parses one TLV at `off` (recursing into constructed ones). Throws {@link TlsDecodeError}. */
export function parseDer(buf: Uint8Array, off = 0, end = buf.length): DerNode {
  if (off + 2 > end) throw new TlsDecodeError('DER: truncated TLV', 42);
  const tag = buf[off];
  let len = buf[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || p + n > end) throw new TlsDecodeError('DER: bad length', 42);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  const stop = p + len;
  if (stop > end) throw new TlsDecodeError('DER: content overruns', 42);
  const children: DerNode[] = [];
  if (tag & 0x20) {
    let q = p;
    while (q < stop) {
      const c = parseDer(buf, q, stop);
      children.push(c);
      q = c.end;
    }
  }
  return { tag, start: off, contentStart: p, end: stop, children };
}

/** The content bytes of a node. */
export function contentOf(buf: Uint8Array, n: DerNode): Uint8Array {
  return buf.subarray(n.contentStart, n.end);
}
