import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInteger, encodeInteger, HpackDecoder, HpackEncoder, STATIC_TABLE, type HeaderField } from '../../../src/protocols/http2/hpack';
import { huffmanCode, huffmanDecode, huffmanEncode } from '../../../src/protocols/http2/huffman';
import { hex } from '../arbitraries';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const h = (name: string, value: string): HeaderField => ({ name, value });
const enc = new TextEncoder();

// RFC 7541 Appendix C: the request and response examples, as header lists and their encodings.
const REQUESTS: HeaderField[][] = [
  [h(':method', 'GET'), h(':scheme', 'http'), h(':path', '/'), h(':authority', 'www.example.com')],
  [h(':method', 'GET'), h(':scheme', 'http'), h(':path', '/'), h(':authority', 'www.example.com'), h('cache-control', 'no-cache')],
  [h(':method', 'GET'), h(':scheme', 'https'), h(':path', '/index.html'), h(':authority', 'www.example.com'), h('custom-key', 'custom-value')],
];
const C3 = ['828684410f7777772e6578616d706c652e636f6d', '828684be58086e6f2d6361636865', '828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565'];
const C4 = ['828684418cf1e3c2e5f23a6ba0ab90f4ff', '828684be5886a8eb10649cbf', '828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf'];

const RESPONSES: HeaderField[][] = [
  [h(':status', '302'), h('cache-control', 'private'), h('date', 'Mon, 21 Oct 2013 20:13:21 GMT'), h('location', 'https://www.example.com')],
  [h(':status', '307'), h('cache-control', 'private'), h('date', 'Mon, 21 Oct 2013 20:13:21 GMT'), h('location', 'https://www.example.com')],
  [
    h(':status', '200'),
    h('cache-control', 'private'),
    h('date', 'Mon, 21 Oct 2013 20:13:22 GMT'),
    h('location', 'https://www.example.com'),
    h('content-encoding', 'gzip'),
    h('set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'),
  ],
];
const C6 = [
  '488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3',
  '4883640effc1c0bf',
  '88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007',
];

describe('HPACK primitives (RFC 7541 §5, Appendix C.1)', () => {
  it('encodes and decodes prefixed integers like C.1', () => {
    const out: number[] = [];
    encodeInteger(out, 10, 5, 0);
    expect(out).toEqual([0x0a]);
    out.length = 0;
    encodeInteger(out, 1337, 5, 0);
    expect(out).toEqual([0x1f, 0x9a, 0x0a]);
    out.length = 0;
    encodeInteger(out, 42, 8, 0);
    expect(out).toEqual([0x2a]);
    expect(decodeInteger(Uint8Array.of(0x1f, 0x9a, 0x0a), 0, 5)).toEqual({ value: 1337, pos: 3 });
  });

  it('round-trips integers for every prefix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 8 }), (v, n) => {
        const out: number[] = [];
        encodeInteger(out, v, n, 0);
        expect(decodeInteger(Uint8Array.from(out), 0, n)).toEqual({ value: v, pos: out.length });
      }),
    );
  });

  it('has the 61-entry static table of Appendix A', () => {
    expect(STATIC_TABLE).toHaveLength(61);
    expect(STATIC_TABLE[0]).toEqual(h(':authority', ''));
    expect(STATIC_TABLE[7]).toEqual(h(':status', '200'));
    expect(STATIC_TABLE[60]).toEqual(h('www-authenticate', ''));
  });
});

describe('Huffman code (Appendix B)', () => {
  it('derives the canonical codes', () => {
    expect(huffmanCode(0)).toEqual({ code: 0x1ff8, bits: 13 });
    expect(huffmanCode(48)).toEqual({ code: 0x0, bits: 5 });
    expect(huffmanCode(97)).toEqual({ code: 0x3, bits: 5 });
    expect(huffmanCode(255)).toEqual({ code: 0x3ffffee, bits: 26 });
    expect(huffmanCode(256)).toEqual({ code: 0x3fffffff, bits: 30 });
  });

  it('encodes the strings of C.4 and C.6', () => {
    expect(toHex(huffmanEncode(enc.encode('www.example.com')))).toBe('f1e3c2e5f23a6ba0ab90f4ff');
    expect(toHex(huffmanEncode(enc.encode('no-cache')))).toBe('a8eb10649cbf');
    expect(toHex(huffmanEncode(enc.encode('custom-key')))).toBe('25a849e95ba97d7f');
    expect(toHex(huffmanEncode(enc.encode('302')))).toBe('6402');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(huffmanDecode(huffmanEncode(b))).toEqual(b);
      }),
    );
  });

  it('rejects bad padding and EOS', () => {
    expect(() => huffmanDecode(Uint8Array.of(0x00))).toThrow(/padding/); // '0' then 3 zero bits
    expect(() => huffmanDecode(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toThrow(/EOS|padding/);
  });
});

describe('HPACK encoder and decoder (Appendix C.2 to C.6)', () => {
  it('decodes C.2.1: a literal with incremental indexing and a new name', () => {
    const d = new HpackDecoder();
    expect(d.decode(hex('400a637573746f6d2d6b65790d637573746f6d2d686561646572'))).toEqual([h('custom-key', 'custom-header')]);
    expect(d.table.size).toBe(55);
  });

  it('decodes C.2.2 to C.2.4: without indexing, never indexed, indexed', () => {
    const d = new HpackDecoder();
    expect(d.decode(hex('040c2f73616d706c652f70617468'))).toEqual([h(':path', '/sample/path')]);
    expect(d.decode(hex('100870617373776f726406736563726574'))).toEqual([h('password', 'secret')]);
    expect(d.decode(hex('82'))).toEqual([h(':method', 'GET')]);
    expect(d.table.entries).toHaveLength(0);
  });

  it('encodes and decodes the requests of C.3 (no Huffman) and C.4 (Huffman), keeping the dynamic table', () => {
    for (const [huffman, vectors] of [
      [false, C3],
      [true, C4],
    ] as const) {
      const e = new HpackEncoder({ huffman });
      const d = new HpackDecoder();
      REQUESTS.forEach((req, i) => {
        expect(toHex(e.encode(req))).toBe(vectors[i]);
        expect(d.decode(hex(vectors[i]))).toEqual(req);
      });
      expect(d.table.size).toBe(164);
      expect(d.table.entries.map((x) => x.name)).toEqual(['custom-key', 'cache-control', ':authority']);
    }
  });

  it('encodes and decodes the responses of C.6 with a 256-byte table, evicting old entries', () => {
    const e = new HpackEncoder({ huffman: true }, 256);
    const d = new HpackDecoder(256);
    RESPONSES.forEach((res, i) => {
      expect(toHex(e.encode(res))).toBe(C6[i]);
      expect(d.decode(hex(C6[i]))).toEqual(res);
    });
    expect(d.table.size).toBe(215);
    expect(d.table.entries.map((x) => x.name)).toEqual(['set-cookie', 'content-encoding', 'date']);
  });

  it('round-trips any header lists through one encoder and decoder pair', () => {
    const field = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), value: fc.string({ maxLength: 40 }) });
    fc.assert(
      fc.property(fc.array(fc.array(field, { maxLength: 8 }), { maxLength: 6 }), fc.boolean(), (lists, huffman) => {
        const e = new HpackEncoder({ huffman }, 256);
        const d = new HpackDecoder(256);
        for (const l of lists) expect(d.decode(e.encode(l))).toEqual(l);
      }),
    );
  });

  it('rejects an index that is not in the table', () => {
    expect(() => new HpackDecoder().decode(hex('be'))).toThrow(/not in the table/);
  });
});
