import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Place, RecordKind, Trace, sharedBytes } from '../../src/sim/trace';
import { CAPTURE_ALL_LINKS, DEFAULT_START_EPOCH_NS, captureTargets, planCapture, writePcap, writePcapng } from '../../src/timeline/pcapng';
import { readPcapng, type ReadCapture, type ReadResult } from '../../src/timeline/pcapng-read';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((x) => parseInt(x, 16)),
  );

// Frames written out by hand. MACs 02:00:00:00:00:01 (h1, 10.0.0.1) and 02:00:00:00:00:02 (h2, 10.0.0.2).
/** ARP request "who has 10.0.0.2? tell 10.0.0.1", broadcast; 42 bytes before padding. */
const ARP_REQUEST = hex(`
  ffffffffffff 020000000001 0806
  0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002`);
/** ARP reply "10.0.0.2 is at 02:00:00:00:00:02". */
const ARP_REPLY = hex(`
  020000000001 020000000002 0806
  0001 0800 06 04 0002 020000000002 0a000002 020000000001 0a000001`);
/** ICMP echo request 10.0.0.1 -> 10.0.0.2, TTL 64, id 1 seq 1, data "Packetar"; checksums correct. */
const ICMP_REQUEST = hex(`
  020000000002 020000000001 0800
  4500 0024 1c46 4000 40 01 0a91 0a000001 0a000002
  08 00 7d4a 0001 0001 5061636b65746172`);
/** The matching echo reply. */
const ICMP_REPLY = hex(`
  020000000001 020000000002 0800
  4500 0024 2a01 4000 40 01 fcd5 0a000002 0a000001
  00 00 854a 0001 0001 5061636b65746172`);

const EPOCH = DEFAULT_START_EPOCH_NS;
const TX = 4800; // 60 bytes at 100 Mb/s
const LAT = 1000;

interface Sent {
  label: string;
  record: number;
  frame: number;
  link: number;
  dir: number;
  time: number;
  arrival: number;
}

/**
 * h1 --(h1-sw1)-- sw1 --(h2-sw1)-- h2. h1 ARPs for h2 (and retries before the reply lands), pings it,
 * and the echo reply is lost in flight on h1-sw1. A node-level drop at h1 (after receipt) does not
 * unreceive a frame.
 */
function handmade(): { trace: Trace; sent: Record<string, Sent>; ids: { h1: number; h2: number; sw1: number; l1: number; l2: number } } {
  const trace = new Trace();
  const h1 = trace.defineNode('h1', 'host');
  const h2 = trace.defineNode('h2', 'host');
  const sw1 = trace.defineNode('sw1', 'switch');
  const l1 = trace.defineLink('h1-sw1', h1, sw1, 'eth0', 'port1');
  const l2 = trace.defineLink('h2-sw1', h2, sw1, 'eth0', 'port2');
  const sent: Record<string, Sent> = {};
  const tx = (label: string, time: number, link: number, dir: number, bytes: Uint8Array, split = false): Sent => {
    const arrival = time + TX + LAT;
    const record = trace.length;
    // Some frames store a shared body, as forwarded payloads do.
    const frame = split
      ? trace.frameTx(time, time + TX, arrival, link, dir, bytes.subarray(0, 14), sharedBytes(bytes.subarray(14)), record)
      : trace.frameTx(time, time + TX, arrival, link, dir, bytes, null, record);
    const s = { label, record, frame, link, dir, time, arrival };
    sent[label] = s;
    return s;
  };
  trace.log(0, h1, 'ping 10.0.0.2 -c 1');
  tx('arpReq', 1000, l1, Place.AtoB, ARP_REQUEST);
  trace.state(6800, sw1, 'mac 02:00:00:00:00:01', 'port1');
  tx('arpFlood', 6800, l2, Place.BtoA, ARP_REQUEST);
  tx('arpRep', 12600, l2, Place.AtoB, ARP_REPLY);
  tx('arpRepFwd', 18400, l1, Place.BtoA, ARP_REPLY);
  tx('arpReq2', 21000, l1, Place.AtoB, ARP_REQUEST); // retry, sent before the reply arrives at 24200
  const rep = sent.arpRepFwd;
  // Dropped at the node after it arrived: place = node h1 (id 0, like link h1-sw1), dir = Node.
  trace.drop({ time: 24200, place: h1, dir: Place.Node, reason: 'arp: duplicate reply', frameId: rep.frame, packetId: rep.record });
  tx('arpFlood2', 26800, l2, Place.BtoA, ARP_REQUEST);
  tx('icmpReq', 30000, l1, Place.AtoB, ICMP_REQUEST, true);
  tx('icmpReqFwd', 35800, l2, Place.BtoA, ICMP_REQUEST, true);
  tx('icmpRep', 41600, l2, Place.AtoB, ICMP_REPLY, true);
  const lost = tx('icmpRepFwd', 47400, l1, Place.BtoA, ICMP_REPLY, true);
  trace.drop({ time: 50000, started: lost.time, place: l1, dir: Place.BtoA, reason: 'loss', frameId: lost.frame, packetId: lost.record });
  trace.log(60000, h1, 'Request timeout for icmp_seq 1');
  return { trace, sent, ids: { h1, h2, sw1, l1, l2 } };
}

function read(bytes: Uint8Array): ReadCapture {
  const r: ReadResult = readPcapng(bytes);
  if (!r.ok) throw new Error(r.error);
  return r;
}

/** [label, interface name, time, direction] of each packet, decoded back from the file. */
function summarize(trace: Trace, sent: Record<string, Sent>, cap: ReadCapture): [string, string, number, string][] {
  const frames = Object.values(sent);
  const linkOf: Record<string, string> = { 'h1:eth0': 'h1-sw1', 'sw1:port1': 'h1-sw1', 'h2:eth0': 'h2-sw1', 'sw1:port2': 'h2-sw1' };
  return cap.packets.map((p) => {
    // Identify the packet by link, bytes and time: received frames carry their arrival time.
    const name = cap.interfaces[p.interfaceId].name;
    const link = trace.links.find((l) => l.name === (linkOf[name] ?? name))!.id;
    const t = Number(p.timestampNs! - EPOCH);
    const matches = frames.filter((f) => f.link === link && (p.direction === 'in' ? f.arrival : f.time) === t && bytesEqual(trace.frameBytes(f.frame), p.data));
    return [matches.length === 1 ? matches[0].label : '?', name, t, p.direction];
  });
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('hand-made frames', () => {
  it('are padded to 60 bytes by the trace', () => {
    const { trace, sent } = handmade();
    expect(ARP_REQUEST.length).toBe(42);
    const b = trace.frameBytes(sent.arpReq.frame);
    expect(b.length).toBe(60);
    expect(b.subarray(0, 42)).toEqual(ARP_REQUEST);
    expect(b.subarray(42).every((x) => x === 0)).toBe(true);
    expect(trace.frameBytes(sent.icmpReq.frame).subarray(0, ICMP_REQUEST.length)).toEqual(ICMP_REQUEST);
  });
});

describe('writePcapng', () => {
  it('writes a section header, one Ethernet interface per link and nanosecond timestamps', () => {
    const { trace } = handmade();
    const bytes = writePcapng(trace, { capture: CAPTURE_ALL_LINKS });
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(v.getUint32(0, true)).toBe(0x0a0d0d0a);
    expect(v.getUint32(8, true)).toBe(0x1a2b3c4d);
    const cap = read(bytes);
    expect(cap.format).toBe('pcapng');
    expect(cap.interfaces).toEqual([
      { name: 'h1-sw1', description: 'link h1-sw1: h1:eth0 <-> sw1:port1', linkType: 1, snaplen: 262144, tsresol: 9 },
      { name: 'h2-sw1', description: 'link h2-sw1: h2:eth0 <-> sw1:port2', linkType: 1, snaplen: 262144, tsresol: 9 },
    ]);
  });

  it('captures every link (all-links) once per transmission, at tx start', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace, { capture: CAPTURE_ALL_LINKS }));
    expect(summarize(trace, sent, cap)).toEqual([
      ['arpReq', 'h1-sw1', 1000, 'none'],
      ['arpFlood', 'h2-sw1', 6800, 'none'],
      ['arpRep', 'h2-sw1', 12600, 'none'],
      ['arpRepFwd', 'h1-sw1', 18400, 'none'],
      ['arpReq2', 'h1-sw1', 21000, 'none'],
      ['arpFlood2', 'h2-sw1', 26800, 'none'],
      ['icmpReq', 'h1-sw1', 30000, 'none'],
      ['icmpReqFwd', 'h2-sw1', 35800, 'none'],
      ['icmpRep', 'h2-sw1', 41600, 'none'],
      ['icmpRepFwd', 'h1-sw1', 47400, 'none'],
    ]);
    // Bytes equal the trace's, packet for packet.
    const plan = planCapture(trace, CAPTURE_ALL_LINKS);
    cap.packets.forEach((p, i) => {
      expect(p.data).toEqual(trace.frameBytes(trace.frame[plan.records[i]]));
      expect(p.originalLength).toBe(60);
      expect(p.flags).toBe(0);
    });
  });

  it('captures each conversation once, on the interface of the host that started it (the default)', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace));
    expect(cap.interfaces.map((i) => [i.name, i.description])).toEqual([['h1:eth0', 'h1:eth0 on link h1-sw1 to sw1:port1: the conversations it started']]);
    // h1 started the ping; the ARP on h1's link is there too, and nothing is shown twice.
    expect(summarize(trace, sent, cap)).toEqual([
      ['arpReq', 'h1:eth0', 1000, 'out'],
      ['arpReq2', 'h1:eth0', 21000, 'out'],
      ['arpRepFwd', 'h1:eth0', 24200, 'in'],
      ['icmpReq', 'h1:eth0', 30000, 'out'],
    ]);
    expect(read(writePcapng(trace, { capture: 'conversations' }))).toEqual(cap);
  });

  it('captures on a device like tcpdump: sent at tx start, received at arrival, lost frames never received', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace, { capture: 'h1' }));
    expect(cap.interfaces.map((i) => [i.name, i.description])).toEqual([['h1:eth0', 'h1:eth0 on link h1-sw1 to sw1:port1']]);
    expect(summarize(trace, sent, cap)).toEqual([
      ['arpReq', 'h1:eth0', 1000, 'out'],
      ['arpReq2', 'h1:eth0', 21000, 'out'], // sent before the earlier-recorded reply arrived
      ['arpRepFwd', 'h1:eth0', 24200, 'in'], // received, though h1 then dropped it
      ['icmpReq', 'h1:eth0', 30000, 'out'],
      // icmpRepFwd was lost on the wire: h1 never sees it
    ]);
    // Inbound unicast: epb_flags = in (1) | unicast (1 << 2).
    expect(cap.packets[2].flags).toBe(0b101);
    expect(cap.packets[0].flags).toBe(0b10);
  });

  it('captures every interface of a switch, ties kept in record order', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace, { capture: 'sw1' }));
    expect(cap.interfaces.map((i) => i.name)).toEqual(['sw1:port1', 'sw1:port2']);
    expect(summarize(trace, sent, cap)).toEqual([
      ['arpReq', 'sw1:port1', 6800, 'in'],
      ['arpFlood', 'sw1:port2', 6800, 'out'],
      ['arpRep', 'sw1:port2', 18400, 'in'],
      ['arpRepFwd', 'sw1:port1', 18400, 'out'],
      ['arpReq2', 'sw1:port1', 26800, 'in'],
      ['arpFlood2', 'sw1:port2', 26800, 'out'],
      ['icmpReq', 'sw1:port1', 35800, 'in'],
      ['icmpReqFwd', 'sw1:port2', 35800, 'out'],
      ['icmpRep', 'sw1:port2', 47400, 'in'],
      ['icmpRepFwd', 'sw1:port1', 47400, 'out'], // sent, even though it was then lost
    ]);
    // The broadcast ARP request came in as broadcast: in (1) | broadcast (3 << 2).
    expect(cap.packets[0].flags).toBe(0b1101);
  });

  it('captures one interface of a device', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace, { capture: 'sw1:port2' }));
    expect(cap.interfaces.map((i) => i.name)).toEqual(['sw1:port2']);
    expect(summarize(trace, sent, cap).map((x) => x[0])).toEqual(['arpFlood', 'arpRep', 'arpFlood2', 'icmpReqFwd', 'icmpRep']);
    const h2 = read(writePcapng(trace, { capture: 'h2:eth0' }));
    expect(summarize(trace, sent, h2)).toEqual([
      ['arpFlood', 'h2:eth0', 12600, 'in'],
      ['arpRep', 'h2:eth0', 12600, 'out'],
      ['arpFlood2', 'h2:eth0', 32600, 'in'],
      ['icmpReqFwd', 'h2:eth0', 41600, 'in'],
      ['icmpRep', 'h2:eth0', 41600, 'out'],
    ]);
  });

  it('captures a link like a tap on the wire: both directions at tx start', () => {
    const { trace, sent } = handmade();
    const cap = read(writePcapng(trace, { capture: 'h1-sw1' }));
    expect(cap.interfaces.map((i) => i.name)).toEqual(['h1-sw1']);
    expect(summarize(trace, sent, cap)).toEqual([
      ['arpReq', 'h1-sw1', 1000, 'none'],
      ['arpRepFwd', 'h1-sw1', 18400, 'none'],
      ['arpReq2', 'h1-sw1', 21000, 'none'],
      ['icmpReq', 'h1-sw1', 30000, 'none'],
      ['icmpRepFwd', 'h1-sw1', 47400, 'none'],
    ]);
  });

  it('rejects an unknown capture name and lists the valid ones', () => {
    const { trace } = handmade();
    const names = ['conversations', 'all-links', 'h1', 'h2', 'sw1', 'h1:eth0', 'sw1:port1', 'h2:eth0', 'sw1:port2', 'h1-sw1', 'h2-sw1'];
    expect(captureTargets(trace)).toEqual(names);
    expect(() => writePcapng(trace, { capture: 'r9' })).toThrow(
      `unknown capture "r9": expected conversations, all-links, a node, node:interface or link name; valid names: ${names.join(', ')}`,
    );
  });

  it('uses a fixed start epoch unless told otherwise, exact to the nanosecond', () => {
    const { trace } = handmade();
    const capture = CAPTURE_ALL_LINKS;
    const a = read(writePcapng(trace));
    expect(a.packets[0].timestampNs).toBe(1_700_000_000_000_001_000n);
    expect(writePcapng(trace)).toEqual(writePcapng(trace)); // deterministic
    const b = read(writePcapng(trace, { capture, startEpochNs: 0 }));
    expect(b.packets.map((p) => p.timestampNs)).toEqual([1000n, 6800n, 12600n, 18400n, 21000n, 26800n, 30000n, 35800n, 41600n, 47400n]);
    // Low 32 bits carry into the high word.
    const c = read(writePcapng(trace, { capture, startEpochNs: 2 ** 32 - 500 }));
    expect(c.packets[0].timestampNs).toBe(2n ** 32n + 500n);
    const d = read(writePcapng(trace, { capture, startEpochNs: 1_234_567_890_123_456_789n }));
    expect(d.packets[9].timestampNs).toBe(1_234_567_890_123_456_789n + 47_400n);
    expect(() => writePcapng(trace, { startEpochNs: 1.5 })).toThrow(/integer/);
    expect(() => writePcapng(trace, { startEpochNs: -1 })).toThrow(/range/);
  });

  it('writes an empty but valid capture for an empty trace', () => {
    const cap = read(writePcapng(new Trace()));
    expect(cap.interfaces).toEqual([]);
    expect(cap.packets).toEqual([]);
  });
});

describe('writePcap', () => {
  it('writes classic nanosecond pcap for one interface', () => {
    const { trace, sent } = handmade();
    const bytes = writePcap(trace, { capture: 'h1' });
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(0xa1b23c4d);
    const cap = read(bytes);
    expect(cap.format).toBe('pcap');
    expect(cap.interfaces).toEqual([{ name: 'if0', linkType: 1, snaplen: 262144, tsresol: 9 }]);
    expect(cap.packets.map((p) => p.timestampNs! - EPOCH)).toEqual([1000n, 21000n, 24200n, 30000n]);
    expect(cap.packets[2].data).toEqual(trace.frameBytes(sent.arpRepFwd.frame));
  });

  it('refuses captures with several interfaces', () => {
    const { trace } = handmade();
    expect(() => writePcap(trace, { capture: CAPTURE_ALL_LINKS })).toThrow(
      'pcap holds one interface but capture every link (each packet once per hop) has 2 (h1-sw1, h2-sw1): pick one of them or write pcapng',
    );
    expect(() => writePcap(trace, { capture: 'sw1' })).toThrow(/has 2/);
  });
});

describe('readPcapng', () => {
  it('explains garbage instead of throwing', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /too short/],
      [hex('0102030405060708'), /not a pcapng or pcap file: starts with 0x01020304/],
      [hex('0a0d0d0a 1c000000 11223344'), /truncated section header/],
      [hex('0a0d0d0a 1c000000 11223344 0100 0000 ffffffffffffffff 1c000000'), /bad byte-order magic/],
      [hex('0a0d0d0a 1d000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000'), /bad block length 29/],
      [hex('01000000 14000000 01000000 00000000 14000000'), /not a pcapng or pcap file/],
    ];
    for (const [bytes, err] of cases) {
      const r = readPcapng(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(err);
    }
  });

  it('keeps what it read before a truncation', () => {
    const { trace } = handmade();
    const bytes = writePcapng(trace, { capture: CAPTURE_ALL_LINKS });
    const r = readPcapng(bytes.subarray(0, bytes.length - 10));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/truncated block at byte \d+: length \d+, only \d+ bytes left/);
    expect(r.packets.length).toBe(9);
    expect(r.interfaces.length).toBe(2);
  });

  it('rejects a packet on an undeclared interface', () => {
    const { trace } = handmade();
    const bytes = writePcapng(trace, { capture: 'h1' }).slice();
    // First EPB follows the SHB and the single IDB; point it at interface 7.
    const v = new DataView(bytes.buffer);
    const shbLen = v.getUint32(4, true);
    const idbLen = v.getUint32(shbLen + 4, true);
    v.setUint32(shbLen + idbLen + 8, 7, true);
    const r = readPcapng(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(`packet names interface 7 but the section has 1 (block at byte ${shbLen + idbLen})`);
  });

  it('reads big-endian sections and other time resolutions', () => {
    // SHB, IDB (if_name "lo", if_tsresol 0x83 = 1/8 s), EPB with raw time 12 -> 1.5 s.
    const be = hex(`
      0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
      00000001 00000028 0001 0000 0000ffff 0002 0003 6c6f00 00 0009 0001 83 000000 0000 0000 00000028
      00000006 00000030 00000000 00000000 0000000c 0000000e 0000000e ffffffffffff020000000001 0806 0000 00000030`);
    const cap = read(be);
    expect(cap.interfaces).toEqual([{ name: 'lo', linkType: 1, snaplen: 65535, tsresol: 0x83 }]);
    expect(cap.packets).toEqual([
      { interfaceId: 0, timestampNs: 1_500_000_000n, data: hex('ffffffffffff0200000000010806'), originalLength: 14, direction: 'none', flags: 0 },
    ]);
  });

  it('never throws, whatever the bytes', () => {
    const { trace } = handmade();
    const good = writePcapng(trace, { capture: 'sw1' });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(good.length),
        (junk, flips, cut) => {
          const r1 = readPcapng(junk);
          expect(typeof r1.ok).toBe('boolean');
          const mutated = good.slice(0, cut);
          for (const [at, val] of flips) if (at < mutated.length) mutated[at] = val;
          const r2 = readPcapng(mutated);
          if (!r2.ok) expect(r2.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('capture properties', () => {
  const arbTrace = fc
    .record({
      nodes: fc.integer({ min: 2, max: 5 }),
      links: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
      records: fc.array(
        fc.record({
          link: fc.nat(),
          ab: fc.boolean(),
          time: fc.integer({ min: 0, max: 2 ** 40 }),
          flight: fc.integer({ min: 0, max: 1_000_000 }),
          bytes: fc.uint8Array({ minLength: 14, maxLength: 120 }),
          lost: fc.boolean(),
          noise: fc.boolean(),
        }),
        { maxLength: 60 },
      ),
    })
    .map(({ nodes, links, records }) => {
      const trace = new Trace();
      for (let i = 0; i < nodes; i++) trace.defineNode(`n${i}`, 'host');
      links.forEach(([a, b], i) => trace.defineLink(`l${i}`, a % nodes, b % nodes, `eth${i}a`, `eth${i}b`));
      let lost = 0;
      for (const r of records) {
        const link = r.link % links.length;
        const dir = r.ab ? Place.AtoB : Place.BtoA;
        const f = trace.frameTx(r.time, r.time + 1, r.time + 1 + r.flight, link, dir, r.bytes, null, -1);
        if (r.noise) trace.log(r.time, 0, 'noise');
        if (r.lost) {
          trace.drop({ time: r.time + 1, started: r.time, place: link, dir, reason: 'loss', frameId: f, packetId: -1 });
          lost++;
        }
      }
      return { trace, lost };
    });

  it('the all-links capture holds each FrameTx exactly once, in non-decreasing time order', () => {
    fc.assert(
      fc.property(arbTrace, ({ trace }) => {
        const cap = read(writePcapng(trace, { capture: CAPTURE_ALL_LINKS }));
        const txRows: number[] = [];
        for (let r = 0; r < trace.length; r++) if (trace.kind[r] === RecordKind.FrameTx) txRows.push(r);
        expect(cap.packets.length).toBe(txRows.length);
        expect(cap.interfaces.length).toBe(trace.links.length);
        for (let i = 1; i < cap.packets.length; i++) {
          expect(cap.packets[i].timestampNs! >= cap.packets[i - 1].timestampNs!).toBe(true);
        }
        // One for one: sort the rows the same way (time, then record order) and compare.
        const expected = [...txRows].sort((x, y) => trace.time[x] - trace.time[y] || x - y);
        cap.packets.forEach((p, i) => {
          const r = expected[i];
          expect(p.timestampNs).toBe(EPOCH + BigInt(trace.time[r]));
          expect(p.interfaceId).toBe(trace.place[r]);
          expect(p.data).toEqual(trace.frameBytes(trace.frame[r]));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("the default capture holds no FrameTx twice, in time order, each on its interface's link", () => {
    fc.assert(
      fc.property(arbTrace, ({ trace }) => {
        const plan = planCapture(trace);
        const rows = new Set(plan.records);
        expect(rows.size).toBe(plan.count);
        for (let i = 1; i < plan.count; i++) expect(plan.time[i] >= plan.time[i - 1]).toBe(true);
        for (let i = 0; i < plan.count; i++) {
          const itf = plan.interfaces[plan.iface[i]];
          expect(trace.place[plan.records[i]]).toBe(itf.link);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('device captures see each frame sent, and each frame received unless lost', () => {
    fc.assert(
      fc.property(arbTrace, ({ trace }) => {
        for (const node of trace.nodes) {
          const cap = read(writePcapng(trace, { capture: node.name }));
          let expected = 0;
          for (let r = 0; r < trace.length; r++) {
            if (trace.kind[r] !== RecordKind.FrameTx) continue;
            const l = trace.links[trace.place[r]];
            const lostHere = isLost(trace, r);
            const sender = trace.dir[r] === Place.AtoB ? l.a : l.b;
            const receiver = trace.dir[r] === Place.AtoB ? l.b : l.a;
            if (sender === node.id) expected++;
            if (receiver === node.id && !lostHere) expected++;
          }
          expect(cap.packets.length).toBe(expected);
          for (let i = 1; i < cap.packets.length; i++) {
            expect(cap.packets[i].timestampNs! >= cap.packets[i - 1].timestampNs!).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

function isLost(trace: Trace, r: number): boolean {
  for (let k = r + 1; k < trace.length; k++) {
    if (trace.kind[k] === RecordKind.FrameTx) return false;
    if (trace.kind[k] === RecordKind.Drop && trace.frame[k] === trace.frame[r] && trace.place[k] === trace.place[r]) return true;
  }
  return false;
}
