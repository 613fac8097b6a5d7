/**
 * The inspector's QUIC dissector: the RFC 9001 Appendix A.2 client Initial (built with the known
 * answer bytes, checked against the RFC's protected packet) dissects to its header fields and its
 * decrypted frames; server Initials and 1-RTT packets show as protected with a note; coalesced
 * packets are one layer each; real simulated traffic dissects cleanly; garbage never throws.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseMac } from '../../../src/protocols/addr';
import { registerBuiltinProtocols } from '../../../src/protocols/builtin';
import type { Field, Layer } from '../../../src/protocols/codec';
import { dissectFrame, type DissectedFrame } from '../../../src/protocols/dissect';
import { encodeEthernetFrame, ETHERTYPE_IPV4 } from '../../../src/protocols/ethernet/ethernet';
import { ipv4, IP_PROTO_UDP, type Ipv4Header } from '../../../src/protocols/ipv4/ipv4';
import { dissectQuic, QUIC_MODEL_NOTES } from '../../../src/protocols/quic/dissect';
import { encodeLongHeader, encodeShortHeader } from '../../../src/protocols/quic/packet';
import { initialSecrets, packetKeys, protectPacket } from '../../../src/protocols/quic/protection';
import { concat, fromHex, hex } from '../../../src/protocols/quic/wire';
import { encodeUdpDatagram } from '../../../src/protocols/udp/udp';
import { sceneFromYaml, TestNet } from '../../helpers/net';

registerBuiltinProtocols();

const DCID = fromHex('8394c8f03e515708');
const A = parseIpv4('10.0.0.1')!;
const B = parseIpv4('10.0.0.2')!;

// RFC 9001 A.2: the client Initial's unprotected header (4-byte packet number 2) and its payload,
// a CRYPTO frame with the ClientHello plus PADDING to 1162 bytes.
const A2_HEADER = fromHex('c300000001088394c8f03e5157080000449e00000002');
const A2_CRYPTO = fromHex(
  '060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868' +
    '04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578' +
    '616d706c652e636f6dff01000100000a00080006001d00170018001000070005' +
    '04616c706e000500050100000000003300260024001d00209370b2c9caa47fba' +
    'baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400' +
    '0d0010000e0403050306030203080408050806002d00020101001c0002400100' +
    '3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000' +
    '75300901100f088394c8f03e51570806048000ffff',
);
const A2_PAYLOAD = concat(A2_CRYPTO, new Uint8Array(1162 - A2_CRYPTO.length));
// The RFC's protected packet: its first 32 and last 48 bytes.
const A2_PROTECTED_PREFIX = 'c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11';
const A2_PROTECTED_SUFFIX = '7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241e221af44860018ab0856972e194cd934';

// RFC 9001 A.3: the server Initial (protected with keys from the client's DCID, not in it).
const A3_SERVER =
  'cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc42158407dd074ee';

function clientInitial(): Uint8Array {
  return protectPacket(packetKeys(initialSecrets(DCID).client), A2_HEADER, 4, 2, A2_PAYLOAD);
}

function udpFrame(payload: Uint8Array, srcPort = 50000, dstPort = 443): Uint8Array {
  const udp = encodeUdpDatagram(A, B, srcPort, dstPort, payload);
  const h: Ipv4Header = {
    tos: 0,
    totalLength: 20 + udp.length,
    id: 1,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTO_UDP,
    checksum: 0,
    src: A,
    dst: B,
  };
  const ip = new Uint8Array(20 + udp.length);
  ip.set(ipv4.encode(h));
  ip.set(udp, 20);
  return encodeEthernetFrame({ dst: parseMac('02:00:00:00:02:01')!, src: parseMac('02:00:00:00:01:01')!, etherType: ETHERTYPE_IPV4 }, ip);
}

function find(fields: readonly Field[], key: string): Field | undefined {
  for (const f of fields) {
    if (f.key === key) return f;
    const c = f.children && find(f.children, key);
    if (c) return c;
  }
  return undefined;
}
const quicLayers = (d: DissectedFrame): Layer[] => d.layers.filter((l) => l.protocol === 'quic');
const value = (l: Layer, key: string) => find(l.fields, key)?.value;

describe('QUIC dissector: RFC 9001 A.2 client Initial', () => {
  const packet = clientInitial();

  it('the packet built from the RFC inputs is the RFC protected packet', () => {
    expect(packet.length).toBe(1200);
    expect(hex(packet.subarray(0, 32))).toBe(A2_PROTECTED_PREFIX);
    expect(hex(packet.subarray(1200 - 48))).toBe(A2_PROTECTED_SUFFIX);
  });

  it('shows the long header fields', () => {
    const d = dissectFrame(udpFrame(packet));
    expect(d.error).toBeUndefined();
    expect(d.protocol).toBe('QUIC');
    const [q] = quicLayers(d);
    expect(quicLayers(d)).toHaveLength(1);
    expect(value(q, 'quic.header_form')).toBe('Long Header (1)');
    expect(value(q, 'quic.fixed_bit')).toBe('True');
    expect(value(q, 'quic.long.packet_type')).toBe('Initial (0)');
    expect(value(q, 'quic.first_byte')).toBe('0xc0 (unprotected 0xc3)');
    expect(value(q, 'quic.packet_number_length')).toBe('4 bytes');
    expect(value(q, 'quic.version')).toBe('0x00000001 (1)');
    expect(value(q, 'quic.dcil')).toBe('8');
    expect(value(q, 'quic.dcid')).toBe('8394c8f03e515708');
    expect(value(q, 'quic.scil')).toBe('0');
    expect(value(q, 'quic.scid')).toBe('(empty)');
    expect(value(q, 'quic.token_length')).toBe('0');
    expect(value(q, 'quic.length')).toBe('1182');
    expect(value(q, 'quic.packet_number')).toBe('2');
    // The packet number sits at bytes 18..21 of the packet, behind Ethernet/IP/UDP (42 bytes).
    expect(find(q.fields, 'quic.packet_number')).toMatchObject({ offset: 42 + 18, length: 4 });
    expect(value(q, 'quic.aead_tag')).toBe('e221af44860018ab0856972e194cd934 [verified]');
    expect(q.offset).toBe(42);
    expect(q.length).toBe(1200);
  });

  it('decrypts the frames: CRYPTO with the ClientHello, then PADDING', () => {
    const d = dissectFrame(udpFrame(packet));
    const [q] = quicLayers(d);
    const payload = find(q.fields, 'quic.payload')!;
    expect(payload.value).toContain('1162 bytes decrypted');
    const frames = payload.children ?? [];
    expect(frames.map((f) => f.value)).toEqual(['CRYPTO Offset: 0, Length: 241 (Client Hello)', 'PADDING Length: 917']);
    expect(value(q, 'quic.crypto.offset')).toBe('0');
    expect(value(q, 'quic.crypto.length')).toBe('241');
    expect(value(q, 'tls.handshake.type')).toBe('Client Hello (1)');
    expect(value(q, 'tls.handshake.length')).toBe('237');
    expect(value(q, 'quic.padding_length')).toBe('917');
    // Frame offsets are in frame coordinates: the CRYPTO frame starts right after the packet number.
    expect(frames[0]).toMatchObject({ offset: 42 + 22, length: 4 + 241 });
    expect(frames[1]).toMatchObject({ offset: 42 + 22 + 245, length: 917 });
  });

  it('has a Wireshark-like Info column and states its simplifications', () => {
    const d = dissectFrame(udpFrame(packet));
    expect(d.summary).toBe('Initial, DCID=8394c8f03e515708, PKN: 2, CRYPTO, PADDING');
    const [q] = quicLayers(d);
    expect(q.title).toBe('QUIC IETF, Initial, DCID=8394c8f03e515708, PKN: 2');
    for (const n of QUIC_MODEL_NOTES) expect(q.notes).toContain(n);
    expect(q.notes?.join(' ')).toMatch(/version 1 only/);
    expect(q.notes?.join(' ')).toMatch(/AES-128-GCM/);
    expect(q.notes?.join(' ')).toMatch(/8 bytes/);
    expect(q.notes?.join(' ')).toMatch(/no Retry/);
    expect(q.notes?.join(' ')).toMatch(/no key update/);
  });
});

describe('QUIC dissector: packets it cannot decrypt', () => {
  it('A.3 server Initial: header fields, protected payload, a note why', () => {
    const d = dissectFrame(udpFrame(fromHex(A3_SERVER), 443, 50000));
    expect(d.error).toBeUndefined();
    const [q] = quicLayers(d);
    expect(value(q, 'quic.long.packet_type')).toBe('Initial (0)');
    expect(value(q, 'quic.dcid')).toBe('(empty)');
    expect(value(q, 'quic.scid')).toBe('f067a5502a4262b5');
    expect(value(q, 'quic.length')).toBe('117');
    expect(value(q, 'quic.packet_number')).toBe('(protected)');
    expect(value(q, 'quic.protected_payload')).toBe('(117 bytes, packet number included)');
    expect(q.notes?.join(' ')).toMatch(/keys not in this packet/);
    expect(q.notes?.join(' ')).toMatch(/original one/);
    expect(d.summary).toBe('Initial, SCID=f067a5502a4262b5, Protected Payload');
  });

  it('a client Initial coalesced with a 1-RTT packet: one layer each', () => {
    const dcid = fromHex('0102030405060708');
    const keys = packetKeys(initialSecrets(dcid).client);
    const payload = new Uint8Array(40);
    payload.set([0x01]); // PING, then PADDING
    const initial = protectPacket(keys, encodeLongHeader('initial', dcid, fromHex('a1a2a3a4a5a6a7a8'), 0, payload.length + 16), 2, 0, payload);
    const short = concat(encodeShortHeader(fromHex('b1b2b3b4b5b6b7b8'), 7), new Uint8Array(30).fill(0x5a));
    const d = dissectFrame(udpFrame(concat(initial, short)));
    expect(d.error).toBeUndefined();
    const qs = quicLayers(d);
    expect(qs).toHaveLength(2);
    expect(value(qs[0], 'quic.packet_number')).toBe('0');
    expect(find(qs[0].fields, 'quic.payload')?.children?.map((f) => f.value)).toEqual(['PING', 'PADDING Length: 39']);
    expect(value(qs[1], 'quic.header_form')).toBe('Short Header (0)');
    expect(value(qs[1], 'quic.dcid')).toBe('b1b2b3b4b5b6b7b8');
    expect(value(qs[1], 'quic.protected_payload')).toBe('(32 bytes)');
    expect(qs[1].notes?.join(' ')).toMatch(/keys not in this packet/);
    expect(qs[1].offset).toBe(qs[0].offset + qs[0].length);
    expect(d.summary).toBe('Initial, DCID=0102030405060708, SCID=a1a2a3a4a5a6a7a8, PKN: 0, PING, PADDING, Protected Payload (KP0), DCID=b1b2b3b4b5b6b7b8');
  });

  it('ACK ranges and CONNECTION_CLOSE in a decrypted Initial', () => {
    const dcid = fromHex('1112131415161718');
    const keys = packetKeys(initialSecrets(dcid).client);
    // ACK largest 9, delay 0, 2 ranges: 9..7, gap 1 -> 4..2, gap 0 -> 0..0; CONNECTION_CLOSE 0x0a "bye"
    const frames = fromHex('020900020201020000' + '1c0a0603627965');
    const payload = concat(frames, new Uint8Array(30));
    const initial = protectPacket(keys, encodeLongHeader('initial', dcid, dcid, 5, payload.length + 16), 2, 5, payload);
    const d = dissectFrame(udpFrame(initial));
    expect(d.error).toBeUndefined();
    const [q] = quicLayers(d);
    expect(find(q.fields, 'quic.payload')?.children?.map((f) => f.value)).toEqual(['ACK 7-9, 2-4, 0', 'CONNECTION_CLOSE code=0x0a', 'PADDING Length: 30']);
    expect(value(q, 'quic.ack.largest_acknowledged')).toBe('9');
    expect(value(q, 'quic.ack.ack_range_count')).toBe('2');
    expect(value(q, 'quic.cc.reason_phrase')).toBe('"bye"');
    expect(d.summary).toMatch(/PKN: 5, ACK, CONNECTION_CLOSE, PADDING$/);
  });
});

describe('QUIC dissector: simulated traffic', () => {
  it('every datagram of scenes/quic-handshake.yaml dissects without error', () => {
    const yaml = readFileSync(new URL('../../../scenes/quic-handshake.yaml', import.meta.url), 'utf8');
    const net = new TestNet(sceneFromYaml(yaml)).runToEnd();
    const quic = net.allFrames().filter((f) => f.dissected.protocol === 'QUIC');
    expect(quic.length).toBeGreaterThan(10);
    for (const f of quic) expect(f.dissected.error, f.dissected.summary).toBeUndefined();
    const summaries = quic.map((f) => f.dissected.summary);
    // The client's first Initial decrypts (its DCID gives the keys) and carries the ClientHello.
    expect(summaries[0]).toMatch(/^Initial, DCID=[0-9a-f]{16}, SCID=[0-9a-f]{16}, PKN: 0, CRYPTO, PADDING$/);
    expect(quic[0].field('tls.handshake.type')).toBe('Client Hello (1)');
    expect(summaries.some((s) => /^Protected Payload \(KP0\), DCID=[0-9a-f]{16}$/.test(s))).toBe(true);
    expect(summaries.some((s) => /Handshake, .*Protected Payload/.test(s))).toBe(true);
  });
});

describe('QUIC dissector: garbage', () => {
  it('never throws, through the frame dissector or called directly', () => {
    const base = clientInitial();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1300 }), fc.nat(1300), (junk, cut) => {
        const frame = udpFrame(junk);
        expect(() => dissectFrame(frame)).not.toThrow();
        expect(() => dissectQuic(junk, 0, junk.length, {})).not.toThrow();
        // A real Initial, truncated or with a byte flipped.
        const t = base.slice(0, Math.min(cut, base.length));
        if (t.length > 0) t[cut % t.length] ^= 0x55;
        expect(() => dissectFrame(udpFrame(t))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('a malformed header is reported, not thrown', () => {
    const d = dissectFrame(udpFrame(fromHex('c000000001ff0102')));
    expect(d.error).toMatch(/QUIC/);
    expect(d.summary).toMatch(/Malformed Packet/);
    const bad = dissectQuic(new Uint8Array(0), 0, 0, {});
    expect('error' in bad).toBe(true);
  });
});
