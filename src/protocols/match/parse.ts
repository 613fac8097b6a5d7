/**
 * The match language: a small, Wireshark-like display filter used by the drop fault, the event
 * list and lessons.
 *
 *   tcp and tcp.seq == 2921
 *   tcp.flags == SYN+ACK and ip.dst == 10.0.0.1
 *   not arp and (udp.port == 53 or icmp.type == 8)
 *
 * - A protocol name (`tcp`) or field name alone is true when present in the frame.
 * - Comparisons: `==`, `!=`, `<`, `>`, `<=`, `>=` (also `eq ne lt gt le ge`). Values are numbers
 *   (decimal or `0x` hex), IPv4 addresses, MAC addresses, TCP flag sets (`SYN+ACK`: exactly these
 *   flags), or quoted strings.
 * - `and`/`&&`, `or`/`||`, `not`/`!`, parentheses. `not` binds tightest, then `and`, then `or`.
 * - `tcp.seq` and `tcp.ack` are relative (as Wireshark shows them by default); `tcp.seq_raw` and
 *   `tcp.ack_raw` are absolute.
 */
import { parseIpv4, parseMac } from '../addr';
import { TCP_FLAG_BITS } from '../tcp/tcp-header';
import type { CompareOp, MatchExpr, MatchValue } from './ast';
import { isKnownField, suggestField } from './fields';

/** A parse error; `position` is the 0-based offset in the text. */
export interface MatchParseError {
  message: string;
  position: number;
}

type Tok =
  | { t: 'word'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'op'; v: CompareOp; pos: number }
  | { t: 'and' | 'or' | 'not' | '(' | ')' | 'end'; pos: number };

class ParseFail extends Error {
  constructor(
    readonly detail: string,
    readonly position: number,
  ) {
    super(detail);
  }
}

const WORD_OPS: Record<string, CompareOp> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
    } else if (two === '&&' || two === '||') {
      out.push({ t: two === '&&' ? 'and' : 'or', pos: i });
      i += 2;
    } else if (c === '<' || c === '>') {
      out.push({ t: 'op', v: c, pos: i });
      i++;
    } else if (c === '!') {
      out.push({ t: 'not', pos: i });
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, pos: i });
      i++;
    } else if (c === '=') {
      throw new ParseFail('"=" is not an operator; compare with "=="', i);
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ParseFail(`unclosed ${c} quote`, i);
      out.push({ t: 'string', v: text.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (/[A-Za-z0-9_.:+-]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.:+-]/.test(text[i])) i++;
      const w = text.slice(start, i);
      const lower = w.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') out.push({ t: lower, pos: start });
      else if (WORD_OPS[lower]) out.push({ t: 'op', v: WORD_OPS[lower], pos: start });
      else out.push({ t: 'word', v: w, pos: start });
    } else {
      throw new ParseFail(`unexpected character "${c}"`, i);
    }
  }
  out.push({ t: 'end', pos: text.length });
  return out;
}

function describe(tok: Tok): string {
  switch (tok.t) {
    case 'end':
      return 'the end';
    case 'word':
    case 'string':
      return `"${tok.v}"`;
    case 'op':
      return `"${tok.v}"`;
    default:
      return `"${tok.t}"`;
  }
}

/** Reads a literal written after a comparison. `field` decides how flag names are read. */
function literal(text: string, pos: number, field: string, quoted: boolean): MatchValue {
  if (quoted) return { kind: 'string', value: text, text };
  if (/^0x[0-9a-f]+$/i.test(text)) return { kind: 'number', value: parseInt(text.slice(2), 16), text };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'number', value: Number(text), text };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const ip = parseIpv4(text);
    if (ip === undefined) throw new ParseFail(`"${text}" is not an IPv4 address`, pos);
    return { kind: 'ipv4', value: ip, text };
  }
  if (/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(text)) {
    const mac = parseMac(text.replace(/-/g, ':'));
    if (mac === undefined) throw new ParseFail(`"${text}" is not a MAC address`, pos);
    return { kind: 'mac', value: text.toLowerCase().replace(/-/g, ':'), text };
  }
  if (field === 'tcp.flags') {
    let bits = 0;
    for (const name of text.split('+')) {
      const b = TCP_FLAG_BITS[name.toUpperCase()];
      if (b === undefined) throw new ParseFail(`"${name}" is not a TCP flag (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR)`, pos);
      bits |= b;
    }
    return { kind: 'number', value: bits, text };
  }
  return { kind: 'string', value: text, text };
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i];
  }

  private next(): Tok {
    return this.toks[this.i++];
  }

  parse(): MatchExpr {
    if (this.peek().t === 'end') throw new ParseFail('empty expression', 0);
    const e = this.or();
    const t = this.peek();
    if (t.t !== 'end') {
      throw new ParseFail(t.t === ')' ? 'unmatched ")"' : `expected "and", "or" or the end, found ${describe(t)}`, t.pos);
    }
    return e;
  }

  private or(): MatchExpr {
    let left = this.and();
    while (this.peek().t === 'or') {
      const pos = this.next().pos;
      left = { type: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  private and(): MatchExpr {
    let left = this.unary();
    while (this.peek().t === 'and') {
      const pos = this.next().pos;
      left = { type: 'and', left, right: this.unary(), pos };
    }
    return left;
  }

  private unary(): MatchExpr {
    const t = this.peek();
    if (t.t === 'not') {
      this.next();
      return { type: 'not', expr: this.unary(), pos: t.pos };
    }
    return this.primary();
  }

  private primary(): MatchExpr {
    const t = this.next();
    if (t.t === '(') {
      const e = this.or();
      const close = this.next();
      if (close.t !== ')') throw new ParseFail(`expected ")" to close the "(" at column ${t.pos + 1}, found ${describe(close)}`, close.pos);
      return e;
    }
    if (t.t !== 'word') throw new ParseFail(`expected a protocol or field name, found ${describe(t)}`, t.pos);
    const field = t.v;
    if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/i.test(field) || !isKnownField(field)) {
      const hint = suggestField(field);
      throw new ParseFail(`unknown field "${field}"${hint ? ` (did you mean ${hint}?)` : ''}`, t.pos);
    }
    const op = this.peek();
    if (op.t !== 'op') return { type: 'present', field, pos: t.pos };
    this.next();
    const v = this.next();
    if (v.t !== 'word' && v.t !== 'string') throw new ParseFail(`expected a value after "${op.v}", found ${describe(v)}`, v.pos);
    const value = literal(v.v, v.pos, field, v.t === 'string');
    if (value.kind === 'string' || value.kind === 'mac') {
      if (op.v !== '==' && op.v !== '!=') throw new ParseFail(`"${op.v}" compares numbers; ${value.text} is not a number`, op.pos);
    }
    return { type: 'compare', field, op: op.v, value, pos: t.pos };
  }
}

/** Parses a match expression. Never throws. */
export function parseMatch(text: string): { ok: true; expr: MatchExpr } | { ok: false; error: MatchParseError } {
  try {
    return { ok: true, expr: new Parser(lex(text)).parse() };
  } catch (e) {
    if (e instanceof ParseFail) return { ok: false, error: { message: e.detail, position: e.position } };
    throw e;
  }
}

/** `column 12: unknown field "tcp.sq" (did you mean tcp.seq?)`. */
export function formatMatchError(error: MatchParseError): string {
  return `column ${error.position + 1}: ${error.message}`;
}
