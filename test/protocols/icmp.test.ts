import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/protocols/checksum';
import {
  describeIcmp,
  echoRequestToReply,
  icmp,
  icmpQuote,
  icmpSummary,
  icmpTypeName,
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  readIcmp,
  UNREACH_FRAG_NEEDED,
  UNREACH_PORT,
  verifyIcmpChecksum,
  writeIcmp,
  writeIcmpEcho,
  type IcmpMessage,
} from '../../src/protocols/icmp/icmp';
import type { Field } from '../../src/protocols/codec';
import { bytes, hex, u16, u8 } from './arbitraries';

// Windows `ping`: id 1, seq 1, data "abcdefghijklmnopqrstuvwabcdefghi", checksum 0x4d5a.
const WINDOWS_PING = hex('08 00 4d 5a 00 01 00 01 6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869');

// Time exceeded from 10.0.0.254 quoting a UDP traceroute probe 10.0.0.1:33434 -> 10.0.1.5:33435
// (the ICMP part of a frame tshark 4.0 dissects with every checksum correct).
const TIME_EXCEEDED = hex(`
  0b 00 0a 3f 00 00 00 00
  45 00 00 3c 12 34 00 00 01 11 92 78 0a 00 00 01 0a 00 01 05
  82 9a 82 9b 00 28 e5 62`);

const echo = (kind: 'echo-request' | 'echo-reply') => fc.record({ kind: fc.constant(kind), identifier: u16, sequence: u16, data: bytes(100) });
const message: fc.Arbitrary<IcmpMessage> = fc.oneof(
  echo('echo-request'),
  echo('echo-reply'),
  fc.record({ kind: fc.constant('dest-unreachable' as const), code: u8.filter((c) => c !== UNREACH_FRAG_NEEDED), original: bytes(60) }),
  fc.record({ kind: fc.constant('dest-unreachable' as const), code: fc.constant(UNREACH_FRAG_NEEDED), nextHopMtu: u16, original: bytes(60) }),
  fc.record({ kind: fc.constant('time-exceeded' as const), code: u8, original: bytes(60) }),
  fc.record({
    kind: fc.constant('other' as const),
    type: u8.filter((t) => ![0, 3, 8, 11].includes(t)),
    code: u8,
    rest: fc.integer({ min: 0, max: 0xffff_ffff }),
    data: bytes(40),
  }),
);

const fields = (b: Uint8Array): Record<string, string> => {
  const layer = describeIcmp(b);
  if ('error' in layer) throw new Error(layer.error);
  const out: Record<string, string> = {};
  const walk = (fs: readonly Field[], prefix: string) => {
    for (const f of fs) {
      out[prefix + f.key] = f.value;
      if (f.children) walk(f.children, `${prefix}${f.key}/`);
    }
  };
  walk(layer.fields, '');
  return out;
};

describe('ICMP', () => {
  it('decodes and re-encodes a Windows ping byte for byte', () => {
    const r = icmp.decode(WINDOWS_PING);
    expect(r).toMatchObject({ ok: true, length: 40, value: { kind: 'echo-request', identifier: 1, sequence: 1 } });
    if (!r.ok) return;
    expect(new TextDecoder().decode((r.value as { data: Uint8Array }).data)).toBe('abcdefghijklmnopqrstuvwabcdefghi');
    expect([...icmp.encode(r.value)]).toEqual([...WINDOWS_PING]);
    expect(verifyIcmpChecksum(WINDOWS_PING, 0, WINDOWS_PING.length)).toBe(true);
  });

  it('summarises like Wireshark', () => {
    const data = new Uint8Array(0);
    expect(icmpSummary({ kind: 'echo-request', identifier: 1, sequence: 1, data }, 64)).toBe('Echo (ping) request  id=0x0001, seq=1/256, ttl=64');
    expect(icmpSummary({ kind: 'echo-reply', identifier: 0x1c46, sequence: 258, data }, 63)).toBe('Echo (ping) reply    id=0x1c46, seq=258/513, ttl=63');
    expect(icmpSummary({ kind: 'echo-request', identifier: 1, sequence: 1, data })).toBe('Echo (ping) request  id=0x0001, seq=1/256');
    expect(icmpSummary({ kind: 'time-exceeded', code: 0, original: data })).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(icmpSummary({ kind: 'time-exceeded', code: 1, original: data })).toBe('Time-to-live exceeded (Fragment reassembly time exceeded)');
    expect(icmpSummary({ kind: 'dest-unreachable', code: UNREACH_PORT, original: data })).toBe('Destination unreachable (Port unreachable)');
    expect(icmpSummary({ kind: 'dest-unreachable', code: 1, original: data })).toBe('Destination unreachable (Host unreachable)');
    expect(icmpSummary({ kind: 'dest-unreachable', code: 0, original: data })).toBe('Destination unreachable (Network unreachable)');
    expect(icmpSummary({ kind: 'dest-unreachable', code: 4, nextHopMtu: 1400, original: data })).toBe('Destination unreachable (Fragmentation needed)');
    expect(icmpTypeName(ICMP_ECHO_REQUEST)).toBe('Echo (ping) request');
    expect([ICMP_ECHO_REPLY, ICMP_DEST_UNREACHABLE, ICMP_ECHO_REQUEST, ICMP_TIME_EXCEEDED]).toEqual([0, 3, 8, 11]);
  });

  it('describes an echo request with Wireshark filter names', () => {
    expect(fields(WINDOWS_PING)).toMatchObject({
      'icmp.type': '8 (Echo (ping) request)',
      'icmp.code': '0',
      'icmp.checksum': '0x4d5a [correct]',
      'icmp.ident': '1 (0x0001)',
      'icmp.ident_le': '256 (0x0100)',
      'icmp.seq': '1 (0x0001)',
      'icmp.seq_le': '256 (0x0100)',
      data: '(32 bytes)',
    });
    const bad = WINDOWS_PING.slice();
    bad[3] = 0x5b;
    expect(fields(bad)['icmp.checksum']).toBe('0x4d5b [incorrect, should be 0x4d5a]');
    expect(verifyIcmpChecksum(bad, 0, bad.length)).toBe(false);
  });

  it('decodes a captured time exceeded and shows the quoted packet', () => {
    const r = icmp.decode(TIME_EXCEEDED);
    expect(r).toMatchObject({ ok: true, value: { kind: 'time-exceeded', code: 0 } });
    if (!r.ok) return;
    expect([...icmp.encode(r.value)]).toEqual([...TIME_EXCEEDED]);
    const f = fields(TIME_EXCEEDED);
    expect(f).toMatchObject({
      'icmp.type': '11 (Time-to-live exceeded)',
      'icmp.code': '0 (Time to live exceeded in transit)',
      'icmp.checksum': '0x0a3f [correct]',
      'ip/ip.src': '10.0.0.1',
      'ip/ip.dst': '10.0.1.5',
      'ip/ip.ttl': '1',
      'ip/ip.checksum': '0x9278 [correct]',
      'udp/udp.srcport': '33434',
      'udp/udp.dstport': '33435',
    });
  });

  it('carries the next-hop MTU in "fragmentation needed"', () => {
    const b = icmp.encode({ kind: 'dest-unreachable', code: UNREACH_FRAG_NEEDED, nextHopMtu: 1400, original: TIME_EXCEEDED.subarray(8) });
    expect([...b.subarray(0, 8)]).toEqual([3, 4, b[2], b[3], 0, 0, 0x05, 0x78]);
    expect(fields(b)['icmp.mtu']).toBe('1400');
    expect(readIcmp(b, 0)).toMatchObject({ kind: 'dest-unreachable', nextHopMtu: 1400 });
  });

  it('quotes the IP header plus 8 payload bytes', () => {
    const packet = new Uint8Array(60);
    packet.set(TIME_EXCEEDED.subarray(8));
    const q = icmpQuote(packet);
    expect([...q]).toEqual([...TIME_EXCEEDED.subarray(8)]);
    expect(icmpQuote(packet.subarray(0, 24))).toHaveLength(24);
  });

  it('round-trips every message kind (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        const b = icmp.encode(m);
        expect(b.length).toBe(icmp.byteLength(m));
        expect(internetChecksum(b, 0, b.length)).toBe(0);
        const r = icmp.decode(b);
        expect(r).toEqual({ ok: true, value: m, length: b.length });
      }),
    );
  });

  it('writes at an offset, and writeIcmpEcho builds in place (property)', () => {
    fc.assert(
      fc.property(u16, u16, bytes(64), fc.integer({ min: 0, max: 30 }), fc.boolean(), (id, seq, data, off, req) => {
        const m: IcmpMessage = { kind: req ? 'echo-request' : 'echo-reply', identifier: id, sequence: seq, data };
        const buf = new Uint8Array(off + 8 + data.length);
        expect(writeIcmp(buf, off, m)).toBe(buf.length);
        expect([...buf.subarray(off)]).toEqual([...icmp.encode(m)]);
        const inPlace = new Uint8Array(off + 8 + data.length);
        inPlace.set(data, off + 8);
        writeIcmpEcho(inPlace, off, req ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY, id, seq, data.length);
        expect([...inPlace]).toEqual([...buf]);
      }),
    );
  });

  it('turns a request into its reply in place, equal to encoding the reply (property)', () => {
    fc.assert(
      fc.property(u16, u16, bytes(64), (id, seq, data) => {
        const b = icmp.encode({ kind: 'echo-request', identifier: id, sequence: seq, data });
        expect(echoRequestToReply(b, 0)).toBe(true);
        expect([...b]).toEqual([...icmp.encode({ kind: 'echo-reply', identifier: id, sequence: seq, data })]);
        expect(echoRequestToReply(b, 0)).toBe(false);
      }),
    );
  });

  it('rejects truncated messages', () => {
    for (let n = 0; n < 8; n++) expect(icmp.decode(WINDOWS_PING.subarray(0, n)).ok).toBe(false);
    expect(icmp.decode(WINDOWS_PING.subarray(0, 8)).ok).toBe(true);
  });

  it('never throws on any bytes at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: -2, max: 90 }), (b, off) => {
        icmp.decode(b, off);
        icmp.describe(b, off);
      }),
    );
    // Error messages with a garbage quote.
    fc.assert(
      fc.property(fc.constantFrom(3, 11), fc.uint8Array({ minLength: 8, maxLength: 80 }), (type, b) => {
        b[0] = type;
        if (b.length > 8) b[8] = 0x40 | (b[8] & 0x0f);
        icmp.decode(b);
        icmp.describe(b);
      }),
    );
  });
});
