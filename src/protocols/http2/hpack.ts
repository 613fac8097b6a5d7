/**
 * HPACK header compression (RFC 7541): the static table, a dynamic table per direction, prefixed
 * integers, string literals (Huffman decoding always; Huffman encoding optional), and the five
 * field representations. An encoder and its peer's decoder must see the same header blocks in the
 * same order, which is why HTTP/2 sends them on one stream of frames.
 */
import { huffmanDecode, huffmanEncode, huffmanLength } from './huffman';

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** RFC 7541 Appendix A: index 1..61. */
export const STATIC_TABLE: readonly HeaderField[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
].map(([name, value]) => ({ name, value }));

/** Default SETTINGS_HEADER_TABLE_SIZE. */
const DEFAULT_TABLE_SIZE = 4096;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Size of an entry for table accounting (RFC 7541 §4.1): name + value + 32. */
function entrySize(f: HeaderField): number {
  return enc.encode(f.name).length + enc.encode(f.value).length + 32;
}

/** The dynamic table: newest entry first (index 62 is the newest). */
export class DynamicTable {
  readonly entries: HeaderField[] = [];
  size = 0;

  constructor(public maxSize = DEFAULT_TABLE_SIZE) {}

  add(f: HeaderField): void {
    const s = entrySize(f);
    this.entries.unshift(f);
    this.size += s;
    this.evict();
  }

  resize(max: number): void {
    this.maxSize = max;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.entries.length > 0) this.size -= entrySize(this.entries.pop()!);
  }

  /** Entry at HPACK index `i` (1-based over static then dynamic), or undefined. */
  get(i: number): HeaderField | undefined {
    if (i >= 1 && i <= STATIC_TABLE.length) return STATIC_TABLE[i - 1];
    return this.entries[i - STATIC_TABLE.length - 1];
  }
}

// ------------------------------------------------------------------ primitives

/** Appends an integer with an N-bit prefix (RFC 7541 §5.1); `first` holds the representation's high bits. */
export function encodeInteger(out: number[], value: number, prefixBits: number, first: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(first | value);
    return;
  }
  out.push(first | max);
  let v = value - max;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Reads an integer with an N-bit prefix at `pos`; returns the value and the position after it. */
export function decodeInteger(b: Uint8Array, pos: number, prefixBits: number): { value: number; pos: number } {
  if (pos >= b.length) throw new Error('HPACK: integer runs past the block');
  const max = (1 << prefixBits) - 1;
  let value = b[pos++] & max;
  if (value < max) return { value, pos };
  let m = 1;
  for (;;) {
    if (pos >= b.length) throw new Error('HPACK: integer runs past the block');
    const byte = b[pos++];
    value += (byte & 0x7f) * m;
    m *= 128;
    if (value > 0x7fff_ffff) throw new Error('HPACK: integer too large');
    if ((byte & 0x80) === 0) return { value, pos };
  }
}

function encodeString(out: number[], s: string, huffman: boolean): void {
  const raw = enc.encode(s);
  if (huffman && huffmanLength(raw) <= raw.length) {
    const h = huffmanEncode(raw);
    encodeInteger(out, h.length, 7, 0x80);
    for (const x of h) out.push(x);
  } else {
    encodeInteger(out, raw.length, 7, 0);
    for (const x of raw) out.push(x);
  }
}

function decodeString(b: Uint8Array, pos: number): { value: string; pos: number; huffman: boolean } {
  const huffman = (b[pos] & 0x80) !== 0;
  const n = decodeInteger(b, pos, 7);
  if (n.pos + n.value > b.length) throw new Error('HPACK: string runs past the block');
  const raw = b.subarray(n.pos, n.pos + n.value);
  return { value: dec.decode(huffman ? huffmanDecode(raw) : raw), pos: n.pos + n.value, huffman };
}

// ------------------------------------------------------------------ representations

/** How one header field was represented, for the inspector. */
export interface DecodedField extends HeaderField {
  readonly representation: 'indexed' | 'incremental' | 'without-indexing' | 'never-indexed';
  /** Index used (full field or name), 0 for a new name. */
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly huffman: boolean;
}

/** Decodes header blocks, keeping the dynamic table between them (one per connection direction). */
export class HpackDecoder {
  readonly table: DynamicTable;

  constructor(maxSize = DEFAULT_TABLE_SIZE) {
    this.table = new DynamicTable(maxSize);
  }

  /** Decodes one complete header block. Throws on a malformed block (a COMPRESSION_ERROR). */
  decode(block: Uint8Array): HeaderField[] {
    return this.decodeDetailed(block).map(({ name, value }) => ({ name, value }));
  }

  /** Like {@link decode}, with how each field was represented and where its bytes are. */
  decodeDetailed(block: Uint8Array): DecodedField[] {
    const out: DecodedField[] = [];
    let pos = 0;
    while (pos < block.length) {
      const start = pos;
      const b = block[pos];
      if (b & 0x80) {
        const n = decodeInteger(block, pos, 7);
        const f = n.value === 0 ? undefined : this.table.get(n.value);
        if (!f) throw new Error(`HPACK: index ${n.value} is not in the table`);
        pos = n.pos;
        out.push({ ...f, representation: 'indexed', index: n.value, offset: start, length: pos - start, huffman: false });
        continue;
      }
      if ((b & 0xe0) === 0x20) {
        const n = decodeInteger(block, pos, 5);
        this.table.resize(n.value);
        pos = n.pos;
        continue;
      }
      const incremental = (b & 0xc0) === 0x40;
      const prefix = incremental ? 6 : 4;
      const representation = incremental ? 'incremental' : b & 0x10 ? 'never-indexed' : 'without-indexing';
      const n = decodeInteger(block, pos, prefix);
      pos = n.pos;
      let name: string;
      let huffman = false;
      if (n.value === 0) {
        const s = decodeString(block, pos);
        name = s.value;
        pos = s.pos;
        huffman = s.huffman;
      } else {
        const f = this.table.get(n.value);
        if (!f) throw new Error(`HPACK: name index ${n.value} is not in the table`);
        name = f.name;
      }
      const v = decodeString(block, pos);
      pos = v.pos;
      const field = { name, value: v.value };
      if (incremental) this.table.add(field);
      out.push({ ...field, representation, index: n.value, offset: start, length: pos - start, huffman: huffman || v.huffman });
    }
    return out;
  }
}

/** Options of an {@link HpackEncoder}. */
export interface HpackEncoderOptions {
  /** Huffman-encode strings when not longer (default false: literals, easier to read in the hex view). */
  huffman?: boolean;
  /** Add new fields to the dynamic table (default true). */
  indexing?: boolean;
}

/** Encodes header lists, keeping the dynamic table the peer's decoder will mirror. */
export class HpackEncoder {
  readonly table: DynamicTable;

  constructor(
    private readonly options: HpackEncoderOptions = {},
    maxSize = DEFAULT_TABLE_SIZE,
  ) {
    this.table = new DynamicTable(maxSize);
  }

  encode(fields: readonly HeaderField[]): Uint8Array {
    const out: number[] = [];
    const huffman = this.options.huffman ?? false;
    const indexing = this.options.indexing ?? true;
    for (const f of fields) {
      const { full, name } = this.find(f);
      if (full) {
        encodeInteger(out, full, 7, 0x80);
        continue;
      }
      if (indexing) encodeInteger(out, name, 6, 0x40);
      else encodeInteger(out, name, 4, 0x00);
      if (!name) encodeString(out, f.name, huffman);
      encodeString(out, f.value, huffman);
      if (indexing) this.table.add(f);
    }
    return Uint8Array.from(out);
  }

  /** The lowest index holding the whole field, and the lowest holding its name (0: none). */
  private find(f: HeaderField): { full: number; name: number } {
    let name = 0;
    const n = STATIC_TABLE.length + this.table.entries.length;
    for (let i = 1; i <= n; i++) {
      const e = this.table.get(i)!;
      if (e.name !== f.name) continue;
      if (e.value === f.value) return { full: i, name: i };
      if (!name) name = i;
    }
    return { full: 0, name };
  }
}
