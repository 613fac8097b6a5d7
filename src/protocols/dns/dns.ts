/**
 * DNS messages (RFC 1035 §4): header, questions and resource records, with name compression on
 * encode (§4.1.4) and pointer following on decode (bounded, so a pointer loop is an error, never a
 * hang). Record data is understood for A, NS, CNAME, SOA, PTR, MX, TXT, AAAA and the EDNS0 OPT
 * pseudo-record (RFC 6891, options kept as raw bytes); any other type is carried as raw bytes.
 *
 * Names are written without the trailing dot (`example.com`); the root is `''`. A label byte that
 * is a dot, a backslash or not printable is written `\DDD` (decimal) as dig does, and `encode`
 * reads that escape back.
 */
import { formatIpv4, type Ipv4 } from '../addr';
import { ByteWriter } from '../byte-writer';
import { readU16, readU32, writeU16 } from '../bytes';
import type { Decoded } from '../codec';
import { hex, hexBytes } from '../format';

/** The well-known DNS port. */
export const DNS_PORT = 53;
/** Largest DNS message over UDP without EDNS0 (RFC 1035 §4.2.1). */
export const DNS_UDP_MAX = 512;
const DNS_HEADER_BYTES = 12;

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const DNS_CLASS_IN = 1;
export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DNS_TYPE).map(([k, v]) => [v, k]));
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
/** Wireshark's words for response codes, as in its Info column. */
export const RCODE_WORDS = ['No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused'];

/** `A`, `NS`… or `TYPE99` (RFC 3597) for a type number. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** The type number for `A`, `aaaa`, `TYPE99`…, or undefined. */
export function parseDnsType(text: string): number | undefined {
  const up = text.toUpperCase();
  if (up in DNS_TYPE) return DNS_TYPE[up as keyof typeof DNS_TYPE];
  const m = /^TYPE(\d{1,5})$/.exec(up);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : undefined;
}

/** `NOERROR`, `NXDOMAIN`… or `RCODE12`. */
export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

/** Record data, by type. `raw` carries any type this codec does not interpret (and OPT's options). */
export type DnsRData =
  | { readonly kind: 'A'; readonly address: Ipv4 }
  | { readonly kind: 'AAAA'; readonly address: Uint8Array }
  | { readonly kind: 'NS'; readonly host: string }
  | { readonly kind: 'CNAME'; readonly target: string }
  | { readonly kind: 'PTR'; readonly target: string }
  | { readonly kind: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly kind: 'TXT'; readonly strings: readonly string[] }
  | {
      readonly kind: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/** A resource record. For OPT, `class` is the UDP payload size and `ttl` the extended flags. */
export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: DnsRData;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

/** A whole DNS message. */
export interface DnsMessage {
  readonly id: number;
  /** true for a response. */
  readonly qr: boolean;
  readonly opcode: number;
  /** Authoritative answer. */
  readonly aa: boolean;
  /** Truncated: the answer did not fit (retry over TCP). */
  readonly tc: boolean;
  /** Recursion desired. */
  readonly rd: boolean;
  /** Recursion available. */
  readonly ra: boolean;
  /** The reserved Z bit (must be zero). */
  readonly z?: boolean;
  /** Authentic data (DNSSEC). */
  readonly ad?: boolean;
  /** Checking disabled (DNSSEC). */
  readonly cd?: boolean;
  readonly rcode: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  readonly additional: readonly DnsRecord[];
}

/** A message with every flag false and no records, to spread into. */
export const EMPTY_DNS_MESSAGE: DnsMessage = {
  id: 0,
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  rcode: 0,
  questions: [],
  answers: [],
  authority: [],
  additional: [],
};

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** Splits a name into label byte strings, reading `\.` and `\DDD` escapes. Throws on a bad name. */
export function nameLabels(name: string): Uint8Array[] {
  if (name === '' || name === '.') return [];
  const text = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      const d = /^\d{3}/.exec(text.slice(i + 1));
      if (d && Number(d[0]) <= 255) {
        cur.push(Number(d[0]));
        i += 3;
      } else if (i + 1 < text.length) {
        cur.push(text.charCodeAt(++i) & 0xff);
      } else throw new RangeError(`DNS: name "${name}" ends with a backslash`);
    } else if (ch === '.') {
      labels.push(Uint8Array.from(cur));
      cur = [];
    } else {
      const c = text.charCodeAt(i);
      if (c > 0xff) throw new RangeError(`DNS: name "${name}" has a character outside Latin-1`);
      cur.push(c);
    }
  }
  labels.push(Uint8Array.from(cur));
  let wire = 1;
  for (const l of labels) {
    if (l.length === 0) throw new RangeError(`DNS: name "${name}" has an empty label`);
    if (l.length > 63) throw new RangeError(`DNS: a label of "${name}" is longer than 63 bytes`);
    wire += 1 + l.length;
  }
  if (wire > 255) throw new RangeError(`DNS: name "${name}" is longer than 255 bytes`);
  return labels;
}

function labelText(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) {
    const c = buf[i];
    if (c === 0x2e || c === 0x5c || c <= 0x20 || c >= 0x7f) s += '\\' + String(c).padStart(3, '0');
    else s += String.fromCharCode(c);
  }
  return s;
}

/** Lower-case canonical form for comparisons (DNS names compare case-insensitively). */
export function canonicalName(name: string): string {
  const n = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** A name as dig writes it: fully qualified with the trailing dot (`example.com.`, root `.`). */
export function fqdn(name: string): string {
  return name === '' ? '.' : `${name}.`;
}

/** Whether `name` is `zone` or below it. */
export function isSubdomain(name: string, zone: string): boolean {
  const n = canonicalName(name);
  const z = canonicalName(zone);
  return z === '' || n === z || n.endsWith(`.${z}`);
}

/** The parent of a name (`www.example.com` -> `example.com`); the root has none. */
export function parentName(name: string): string | undefined {
  if (name === '') return undefined;
  const labels = splitNameText(name);
  return labels.slice(1).join('.');
}

/** Splits a name's text at unescaped dots. */
function splitNameText(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '\\') {
      cur += name.slice(i, i + (/^\\\d{3}/.test(name.slice(i)) ? 4 : 2));
      i += /^\\\d{3}/.test(name.slice(i)) ? 3 : 1;
    } else if (name[i] === '.') {
      out.push(cur);
      cur = '';
    } else cur += name[i];
  }
  out.push(cur);
  return out;
}

/** Most pointer jumps followed while reading one name: well past any honest message, bounds loops. */
const MAX_POINTER_JUMPS = 64;

type NameRead = { ok: true; name: string; next: number } | { ok: false; error: string };

/**
 * Reads a possibly compressed name at `off`. `base` is where the message starts (pointers count
 * from there); `end` bounds the message. `next` is the offset after the name where it began.
 */
export function readName(buf: Uint8Array, off: number, base: number, end: number): NameRead {
  const labels: string[] = [];
  let pos = off;
  let next = -1;
  let jumps = 0;
  let wire = 1;
  for (;;) {
    if (pos >= end) return { ok: false, error: `DNS: name at ${off - base} runs past the message` };
    const len = buf[pos];
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= end) return { ok: false, error: `DNS: compression pointer at ${pos - base} is cut short` };
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      if (next < 0) next = pos + 2;
      if (++jumps > MAX_POINTER_JUMPS) return { ok: false, error: `DNS: compression pointer loop in name at ${off - base}` };
      if (base + target >= end) return { ok: false, error: `DNS: compression pointer to ${target} is outside the message` };
      pos = base + target;
      continue;
    }
    if ((len & 0xc0) !== 0) return { ok: false, error: `DNS: unsupported label type 0x${(len & 0xc0).toString(16)} at ${pos - base}` };
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if (pos + 1 + len > end) return { ok: false, error: `DNS: label at ${pos - base} runs past the message` };
    wire += 1 + len;
    if (wire > 255) return { ok: false, error: `DNS: name at ${off - base} is longer than 255 bytes` };
    labels.push(labelText(buf, pos + 1, len));
    pos += 1 + len;
  }
  return { ok: true, name: labels.join('.'), next };
}

// ---------------------------------------------------------------------------------------------
// Encode
// ---------------------------------------------------------------------------------------------

/** DNS message writer: the shared byte writer plus name compression (RFC 1035 section 4.1.4). */
class Writer extends ByteWriter {
  /** Canonical name suffix -> offset of its first copy (for compression pointers). */
  private readonly names = new Map<string, number>();

  constructor(private readonly compress: boolean) {
    super(512);
  }

  /** Overwrites the 16-bit value at `at` (an already written length field). */
  patchU16(at: number, v: number): void {
    writeU16(this.buf, at, v);
  }

  name(name: string, compressible = this.compress): void {
    const labels = nameLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labels
        .slice(i)
        .map((l) => Array.from(l, (c) => (c >= 0x41 && c <= 0x5a ? c + 32 : c)).join(','))
        .join('.');
      const at = this.names.get(key);
      if (compressible && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.len <= 0x3fff && at === undefined) this.names.set(key, this.len);
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }
}

function u16ok(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`DNS: ${what} ${v} is not 16-bit`);
}

function writeRData(w: Writer, r: DnsRecord): void {
  const d = r.data;
  switch (d.kind) {
    case 'A':
      w.u32(d.address);
      return;
    case 'AAAA':
      if (d.address.length !== 16) throw new RangeError('DNS: an AAAA address is 16 bytes');
      w.bytes(d.address);
      return;
    case 'NS':
      w.name(d.host);
      return;
    case 'CNAME':
    case 'PTR':
      w.name(d.target);
      return;
    case 'MX':
      u16ok(d.preference, 'MX preference');
      w.u16(d.preference);
      w.name(d.exchange);
      return;
    case 'TXT':
      for (const s of d.strings) {
        const b = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
        if (b.length > 255) throw new RangeError('DNS: a TXT string is at most 255 bytes');
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    case 'SOA':
      w.name(d.mname);
      w.name(d.rname);
      w.u32(d.serial);
      w.u32(d.refresh);
      w.u32(d.retry);
      w.u32(d.expire);
      w.u32(d.minimum);
      return;
    case 'raw':
      w.bytes(d.bytes);
      return;
  }
}

function writeRecord(w: Writer, r: DnsRecord): void {
  u16ok(r.type, 'type');
  u16ok(r.class, 'class');
  if (!Number.isInteger(r.ttl) || r.ttl < 0 || r.ttl > 0xffffffff) throw new RangeError(`DNS: TTL ${r.ttl} is not 32-bit`);
  w.name(r.name);
  w.u16(r.type);
  w.u16(r.class);
  w.u32(r.ttl);
  const lenAt = w.length;
  w.u16(0);
  writeRData(w, r);
  const rdlength = w.length - lenAt - 2;
  if (rdlength > 0xffff) throw new RangeError('DNS: record data longer than 65535 bytes');
  w.patchU16(lenAt, rdlength);
}

/** Encodes a message; names are compressed unless `compress` is false. Throws RangeError on bad fields. */
export function encodeDns(m: DnsMessage, options: { compress?: boolean } = {}): Uint8Array {
  const w = new Writer(options.compress ?? true);
  u16ok(m.id, 'id');
  if (!Number.isInteger(m.opcode) || m.opcode < 0 || m.opcode > 15) throw new RangeError(`DNS: opcode ${m.opcode} is not 4-bit`);
  if (!Number.isInteger(m.rcode) || m.rcode < 0 || m.rcode > 15) throw new RangeError(`DNS: rcode ${m.rcode} is not 4-bit`);
  w.u16(m.id);
  const flags =
    (m.qr ? 0x8000 : 0) |
    (m.opcode << 11) |
    (m.aa ? 0x0400 : 0) |
    (m.tc ? 0x0200 : 0) |
    (m.rd ? 0x0100 : 0) |
    (m.ra ? 0x0080 : 0) |
    (m.z ? 0x0040 : 0) |
    (m.ad ? 0x0020 : 0) |
    (m.cd ? 0x0010 : 0) |
    m.rcode;
  w.u16(flags);
  for (const n of [m.questions.length, m.answers.length, m.authority.length, m.additional.length]) u16ok(n, 'count');
  w.u16(m.questions.length);
  w.u16(m.answers.length);
  w.u16(m.authority.length);
  w.u16(m.additional.length);
  for (const q of m.questions) {
    u16ok(q.type, 'type');
    u16ok(q.class, 'class');
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of m.answers) writeRecord(w, r);
  for (const r of m.authority) writeRecord(w, r);
  for (const r of m.additional) writeRecord(w, r);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

type Read<T> = { ok: true; value: T; next: number } | { ok: false; error: string };

function readRData(buf: Uint8Array, type: number, off: number, len: number, base: number, end: number): Read<DnsRData> {
  const stop = off + len;
  const nameIn = (at: number): NameRead => {
    const n = readName(buf, at, base, end);
    if (n.ok && n.next > stop) return { ok: false, error: `DNS: name in ${dnsTypeName(type)} record data runs past its length` };
    return n;
  };
  const exact = (next: number, v: DnsRData): Read<DnsRData> =>
    next === stop ? { ok: true, value: v, next } : { ok: false, error: `DNS: ${dnsTypeName(type)} record data length ${len} does not match its contents` };
  switch (type) {
    case DNS_TYPE.A:
      return len === 4
        ? { ok: true, value: { kind: 'A', address: readU32(buf, off) }, next: stop }
        : { ok: false, error: `DNS: A record data is ${len} bytes, not 4` };
    case DNS_TYPE.AAAA:
      return len === 16
        ? { ok: true, value: { kind: 'AAAA', address: buf.slice(off, stop) }, next: stop }
        : { ok: false, error: `DNS: AAAA record data is ${len} bytes, not 16` };
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR: {
      const n = nameIn(off);
      if (!n.ok) return n;
      const v: DnsRData = type === DNS_TYPE.NS ? { kind: 'NS', host: n.name } : { kind: type === DNS_TYPE.CNAME ? 'CNAME' : 'PTR', target: n.name };
      return exact(n.next, v);
    }
    case DNS_TYPE.MX: {
      if (len < 3) return { ok: false, error: 'DNS: MX record data is too short' };
      const n = nameIn(off + 2);
      if (!n.ok) return n;
      return exact(n.next, { kind: 'MX', preference: readU16(buf, off), exchange: n.name });
    }
    case DNS_TYPE.TXT: {
      const strings: string[] = [];
      let p = off;
      while (p < stop) {
        const l = buf[p];
        if (p + 1 + l > stop) return { ok: false, error: 'DNS: TXT string runs past the record data' };
        strings.push(String.fromCharCode(...buf.subarray(p + 1, p + 1 + l)));
        p += 1 + l;
      }
      return { ok: true, value: { kind: 'TXT', strings }, next: stop };
    }
    case DNS_TYPE.SOA: {
      const m = nameIn(off);
      if (!m.ok) return m;
      const r = nameIn(m.next);
      if (!r.ok) return r;
      if (r.next + 20 !== stop) return { ok: false, error: `DNS: SOA record data length ${len} does not match its contents` };
      const p = r.next;
      return {
        ok: true,
        value: {
          kind: 'SOA',
          mname: m.name,
          rname: r.name,
          serial: readU32(buf, p),
          refresh: readU32(buf, p + 4),
          retry: readU32(buf, p + 8),
          expire: readU32(buf, p + 12),
          minimum: readU32(buf, p + 16),
        },
        next: stop,
      };
    }
    default:
      return { ok: true, value: { kind: 'raw', bytes: buf.slice(off, stop) }, next: stop };
  }
}

/** Where one record's parts are, for the inspector. */
export interface RecordSpan {
  start: number;
  nameEnd: number;
  rdata: number;
  end: number;
}

function readRecord(buf: Uint8Array, off: number, base: number, end: number, spans?: RecordSpan[]): Read<DnsRecord> {
  const n = readName(buf, off, base, end);
  if (!n.ok) return n;
  const p = n.next;
  if (p + 10 > end) return { ok: false, error: `DNS: record at ${off - base} is cut short` };
  const type = readU16(buf, p);
  const rdlength = readU16(buf, p + 8);
  if (p + 10 + rdlength > end) return { ok: false, error: `DNS: record data of ${n.name || '<Root>'} runs past the message` };
  const d = readRData(buf, type, p + 10, rdlength, base, end);
  if (!d.ok) return d;
  spans?.push({ start: off, nameEnd: p, rdata: p + 10, end: p + 10 + rdlength });
  return {
    ok: true,
    value: { name: n.name, type, class: readU16(buf, p + 2), ttl: readU32(buf, p + 4), data: d.value },
    next: p + 10 + rdlength,
  };
}

export interface Spans {
  questions: { start: number; nameEnd: number }[];
  records: RecordSpan[];
}

export function decodeWithSpans(bytes: Uint8Array, offset: number, end: number, spans?: Spans): Decoded<DnsMessage> {
  end = Math.min(end, bytes.length);
  if (!Number.isInteger(offset) || offset < 0 || end - offset < DNS_HEADER_BYTES) {
    return { ok: false, error: `DNS: truncated header (${Math.max(0, end - offset)} of ${DNS_HEADER_BYTES} bytes)` };
  }
  const flags = readU16(bytes, offset + 2);
  const counts = [4, 6, 8, 10].map((k) => readU16(bytes, offset + k));
  let p = offset + DNS_HEADER_BYTES;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const n = readName(bytes, p, offset, end);
    if (!n.ok) return n;
    if (n.next + 4 > end) return { ok: false, error: `DNS: question ${i + 1} is cut short` };
    questions.push({ name: n.name, type: readU16(bytes, n.next), class: readU16(bytes, n.next + 2) });
    spans?.questions.push({ start: p, nameEnd: n.next });
    p = n.next + 4;
  }
  const sections: DnsRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const r = readRecord(bytes, p, offset, end, spans?.records);
      if (!r.ok) return r;
      sections[s].push(r.value);
      p = r.next;
    }
  }
  const value: DnsMessage = {
    id: readU16(bytes, offset),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    questions,
    answers: sections[0],
    authority: sections[1],
    additional: sections[2],
  };
  return { ok: true, value, length: p - offset };
}

/** Decodes the message in `[offset, end)`. Never throws. */
export function decodeDns(bytes: Uint8Array, offset = 0, end = bytes.length): Decoded<DnsMessage> {
  return decodeWithSpans(bytes, offset, end);
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** An IPv6 address in its RFC 5952 text form. */
export function formatAaaa(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  // Longest run of two or more zero groups becomes `::` (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = groups.map((g) => g.toString(16));
  if (best < 0) return h.join(':');
  return `${h.slice(0, best).join(':')}::${h.slice(best + bestLen).join(':')}`;
}

/** Record data as a zone file writes it (`93.184.216.34`, `ns1.example.com.`, SOA fields…). */
export function rdataText(d: DnsRData, fqdnNames = true): string {
  const n = (s: string) => (fqdnNames ? fqdn(s) : s || '<Root>');
  switch (d.kind) {
    case 'A':
      return formatIpv4(d.address);
    case 'AAAA':
      return formatAaaa(d.address);
    case 'NS':
      return n(d.host);
    case 'CNAME':
    case 'PTR':
      return n(d.target);
    case 'MX':
      return `${d.preference} ${n(d.exchange)}`;
    case 'TXT':
      return d.strings.map((s) => JSON.stringify(s)).join(' ');
    case 'SOA':
      return `${n(d.mname)} ${n(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'raw':
      return `\\# ${d.bytes.length}${d.bytes.length ? ' ' + hexBytes(d.bytes, 0, d.bytes.length, 4096) : ''}`;
  }
}

/** Short data as Wireshark's Info column writes it (no trailing dots; SOA as its primary server). */
function infoData(r: DnsRecord): string {
  const d = r.data;
  if (d.kind === 'SOA') return d.mname || '<Root>';
  if (d.kind === 'MX') return `${d.preference} ${d.exchange || '<Root>'}`;
  return rdataText(d, false);
}

/** Wireshark's word for an opcode (its Info column). */
export function dnsOpcodeWord(opcode: number): string {
  return (
    ['Standard query', 'Inverse query', 'Server status request', 'Unknown operation', 'Zone change notification', 'Dynamic update'][opcode] ??
    'Unknown operation'
  );
}

/**
 * Wireshark's Info column: `Standard query 0x1a2b A example.com`,
 * `Standard query response 0x1a2b A example.com A 93.184.216.34`,
 * `Standard query response 0x1a2b No such name A nope.example.com SOA ns1.example.com`.
 * A referral (no answers) lists its authority records, so the iterative walk reads in the packet list.
 */
export function dnsSummary(m: DnsMessage): string {
  let s = `${dnsOpcodeWord(m.opcode)}${m.qr ? ' response' : ''} ${hex(m.id, 4)}`;
  if (m.qr && m.rcode !== 0) s += ` ${RCODE_WORDS[m.rcode] ?? dnsRcodeName(m.rcode)}`;
  for (const q of m.questions) s += ` ${dnsTypeName(q.type)} ${q.name || '<Root>'}`;
  const shown = m.answers.length ? m.answers : m.authority;
  for (const r of shown) if (r.type !== DNS_TYPE.OPT) s += ` ${dnsTypeName(r.type)} ${infoData(r)}`;
  for (const r of m.additional) if (r.type === DNS_TYPE.OPT) s += ' OPT';
  return s;
}
