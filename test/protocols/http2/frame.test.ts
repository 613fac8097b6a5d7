import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerBuiltinProtocols } from '../../../src/protocols/builtin';
import { dissectHttp } from '../../../src/protocols/http/dissect';
import {
  CONNECTION_PREFACE,
  decodeFrame,
  describeHttp2,
  encodeFrame,
  findFrameStart,
  ErrorCode,
  http2Frame,
  Setting,
  type Http2Frame,
} from '../../../src/protocols/http2/frame';
import { HpackEncoder } from '../../../src/protocols/http2/hpack';

registerBuiltinProtocols();

const sid = fc.integer({ min: 1, max: 0x7fff_ffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const bytes = (max = 64) => fc.uint8Array({ maxLength: max });
const frame: fc.Arbitrary<Http2Frame> = fc.oneof(
  fc.record({ type: fc.constant('DATA' as const), streamId: sid, endStream: fc.boolean(), data: bytes() }),
  fc.record({ type: fc.constant('HEADERS' as const), streamId: sid, endStream: fc.boolean(), endHeaders: fc.boolean(), block: bytes() }),
  fc.record({ type: fc.constant('CONTINUATION' as const), streamId: sid, endHeaders: fc.boolean(), block: bytes() }),
  fc.record({ type: fc.constant('RST_STREAM' as const), streamId: sid, errorCode: u32 }),
  fc.record({
    type: fc.constant('SETTINGS' as const),
    ack: fc.boolean(),
    settings: fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), u32), { maxLength: 6 }),
  }),
  fc.record({ type: fc.constant('PING' as const), ack: fc.boolean(), data: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
  fc.record({ type: fc.constant('GOAWAY' as const), lastStreamId: fc.integer({ min: 0, max: 0x7fff_ffff }), errorCode: u32, debug: bytes(16) }),
  fc.record({
    type: fc.constant('WINDOW_UPDATE' as const),
    streamId: fc.integer({ min: 0, max: 0x7fff_ffff }),
    increment: fc.integer({ min: 1, max: 0x7fff_ffff }),
  }),
);

describe('HTTP/2 frames', () => {
  it('round-trip through encode and decode, with byteLength matching', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const b = encodeFrame(f);
        expect(b.length).toBe(http2Frame.byteLength(f));
        const d = decodeFrame(b);
        expect(d).toEqual({ ok: true, value: f, length: b.length });
      }),
    );
  });

  it('writes the 9-byte header as RFC 9113 §4.1 lays it out', () => {
    const b = encodeFrame({ type: 'WINDOW_UPDATE', streamId: 3, increment: 1000 });
    expect(Array.from(b)).toEqual([0, 0, 4, 8, 0, 0, 0, 0, 3, 0, 0, 0x03, 0xe8]);
    const s = encodeFrame({ type: 'SETTINGS', ack: false, settings: [[Setting.INITIAL_WINDOW_SIZE, 65535]] });
    expect(Array.from(s)).toEqual([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0xff, 0xff]);
  });

  it('never throws on bad input, and rejects wrong fixed lengths', () => {
    fc.assert(fc.property(bytes(40), (b) => void decodeFrame(b)));
    expect(decodeFrame(Uint8Array.of(0, 0, 3, 3, 0, 0, 0, 0, 1, 0, 0, 0))).toMatchObject({ ok: false });
    expect(decodeFrame(Uint8Array.of(0, 0, 9))).toMatchObject({ ok: false });
  });

  it('describes a segment like Wireshark: the preface, SETTINGS, and a HEADERS block decoded', () => {
    const block = new HpackEncoder().encode([
      { name: ':method', value: 'GET' },
      { name: ':path', value: '/img/1.svg' },
      { name: ':scheme', value: 'http' },
      { name: ':authority', value: '10.0.0.2' },
    ]);
    const seg = new Uint8Array([
      ...CONNECTION_PREFACE,
      ...encodeFrame({ type: 'SETTINGS', ack: false, settings: [[Setting.MAX_CONCURRENT_STREAMS, 100]] }),
      ...encodeFrame({ type: 'HEADERS', streamId: 1, endStream: true, endHeaders: true, block }),
      ...encodeFrame({ type: 'RST_STREAM', streamId: 3, errorCode: ErrorCode.CANCEL }),
    ]);
    const { layer, info } = describeHttp2(seg, 0, seg.length);
    expect(info).toBe('Magic, SETTINGS[0], HEADERS[1]: GET /img/1.svg, RST_STREAM[3]');
    expect(layer.title).toBe('HyperText Transfer Protocol 2');
    const headers = layer.fields.find((f) => f.label.startsWith('Stream: HEADERS'))!;
    expect(headers.children!.map((c) => c.label)).toContain('Header: :path: /img/1.svg');
    const rst = layer.fields.find((f) => f.label.startsWith('Stream: RST_STREAM'))!;
    expect(rst.children!.find((c) => c.key === 'http2.rst_stream.error')!.value).toBe('CANCEL (8)');
    for (const f of layer.fields) expect(f.offset + f.length).toBeLessThanOrEqual(seg.length);
    // The port dissector picks HTTP/2 for the same bytes.
    const step = dissectHttp(seg, 0, seg.length);
    expect(step).toMatchObject({ protocol: 'HTTP2', summary: info });
  });

  it('shows a frame cut by the segment end as continuing', () => {
    const f = encodeFrame({ type: 'DATA', streamId: 5, endStream: false, data: new Uint8Array(3000) });
    const { layer, info } = describeHttp2(f, 0, 1460);
    expect(info).toBe('DATA[5]');
    expect(layer.fields[0].children!.some((c) => c.key === 'http2.continued')).toBe(true);
  });

  it('finds where frames begin in a segment that starts inside a frame', () => {
    const text = new TextEncoder().encode('<svg>'.padEnd(300, 'x'));
    const a = encodeFrame({ type: 'DATA', streamId: 3, endStream: false, data: text });
    const b = encodeFrame({ type: 'DATA', streamId: 5, endStream: true, data: text });
    const c = encodeFrame({ type: 'WINDOW_UPDATE', streamId: 0, increment: 40000 });
    const all = new Uint8Array([...a, ...b, ...c]);
    const seg = all.subarray(100, all.length - 2); // starts inside a, ends inside c
    expect(findFrameStart(seg, 0, seg.length)).toBe(a.length - 100);
    const step = dissectHttp(seg, 0, seg.length);
    expect(step).toMatchObject({ protocol: 'HTTP2', summary: 'Continuation, DATA[5], WINDOW_UPDATE[0]' });
    // Text alone (an HTTP/1.1 body) holds no frame header.
    expect(findFrameStart(text, 0, text.length)).toBe(-1);
    expect(dissectHttp(text, 0, text.length)).toMatchObject({ protocol: 'HTTP', summary: 'Continuation' });
  });
});
