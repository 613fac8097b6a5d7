/**
 * Evaluates match expressions against frame bytes. Fields come from the frame dissector
 * (`dissectFrame(bytes).layers[].fields[].key`, values read from their display text), plus
 * computed ones (`tcp.seq`/`tcp.ack` relative, `tcp.port`, `ip.addr`, ...).
 *
 * Relative sequence numbers need to know each direction's ISN, so a {@link FrameMatcher} is
 * stateful: it learns ISNs from the SYNs of every frame it sees (tested or only `observe`d), in
 * order. A direction whose SYN it never saw takes its first seen sequence number as the base (as
 * Wireshark does), and an acknowledgement whose base is unknown stays absolute.
 */
import type { Field } from '../codec';
import { registerBuiltinProtocols } from '../builtin';
import { dissectFrame } from '../dissect';
import { readU16, readU32 } from '../bytes';
import { parseIpv4 } from '../addr';
import type { MatchExpr, MatchValue } from './ast';
import { formatMatchError, parseMatch } from './parse';

type Val = number | string;

function readDisplay(text: string): Val {
  const ip = /\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\b/.exec(text);
  if (ip && /^\D*\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/.test(text)) return parseIpv4(ip[1]) ?? text;
  const mac = /[0-9a-f]{2}(:[0-9a-f]{2}){5}/i.exec(text);
  if (mac) return mac[0].toLowerCase();
  const hex = /^0x([0-9a-f]+)/i.exec(text);
  if (hex) return parseInt(hex[1], 16);
  const num = /^-?\d+(\.\d+)?/.exec(text);
  if (num) return Number(num[0]);
  const paren = /\((0x[0-9a-f]+|\d+)\)/i.exec(text);
  if (paren) return paren[1].startsWith('0x') ? parseInt(paren[1].slice(2), 16) : Number(paren[1]);
  if (text === 'Set') return 1;
  if (text === 'Not set') return 0;
  return text;
}

/** The fields of one frame, by key (a key may occur several times). */
class FrameFields {
  readonly protocols = new Set<string>();
  private readonly values = new Map<string, Val[]>();

  add(key: string, v: Val): void {
    const list = this.values.get(key);
    if (list) list.push(v);
    else this.values.set(key, [v]);
  }

  get(key: string): readonly Val[] | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.protocols.has(key) || this.values.has(key);
  }
}

function addFields(out: FrameFields, fields: readonly Field[]): void {
  for (const f of fields) {
    out.add(f.key, readDisplay(f.value));
    if (f.children) addFields(out, f.children);
  }
}

/** Per-direction ISNs for relative sequence numbers. */
class TcpSeqBases {
  private readonly bases = new Map<string, number>();

  /** Learns from a segment; returns its relative seq and ack (ack undefined when its base is unknown). */
  learn(src: number, sport: number, dst: number, dport: number, seq: number, ack: number, syn: boolean): { seq: number; ack: number | undefined } {
    const fwd = `${src}:${sport}>${dst}:${dport}`;
    if (syn || !this.bases.has(fwd)) this.bases.set(fwd, seq);
    const rev = this.bases.get(`${dst}:${dport}>${src}:${sport}`);
    return { seq: (seq - this.bases.get(fwd)!) >>> 0, ack: rev === undefined ? undefined : (ack - rev) >>> 0 };
  }
}

/** Dissects `bytes` into fields, with the computed ones (learning TCP bases in `bases`). */
function frameFields(bytes: Uint8Array, bases: TcpSeqBases): FrameFields {
  const d = dissectFrame(bytes);
  const out = new FrameFields();
  let ipOff = -1;
  let tcpOff = -1;
  for (const layer of d.layers) {
    out.protocols.add(layer.protocol);
    addFields(out, layer.fields);
    if (layer.protocol === 'ip') ipOff = layer.offset;
    if (layer.protocol === 'tcp') tcpOff = layer.offset;
  }
  for (const [pair, key] of [
    [['ip.src', 'ip.dst'], 'ip.addr'],
    [['eth.src', 'eth.dst'], 'eth.addr'],
    [['tcp.srcport', 'tcp.dstport'], 'tcp.port'],
    [['udp.srcport', 'udp.dstport'], 'udp.port'],
  ] as const) {
    for (const k of pair) for (const v of out.get(k) ?? []) out.add(key, v);
  }
  for (const v of out.get('tcp.window_size_value') ?? []) out.add('tcp.window_size', v);
  if (tcpOff >= 0 && ipOff >= 0) {
    const flags = bytes[tcpOff + 13];
    const seqRaw = readU32(bytes, tcpOff + 4);
    const rel = bases.learn(
      readU32(bytes, ipOff + 12),
      readU16(bytes, tcpOff),
      readU32(bytes, ipOff + 16),
      readU16(bytes, tcpOff + 2),
      seqRaw,
      readU32(bytes, tcpOff + 8),
      (flags & 0x02) !== 0,
    );
    out.add('tcp.seq', rel.seq);
    if (flags & 0x10) out.add('tcp.ack', rel.ack ?? readU32(bytes, tcpOff + 8));
    const len = (out.get('tcp.len')?.[0] as number | undefined) ?? 0;
    out.add('tcp.nxtseq', (rel.seq + len + (flags & 0x03 ? 1 : 0)) >>> 0);
  }
  return out;
}

function literalValue(v: MatchValue): Val {
  return v.value;
}

function compare(a: Val, op: string, b: Val): boolean {
  if (typeof a !== typeof b) return op === '!=';
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

/** Evaluates `expr` on the fields of one frame (Wireshark semantics: any occurrence matches; `!=` needs all to differ). */
function evaluateMatch(expr: MatchExpr, f: FrameFields): boolean {
  switch (expr.type) {
    case 'and':
      return evaluateMatch(expr.left, f) && evaluateMatch(expr.right, f);
    case 'or':
      return evaluateMatch(expr.left, f) || evaluateMatch(expr.right, f);
    case 'not':
      return !evaluateMatch(expr.expr, f);
    case 'present':
      return f.has(expr.field);
    case 'compare': {
      const vals = f.get(expr.field);
      if (!vals || vals.length === 0) return false;
      const lit = literalValue(expr.value);
      if (expr.op === '!=') return vals.every((v) => compare(v, '!=', lit));
      return vals.some((v) => compare(v, expr.op, lit));
    }
  }
}

/** A compiled expression that tests frames in order (stateful for relative TCP numbers). */
export class FrameMatcher {
  private readonly bases = new TcpSeqBases();

  constructor(
    readonly expr: MatchExpr,
    readonly source: string,
  ) {
    registerBuiltinProtocols();
  }

  /** Lets the matcher learn from a frame it is not asked about (e.g. earlier frames of the trace). */
  observe(bytes: Uint8Array): void {
    if (bytes.length >= 14 && readU16(bytes, 12) === 0x0800) frameFields(bytes, this.bases);
  }

  /** Whether the frame matches. */
  test(bytes: Uint8Array): boolean {
    return evaluateMatch(this.expr, frameFields(bytes, this.bases));
  }
}

/** Parses and compiles; the error names the column. */
export function compileMatch(text: string): { ok: true; matcher: FrameMatcher } | { ok: false; error: string; position: number } {
  const r = parseMatch(text);
  if (!r.ok) return { ok: false, error: formatMatchError(r.error), position: r.error.position };
  return { ok: true, matcher: new FrameMatcher(r.expr, text) };
}
