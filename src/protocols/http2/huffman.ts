/**
 * HPACK's Huffman code (RFC 7541 §5.2, Appendix B). The code is canonical, so the table below holds
 * only each symbol's code length (symbols 0–255, then EOS); the codes follow from the lengths.
 */

/** Code length in bits of symbols 0–255 and EOS (256), RFC 7541 Appendix B. */
const LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11,
  10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7,
  8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23,
  22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23,
  23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26,
  27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27,
  27, 27, 26, 30,
];

const EOS = 256;

/** Canonical codes: symbols sorted by (length, symbol) get consecutive codes. */
const CODES: readonly number[] = (() => {
  const order = LENGTHS.map((_, s) => s).sort((a, b) => LENGTHS[a] - LENGTHS[b] || a - b);
  const codes = new Array<number>(LENGTHS.length);
  let code = 0;
  let prev = LENGTHS[order[0]];
  for (const s of order) {
    code *= 2 ** (LENGTHS[s] - prev);
    prev = LENGTHS[s];
    codes[s] = code;
    code++;
  }
  return codes;
})();

/** Decoding tree: node i has children at tree[2i] (bit 0) and tree[2i+1] (bit 1); leaves are ~symbol. */
const TREE: Int32Array = (() => {
  const tree = new Int32Array(2 * 600).fill(0);
  let next = 1;
  for (let s = 0; s < LENGTHS.length; s++) {
    let node = 0;
    for (let b = LENGTHS[s] - 1; b >= 0; b--) {
      const bit = Math.floor(CODES[s] / 2 ** b) & 1;
      const slot = 2 * node + bit;
      if (b === 0) tree[slot] = ~s;
      else {
        if (tree[slot] === 0) tree[slot] = next++;
        node = tree[slot];
      }
    }
  }
  return tree;
})();

/** The code of a symbol, for tests: `{ code, bits }`. */
export function huffmanCode(symbol: number): { code: number; bits: number } {
  return { code: CODES[symbol], bits: LENGTHS[symbol] };
}

/** Bytes the Huffman encoding of `data` takes. */
export function huffmanLength(data: Uint8Array): number {
  let bits = 0;
  for (const c of data) bits += LENGTHS[c];
  return Math.ceil(bits / 8);
}

/** Huffman-encodes `data`, padding the last byte with the EOS prefix (1 bits). */
export function huffmanEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanLength(data));
  let acc = 0;
  let nbits = 0;
  let o = 0;
  for (const c of data) {
    let len = LENGTHS[c];
    const code = CODES[c];
    while (len > 0) {
      const take = Math.min(len, 8 - nbits);
      const bits = Math.floor(code / 2 ** (len - take)) & ((1 << take) - 1);
      acc = (acc << take) | bits;
      nbits += take;
      len -= take;
      if (nbits === 8) {
        out[o++] = acc;
        acc = 0;
        nbits = 0;
      }
    }
  }
  if (nbits > 0) out[o] = (acc << (8 - nbits)) | ((1 << (8 - nbits)) - 1);
  return out;
}

/**
 * Decodes a Huffman-encoded string. Throws on EOS in the data, or padding longer than 7 bits or not
 * all ones (RFC 7541 §5.2: a decoding error).
 */
export function huffmanDecode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let node = 0;
  let depth = 0;
  let allOnes = true;
  for (const byte of data) {
    for (let b = 7; b >= 0; b--) {
      const bit = (byte >> b) & 1;
      const v = TREE[2 * node + bit];
      depth++;
      allOnes = allOnes && bit === 1;
      if (v < 0) {
        const sym = ~v;
        if (sym === EOS) throw new Error('HPACK: EOS in Huffman data');
        out.push(sym);
        node = 0;
        depth = 0;
        allOnes = true;
      } else {
        node = v;
      }
    }
  }
  if (depth > 7 || !allOnes) throw new Error('HPACK: bad Huffman padding');
  return Uint8Array.from(out);
}
