/**
 * Head-of-line blocking, HTTP/2 over TCP versus HTTP/3 over QUIC: scenes/h2-vs-h3-loss.yaml, run
 * on seeds 1 to 20, checked against what its description says, stream by stream.
 *
 * The scene: two phones load the same gallery page from one server (phone2 with `page-load
 * --http2`, phone3 with `page-load --http3`); two drop faults take one full-size TCP segment
 * toward phone2 and one full-size QUIC datagram toward phone3 while the six images download.
 *
 * - HTTP/3: the phone's QUIC connection publishes `quic stream N` = stalled / flowing. The lost
 *   packet (decrypted with the key log, and named by the server's `quic lost` row) carried one
 *   stream's data, and exactly that stream stalls while the other images keep arriving.
 * - HTTP/2: there are no per-stream rows (and TCP cannot have them), so the test reads the trace:
 *   it rebuilds the server's byte stream, maps every byte to the HTTP/2 frame (and stream) it
 *   belongs to, and replays what reached the phone. TCP delivers nothing beyond the hole until the
 *   retransmission fills it, so every stream with bytes that arrived beyond the hole was delayed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readU16, readU32 } from '../../../src/protocols/bytes';
import { decodeFrames } from '../../../src/protocols/quic/frames';
import { CID_LENGTH } from '../../../src/protocols/quic/packet';
import { packetKeys, unprotectPacket, type PacketKeys } from '../../../src/protocols/quic/protection';
import { fromHex } from '../../../src/protocols/quic/wire';
import { waterfall } from '../../../src/timeline/waterfall';
import '../../../src/apps';
import { TestNet, type SeenFrame } from '../../helpers/net';

const SCENE = readFileSync(fileURLToPath(new URL('../../../scenes/h2-vs-h3-loss.yaml', import.meta.url)), 'utf8');

const SERVER = '10.0.1.2';

/** A TCP segment's sequence number, flags and payload, read from the frame bytes. */
function tcpSegment(f: SeenFrame): { seq: number; syn: boolean; payload: Uint8Array } {
  const b = f.bytes;
  const ip = 14;
  const tcp = ip + (b[ip] & 0x0f) * 4;
  const ipEnd = ip + readU16(b, ip + 2);
  const data = tcp + (b[tcp + 12] >> 4) * 4;
  return { seq: readU32(b, tcp + 4), syn: (b[tcp + 13] & 0x02) !== 0, payload: b.subarray(data, ipEnd) };
}

interface Http2Analysis {
  /** Stream offset where the hole begins (relative: first payload byte is 0). */
  holeStart: number;
  holeOpened: number;
  repaired: number;
  /** Stream IDs of the DATA frame bytes in the lost segment. */
  lostStreams: number[];
  /** Streams with bytes that reached the phone beyond the hole and waited for the repair. */
  delayed: number[];
  /** Streams whose response was outstanding when the hole opened (sent, not yet delivered). */
  active: number[];
}

function analyseHttp2(net: TestNet, client: string, clientLink: string, serverLink: string): Http2Analysis {
  const fromServer = (f: SeenFrame) => f.ip?.src === SERVER && f.ip.dst === client && f.ip.protocol === 6;
  // 1. The server's byte stream as it sent it (every transmission, retransmissions included).
  const sent = net
    .frames(serverLink)
    .filter(fromServer)
    .map((f) => ({ f, ...tcpSegment(f) }));
  const isn = sent.find((s) => s.syn)!.seq;
  const rel = (seq: number) => (seq - isn - 1) >>> 0;
  let length = 0;
  for (const s of sent) if (s.payload.length > 0) length = Math.max(length, rel(s.seq) + s.payload.length);
  const stream = new Uint8Array(length);
  const firstSent = new Array<number>(length).fill(Infinity);
  for (const s of sent) {
    if (s.payload.length === 0) continue;
    stream.set(s.payload, rel(s.seq));
    for (let i = 0; i < s.payload.length; i++) firstSent[rel(s.seq) + i] = Math.min(firstSent[rel(s.seq) + i], s.f.time);
  }
  // 2. Which stream each byte belongs to: walk the HTTP/2 frames (9-byte headers).
  const owner = new Int32Array(length).fill(-1);
  for (let p = 0; p + 9 <= length;) {
    const len = (stream[p] << 16) | (stream[p + 1] << 8) | stream[p + 2];
    const type = stream[p + 3];
    const id = readU32(stream, p + 5) & 0x7fffffff;
    if (type === 0x0 /* DATA */ && id !== 0) owner.fill(id, p, Math.min(length, p + 9 + len));
    p += 9 + len;
  }
  // 3. Replay the phone's receive side: the first segment that arrives beyond rcv_nxt opens a hole.
  const got = net
    .frames(clientLink)
    .filter(fromServer)
    .map((f) => ({ f, ...tcpSegment(f) }));
  got.sort((a, b) => a.f.arrival - b.f.arrival);
  const have = new Uint8Array(length);
  let rcvNxt = 0;
  let hole: { start: number; opened: number } | undefined;
  const heldBack: { from: number; to: number }[] = [];
  let repaired = -1;
  for (const s of got) {
    const from = rel(s.seq);
    const to = from + s.payload.length;
    if (s.payload.length === 0) continue;
    have.fill(1, from, to);
    if (!hole && from > rcvNxt) hole = { start: rcvNxt, opened: s.f.arrival };
    if (hole && repaired < 0 && from > hole.start) heldBack.push({ from, to });
    while (rcvNxt < length && have[rcvNxt]) rcvNxt++;
    if (hole && repaired < 0 && rcvNxt > hole.start) repaired = s.f.arrival;
  }
  if (!hole || repaired < 0) throw new Error('no repaired hole in the HTTP/2 connection');
  const ids = (from: number, to: number, into: Set<number>) => {
    for (let i = from; i < to; i++) if (owner[i] > 0) into.add(owner[i]);
    return into;
  };
  const lost = net.drops('sw1-r1').filter((d) => d.frame && dstOf(d.frame) === client);
  const lostSeg = lost.length ? tcpSegment({ bytes: lost[0].frame! } as SeenFrame) : undefined;
  const lostStreams = lostSeg ? [...ids(rel(lostSeg.seq), rel(lostSeg.seq) + lostSeg.payload.length, new Set())] : [];
  const delayed = new Set<number>(lostStreams);
  for (const h of heldBack) ids(h.from, h.to, delayed);
  // Outstanding at the hole: DATA bytes at or beyond the hole that the server had already sent.
  const active = new Set<number>();
  for (let i = hole.start; i < length; i++) if (owner[i] > 0 && firstSent[i] <= hole.opened) active.add(owner[i]);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { holeStart: hole.start, holeOpened: hole.opened, repaired, lostStreams, delayed: sorted(delayed), active: sorted(active) };
}

interface Http3Analysis {
  /** When the lost datagram was dropped on the link. */
  lostAt: number;
  /** Streams whose STREAM frames the lost datagram carried (decrypted with the key log). */
  lostStreams: number[];
  /** The same, from the server's own loss detection (`quic lost` rows). */
  serverSaysLost: number[];
  /** Streams the phone reported `stalled` while the hole was open. */
  delayed: number[];
  /** Other streams whose data arrived (and was delivered) while the stalled one waited. */
  flowingMeanwhile: number[];
  /** Images still downloading when the packet was lost. */
  active: number[];
  stalledFrom: number;
  flowingAgain: number;
}

/** The server's 1-RTT packet keys, from the key log the phone's connection publishes. */
function serverAppKeys(net: TestNet, node: string): PacketKeys {
  const line = net
    .states(node, 'tls keylog')
    .map((r) => r.value)
    .find((v) => v.startsWith('SERVER_TRAFFIC_SECRET_0 '));
  if (!line) throw new Error('no SERVER_TRAFFIC_SECRET_0 in the key log');
  return packetKeys(fromHex(line.split(' ')[2]));
}

/** The STREAM frames of a server 1-RTT datagram in an Ethernet frame (none if it is not one). */
function streamFrames(bytes: Uint8Array, keys: PacketKeys): { id: number; offset: number; length: number }[] {
  const ip = 14;
  const udp = ip + (bytes[ip] & 0x0f) * 4;
  const start = udp + 8;
  const end = udp + readU16(bytes, udp + 4);
  if (start >= end || (bytes[start] & 0x80) !== 0) return [];
  const opened = unprotectPacket(keys, bytes, start, start + 1 + CID_LENGTH, end, -1);
  if (!opened) return [];
  return decodeFrames(opened.payload).flatMap((f) => (f.type === 'stream' ? [{ id: f.id, offset: f.offset, length: f.data.length }] : []));
}

function analyseHttp3(net: TestNet, phone: string, client: string, clientLink: string): Http3Analysis {
  const keys = serverAppKeys(net, phone);
  const drop = net.drops('sw1-r1').find((d) => d.frame && d.frame.length > 1000 && dstOf(d.frame) === client);
  if (!drop?.frame) throw new Error('no lost QUIC datagram');
  const lostStreams = [...new Set(streamFrames(drop.frame, keys).map((f) => f.id))].sort((a, b) => a - b);
  const serverSaysLost = [
    ...new Set(
      net
        .states('web', 'quic lost')
        .filter((r) => r.time > drop.time)
        .flatMap((r) => [...r.value.matchAll(/STREAM id=(\d+)/g)].map((m) => Number(m[1]))),
    ),
  ].sort((a, b) => a - b);
  const rows = net.states(phone, 'quic stream ').filter((r) => r.time > drop.time);
  const firstStall = rows.find((r) => r.value.startsWith('stalled'));
  if (!firstStall) throw new Error('no stream stalled after the loss');
  const again = rows.find((r) => r.key === firstStall.key && r.value === 'flowing' && r.time > firstStall.time);
  if (!again) throw new Error(`${firstStall.key} never flowed again`);
  const inWindow = (t: number) => t >= firstStall.time && t <= again.time;
  const delayed = [...new Set(rows.filter((r) => inWindow(r.time) && r.value.startsWith('stalled')).map((r) => Number(r.key.split(' ')[2])))].sort(
    (a, b) => a - b,
  );
  const meanwhile = new Set<number>();
  for (const f of net.frames(clientLink)) {
    if (f.ip?.src !== SERVER || f.ip.dst !== client || f.ip.protocol !== 17 || !(f.arrival > firstStall.time && f.arrival < again.time)) continue;
    for (const s of streamFrames(f.bytes, keys)) if (!delayed.includes(s.id)) meanwhile.add(s.id);
  }
  // Images (20000-byte responses) whose last byte came after the loss.
  const active = waterfall(net.trace, phone)
    .filter((r) => r.status === 200 && r.url.includes('/img/') && r.end! > drop.time)
    .map((r) => Number(/ stream (\d+)$/.exec(r.connection!)![1]))
    .sort((a, b) => a - b);
  return {
    lostAt: drop.time,
    lostStreams,
    serverSaysLost,
    delayed,
    flowingMeanwhile: [...meanwhile].sort((a, b) => a - b),
    active,
    stalledFrom: firstStall.time,
    flowingAgain: again.time,
  };
}

function dstOf(frame: Uint8Array): string {
  return `${frame[30]}.${frame[31]}.${frame[32]}.${frame[33]}`;
}

const finishedIn = (net: TestNet, node: string) => Number(/finished in ([\d.]+) ms/.exec(net.logs(node).at(-1) ?? '')?.[1] ?? NaN);

describe.each(Array.from({ length: 20 }, (_, i) => i + 1))('scenes/h2-vs-h3-loss.yaml, seed %i: one lost packet, HTTP/2 versus HTTP/3', (seed) => {
  const net = TestNet.fromYaml(SCENE, { seed }).runToEnd();
  const h2 = analyseHttp2(net, '10.0.0.2', 'phone2-sw1', 'r1-web');
  const h3 = analyseHttp3(net, 'phone3', '10.0.0.3', 'phone3-sw1');

  it("each phone lost exactly one full-size packet, carrying one image's data, while several images were downloading", () => {
    const drops = net.drops('sw1-r1');
    expect(drops.map((d) => dstOf(d.frame!)).sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(drops.every((d) => d.frame!.length > 1000)).toBe(true);
    expect(h2.lostStreams).toHaveLength(1);
    expect(h3.lostStreams).toHaveLength(1);
    expect(h2.active.length).toBeGreaterThan(1);
    expect(h3.active.length).toBeGreaterThan(1);
    // Both pages still load completely.
    expect(net.logs('phone2').at(-1)).toMatch(/8 requests \(8 ok\)/);
    expect(net.logs('phone3').at(-1)).toMatch(/8 requests \(8 ok\), \d+ B, 1 connection/);
  });

  it('HTTP/3: only the stream whose data was lost stalls; the other images keep arriving', () => {
    expect(h3.serverSaysLost).toEqual(h3.lostStreams);
    expect(h3.delayed).toEqual(h3.lostStreams);
    expect(h3.flowingMeanwhile).toEqual(h3.active.filter((id) => !h3.lostStreams.includes(id)));
    expect(h3.flowingAgain - h3.stalledFrom).toBeGreaterThan(0);
  });

  it('HTTP/2: the lost segment stalls every image in flight, not just the one whose bytes it carried', () => {
    // Every stream with data in flight when the hole opened waited, and more: data the server sent
    // afterwards for other images waited behind the hole too.
    expect(h2.delayed).toEqual(expect.arrayContaining(h2.active));
    expect(h2.delayed.length).toBeGreaterThanOrEqual(4);
    expect(h3.delayed).toHaveLength(1);
    expect(h2.delayed).toEqual(expect.arrayContaining(h2.lostStreams));
    expect(h2.repaired).toBeGreaterThan(h2.holeOpened);
  });

  it('page times as the description gives them: HTTP/2 first, about 375 ms against 422 ms', () => {
    expect(Math.abs(finishedIn(net, 'phone2') - 375)).toBeLessThan(5);
    expect(Math.abs(finishedIn(net, 'phone3') - 422)).toBeLessThan(5);
  });
});
