import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST_MAC, parseIpv4, parseMac } from '../../src/protocols/addr';
import { arp } from '../../src/protocols/arp/arp';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import type { Field, Layer } from '../../src/protocols/codec';
import { dissectFrame, registerEtherType, registerIpProtocol, registerUdpPort, type DissectedFrame } from '../../src/protocols/dissect';
import { encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/protocols/ethernet/ethernet';
import { icmp, type IcmpMessage } from '../../src/protocols/icmp/icmp';
import { fragmentPacket } from '../../src/protocols/ipv4/fragment';
import { ipv4, IP_PROTO_ICMP, IP_PROTO_UDP, type Ipv4Header } from '../../src/protocols/ipv4/ipv4';
import { encodeUdpDatagram } from '../../src/protocols/udp/udp';
import { hex } from './arbitraries';

const M1 = parseMac('02:00:00:00:01:01')!;
const M2 = parseMac('02:00:00:00:02:01')!;
const A = parseIpv4('10.0.0.1')!;
const B = parseIpv4('10.0.0.2')!;

function ipFrame(protocol: number, payload: Uint8Array, extra: Partial<Ipv4Header> = {}): Uint8Array {
  const h: Ipv4Header = {
    tos: 0,
    totalLength: 20 + payload.length,
    id: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol,
    checksum: 0,
    src: A,
    dst: B,
    ...extra,
  };
  const ip = new Uint8Array(20 + payload.length);
  ip.set(ipv4.encode(h));
  ip.set(payload, 20);
  return encodeEthernetFrame({ dst: M2, src: M1, etherType: ETHERTYPE_IPV4 }, ip);
}

const icmpFrame = (m: IcmpMessage, extra: Partial<Ipv4Header> = {}) => ipFrame(IP_PROTO_ICMP, icmp.encode(m), extra);

/** Every field in the frame by filter name (first occurrence wins, nested quotes excluded). */
function byKey(d: DissectedFrame): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const l of d.layers) for (const f of l.fields) if (!out.has(f.key)) out.set(f.key, f);
  return out;
}
const values = (d: DissectedFrame) => Object.fromEntries([...byKey(d)].map(([k, f]) => [k, f.value]));
const protocols = (d: DissectedFrame) => d.layers.map((l: Layer) => l.protocol);

// A complete frame captured from the simulator and checked with tshark 4.0: router 10.0.0.254 tells
// 10.0.0.1 its traceroute probe's TTL expired (all three checksums Good).
const TIME_EXCEEDED_FRAME = hex(`
  02 00 00 00 01 01 02 00 00 00 02 01 08 00 45 00
  00 38 00 01 00 00 40 01 65 c6 0a 00 00 fe 0a 00
  00 01 0b 00 0a 3f 00 00 00 00 45 00 00 3c 12 34
  00 00 01 11 92 78 0a 00 00 01 0a 00 01 05 82 9a
  82 9b 00 28 e5 62`);

beforeAll(() => {
  registerBuiltinProtocols();
  registerBuiltinProtocols(); // idempotent
});

describe('dissectFrame', () => {
  it('dissects an ARP request, padding included', () => {
    const frame = encodeEthernetFrame(
      { dst: BROADCAST_MAC, src: M1, etherType: ETHERTYPE_ARP },
      arp.encode({ op: 1, senderMac: M1, senderIp: A, targetMac: 0, targetIp: B }),
    );
    const d = dissectFrame(frame);
    expect(d).toMatchObject({ protocol: 'ARP', summary: 'Who has 10.0.0.2? Tell 10.0.0.1' });
    expect(d.error).toBeUndefined();
    expect(protocols(d)).toEqual(['eth', 'arp']);
    expect(values(d)).toMatchObject({ 'arp.opcode': 'request (1)', 'eth.src': '02:00:00:00:01:01', 'eth.dst': 'Broadcast (ff:ff:ff:ff:ff:ff)' });
    expect(byKey(d).get('eth.padding')).toMatchObject({ offset: 42, length: 18 });
  });

  it('dissects an ARP reply', () => {
    const frame = encodeEthernetFrame(
      { dst: M1, src: M2, etherType: ETHERTYPE_ARP },
      arp.encode({ op: 2, senderMac: M2, senderIp: B, targetMac: M1, targetIp: A }),
    );
    expect(dissectFrame(frame)).toMatchObject({ protocol: 'ARP', summary: '10.0.0.2 is at 02:00:00:00:02:01' });
  });

  it('dissects a ping with absolute field offsets', () => {
    const d = dissectFrame(icmpFrame({ kind: 'echo-request', identifier: 1, sequence: 1, data: new Uint8Array(56) }));
    expect(d).toMatchObject({ protocol: 'ICMP', summary: 'Echo (ping) request  id=0x0001, seq=1/256, ttl=64' });
    expect(protocols(d)).toEqual(['eth', 'ip', 'icmp']);
    const f = byKey(d);
    expect(f.get('ip.ttl')).toMatchObject({ value: '64', offset: 22, length: 1 });
    expect(f.get('ip.checksum')?.value).toMatch(/^0x[0-9a-f]{4} \[correct\]$/);
    expect(f.get('icmp.checksum')?.value).toMatch(/\[correct\]$/);
    expect(f.get('icmp.seq')).toMatchObject({ value: '1 (0x0001)', offset: 40, length: 2 });
    expect(f.has('eth.padding')).toBe(false);
    expect(d.layers[2]).toMatchObject({ offset: 34, length: 64 });
  });

  it('dissects a captured time exceeded', () => {
    const d = dissectFrame(TIME_EXCEEDED_FRAME);
    expect(d).toMatchObject({ protocol: 'ICMP', summary: 'Time-to-live exceeded (Time to live exceeded in transit)' });
    expect(values(d)).toMatchObject({ 'ip.checksum': '0x65c6 [correct]', 'icmp.checksum': '0x0a3f [correct]', 'ip.src': '10.0.0.254' });
  });

  it('dissects destination unreachable', () => {
    const original = TIME_EXCEEDED_FRAME.slice(42);
    const d = dissectFrame(icmpFrame({ kind: 'dest-unreachable', code: 3, original }));
    expect(d.summary).toBe('Destination unreachable (Port unreachable)');
  });

  it('dissects UDP and shows its payload as data when no port dissector is registered', () => {
    const d = dissectFrame(ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40000, 7, new Uint8Array(512))));
    expect(d).toMatchObject({ protocol: 'UDP', summary: '40000 → 7 Len=512' });
    expect(protocols(d)).toEqual(['eth', 'ip', 'udp', 'data']);
    const f = byKey(d);
    expect(f.get('udp.srcport')).toMatchObject({ value: '40000', offset: 34, length: 2 });
    expect(f.get('udp.checksum')?.value).toMatch(/\[correct\]$/);
    expect(d.layers[3]).toMatchObject({ title: 'Data (512 bytes)', offset: 42, length: 512 });
  });

  it('shows Ethernet padding after a short IP packet', () => {
    const d = dissectFrame(ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40001, 40002, new Uint8Array([1, 2, 3, 4]))));
    expect(d.summary).toBe('40001 → 40002 Len=4');
    expect(byKey(d).get('eth.padding')).toMatchObject({ label: 'Padding', offset: 46, length: 14 });
  });

  it('flags a bad IP checksum without failing the frame', () => {
    const frame = ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40000, 7, new Uint8Array(8)));
    frame[24] ^= 0xff;
    const d = dissectFrame(frame);
    expect(d.error).toBeUndefined();
    expect(values(d)['ip.checksum']).toMatch(/\[incorrect, should be 0x[0-9a-f]{4}\]$/);
  });

  it('does not dissect past an IP fragment', () => {
    const udp = encodeUdpDatagram(A, B, 40000, 9, new Uint8Array(3000));
    const h: Ipv4Header = {
      tos: 0,
      totalLength: 0,
      id: 0x4242,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: IP_PROTO_UDP,
      checksum: 0,
      src: A,
      dst: B,
    };
    const frags = fragmentPacket(h, udp, 1500);
    if (!Array.isArray(frags)) throw new Error(frags.message);
    const summaries = frags.map((f) => {
      const ip = new Uint8Array(f.header.totalLength);
      ip.set(ipv4.encode(f.header));
      ip.set(f.payload, 20);
      return dissectFrame(encodeEthernetFrame({ dst: M2, src: M1, etherType: ETHERTYPE_IPV4 }, ip));
    });
    expect(summaries.map((d) => [d.protocol, d.summary])).toEqual([
      ['IPv4', 'Fragmented IP protocol (proto=UDP 17, off=0, ID=4242)'],
      ['IPv4', 'Fragmented IP protocol (proto=UDP 17, off=1480, ID=4242)'],
      ['IPv4', 'Fragmented IP protocol (proto=UDP 17, off=2960, ID=4242)'],
    ]);
  });

  it('reports malformed packets with what it could dissect', () => {
    const frame = ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40000, 7, new Uint8Array(8)));
    frame[17] = 0xff; // IP total length far beyond the frame
    const d = dissectFrame(frame);
    expect(d.error).toMatch(/total length/);
    expect(d.summary).toMatch(/\[Malformed Packet\]$/);
    expect(protocols(d)).toEqual(['eth', 'ip']);

    const short = dissectFrame(new Uint8Array(10));
    expect(short).toMatchObject({ layers: [], summary: '[Malformed Packet]' });
    expect(short.error).toBeDefined();

    const udpBad = ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40000, 7, new Uint8Array(8)));
    udpBad[39] = 0xff; // UDP length beyond the IP payload
    expect(dissectFrame(udpBad)).toMatchObject({ protocol: 'IPv4', error: expect.stringMatching(/UDP: bad length/) });
  });

  it('shows unknown EtherTypes and IP protocols as data', () => {
    const raw = encodeEthernetFrame({ dst: M2, src: M1, etherType: 0x88b5 }, new Uint8Array(46));
    const d = dissectFrame(raw);
    expect(d.protocol).toBe('Ethernet');
    expect(protocols(d)).toEqual(['eth', 'data']);
    const p = dissectFrame(ipFrame(253, new Uint8Array(30)));
    expect(p.protocol).toBe('IPv4');
    expect(protocols(p)).toEqual(['eth', 'ip', 'data']);
  });

  it('lets protocols plug in by UDP port (lower port first), IP protocol and EtherType', () => {
    registerUdpPort(53, (_bytes, offset, end) => ({
      layer: { protocol: 'dns', title: 'Domain Name System', offset, length: end - offset, fields: [] },
      protocol: 'DNS',
      summary: `DNS ${end - offset} bytes`,
      end,
    }));
    const q = dissectFrame(ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 40000, 53, new Uint8Array(20))));
    expect(q).toMatchObject({ protocol: 'DNS', summary: 'DNS 20 bytes' });
    const r = dissectFrame(ipFrame(IP_PROTO_UDP, encodeUdpDatagram(B, A, 53, 40000, new Uint8Array(20))));
    expect(protocols(r)).toEqual(['eth', 'ip', 'udp', 'dns']);

    registerIpProtocol(253, () => {
      throw new Error('boom');
    });
    const t = dissectFrame(ipFrame(253, new Uint8Array(30)));
    expect(t.error).toMatch(/boom/);
    expect(protocols(t)).toEqual(['eth', 'ip']);

    registerEtherType(0x88b5, (_bytes, offset) => ({
      layer: { protocol: 'x', title: 'X', offset, length: 4, fields: [] },
      protocol: 'X',
      end: offset + 4,
    }));
    const x = dissectFrame(encodeEthernetFrame({ dst: M2, src: M1, etherType: 0x88b5 }, new Uint8Array(4)));
    expect(x.protocol).toBe('X');
    expect(byKey(x).get('eth.padding')).toMatchObject({ offset: 18, length: 42 });
  });

  it('never throws, for random bytes or corrupted valid frames (property)', () => {
    const valid = [
      TIME_EXCEEDED_FRAME,
      icmpFrame({ kind: 'echo-request', identifier: 7, sequence: 9, data: new Uint8Array(20) }),
      ipFrame(IP_PROTO_UDP, encodeUdpDatagram(A, B, 1, 2, new Uint8Array(30))),
      encodeEthernetFrame(
        { dst: BROADCAST_MAC, src: M1, etherType: ETHERTYPE_ARP },
        arp.encode({ op: 1, senderMac: M1, senderIp: A, targetMac: 0, targetIp: B }),
      ),
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        const d = dissectFrame(b);
        expect(typeof d.summary).toBe('string');
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (frame, edits, cut) => {
          const b = frame.slice(0, frame.length - (cut % 8 === 0 ? cut % frame.length : 0));
          for (const [i, v] of edits) if (b.length) b[i % b.length] = v;
          const d = dissectFrame(b);
          for (const l of d.layers) for (const f of l.fields) expect(f.offset + f.length).toBeLessThanOrEqual(b.length);
        },
      ),
    );
  });
});
