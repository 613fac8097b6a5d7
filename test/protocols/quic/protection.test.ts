/** RFC 9001 Appendix A known answers: Initial keys, header protection and a protected server Initial. */
import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, type QuicFrame } from '../../../src/protocols/quic/frames';
import { encodeLongHeader, parsePacketHeader } from '../../../src/protocols/quic/packet';
import { headerProtectionMask, initialSecrets, packetKeys, protectPacket, unprotectPacket } from '../../../src/protocols/quic/protection';
import { fromHex, hex, QuicReader, QuicWriter } from '../../../src/protocols/quic/wire';

const DCID = fromHex('8394c8f03e515708');

describe('RFC 9001 Appendix A', () => {
  it('A.1: Initial secrets and keys', () => {
    const s = initialSecrets(DCID);
    expect(hex(s.initial)).toBe('7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44');
    expect(hex(s.client)).toBe('c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea');
    expect(hex(s.server)).toBe('3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b');
    const c = packetKeys(s.client);
    expect([hex(c.key), hex(c.iv), hex(c.hp)]).toEqual(['1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2']);
    const sv = packetKeys(s.server);
    expect([hex(sv.key), hex(sv.iv), hex(sv.hp)]).toEqual(['cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314']);
  });

  it('A.2: client header protection mask', () => {
    const c = packetKeys(initialSecrets(DCID).client);
    expect(hex(headerProtectionMask(c.hp, fromHex('d1b1c98dd7689fb8ec11d242b123dc9b')))).toBe('437b9aec36');
  });

  const serverPayload = fromHex(
    '02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf73988cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c940d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00020304',
  );
  const serverPacket =
    'cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc42158407dd074ee';

  it('A.3: server Initial, protected byte for byte', () => {
    const keys = packetKeys(initialSecrets(DCID).server);
    const header = encodeLongHeader('initial', new Uint8Array(0), fromHex('f067a5502a4262b5'), 1, serverPayload.length + 16);
    expect(hex(header)).toBe('c1000000010008f067a5502a4262b50040750001');
    expect(hex(protectPacket(keys, header, 2, 1, serverPayload))).toBe(serverPacket);
  });

  it('A.3: server Initial opens again, frames decode', () => {
    const keys = packetKeys(initialSecrets(DCID).server);
    const bytes = fromHex(serverPacket);
    const info = parsePacketHeader(bytes, 0);
    expect(info.type).toBe('initial');
    expect(info.end).toBe(bytes.length);
    const opened = unprotectPacket(keys, bytes, 0, info.pnOffset, info.end, -1);
    expect(opened?.pn).toBe(1);
    expect(hex(opened?.payload ?? new Uint8Array(0))).toBe(hex(serverPayload));
    const frames = decodeFrames(opened?.payload ?? new Uint8Array(0));
    expect(frames.map((f) => f.type)).toEqual(['ack', 'crypto']);
  });
});

describe('frames and varints', () => {
  it('round-trips every frame kind', () => {
    const frames: QuicFrame[] = [
      { type: 'ping' },
      {
        type: 'ack',
        ranges: [
          { from: 7, to: 9 },
          { from: 2, to: 4 },
          { from: 0, to: 0 },
        ],
        delayUs: 800,
      },
      { type: 'crypto', offset: 300, data: Uint8Array.of(1, 2, 3) },
      { type: 'stream', id: 4, offset: 70000, data: Uint8Array.of(9), fin: true },
      { type: 'max_data', max: 1 << 24 },
      { type: 'max_stream_data', id: 8, max: 5000 },
      { type: 'max_streams', bidi: true, max: 100 },
      { type: 'new_connection_id', seq: 1, retirePriorTo: 0, cid: fromHex('0102030405060708'), resetToken: new Uint8Array(16).fill(7) },
      { type: 'path_challenge', data: fromHex('0011223344556677') },
      { type: 'path_response', data: fromHex('0011223344556677') },
      { type: 'connection_close', app: false, code: 0x10a, frameType: 6, reason: 'bad' },
      { type: 'handshake_done' },
      { type: 'padding', length: 3 },
    ];
    const w = new QuicWriter();
    for (const f of frames) encodeFrame(w, f);
    expect(decodeFrames(w.finish())).toEqual(frames);
  });

  it('varints of every length', () => {
    for (const v of [0, 63, 64, 16383, 16384, 2 ** 30 - 1, 2 ** 30, 2 ** 40 + 5]) {
      expect(new QuicReader(new QuicWriter().varint(v).finish()).varint()).toBe(v);
    }
    // RFC 9000 A.1 examples
    expect(new QuicReader(fromHex('9d7f3e7d')).varint()).toBe(494878333);
    expect(new QuicReader(fromHex('7bbd')).varint()).toBe(15293);
  });
});
