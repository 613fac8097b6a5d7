/** page-load and its waterfall (timeline/waterfall), and head-of-line blocking under loss. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { parseWaterfallKey, waterfallKey } from '../../src/apps/page-load/waterfall-keys';
import { decodeFrame } from '../../src/protocols/http2/frame';
import { readTcpHeader } from '../../src/protocols/tcp/tcp-header';
import { pageLoadTime, waterfall } from '../../src/timeline/waterfall';
import { TestNet } from '../helpers/net';

const net = (runs: string[], faults = '', seed = 1) =>
  TestNet.fromYaml(
    `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, latency: 10ms, bandwidth: 100Mbps }
run:
${runs.map((r, i) => `  - { on: ${i === 0 ? 'h2' : 'h1'}, at: ${i === 0 ? 0 : 1}ms, cmd: "${r}" }`).join('\n')}
${faults ? `faults:\n${faults}` : ''}
`,
    { seed },
  );

/** The server-to-client byte stream of one connection, rebuilt from the segments (relative offsets). */
function byteStream(n: TestNet, port: number): { isn: number; bytes: Uint8Array } {
  const segs = n.frames('h1-h2', 'b>a').filter((f) => f.ip?.protocol === 6 && readTcpHeader(f.bytes, 34).dstPort === port);
  const isn = readTcpHeader(segs[0].bytes, 34).seq + 1; // the SYN+ACK
  const out = new Uint8Array(1 << 20);
  let len = 0;
  for (const f of segs) {
    const hl = (f.bytes[34 + 12] >> 4) * 4;
    const payload = f.bytes.subarray(34 + hl, 14 + f.ip!.totalLength);
    const off = (readTcpHeader(f.bytes, 34).seq - isn) >>> 0;
    if (payload.length && off < out.length) {
      out.set(payload, off);
      len = Math.max(len, off + payload.length);
    }
  }
  return { isn, bytes: out.subarray(0, len) };
}

/** Which HTTP/2 stream each DATA byte range of a server's byte stream belongs to. */
function dataRanges(stream: Uint8Array): { start: number; end: number; id: number }[] {
  const out: { start: number; end: number; id: number }[] = [];
  for (let at = 0; at < stream.length;) {
    const d = decodeFrame(stream, at);
    if (!d.ok) break;
    if (d.value.type === 'DATA') out.push({ start: at + 9, end: at + d.length, id: d.value.streamId });
    at += d.length;
  }
  return out;
}

describe('waterfall keys', () => {
  it('round-trip', () => {
    expect(waterfallKey(2, 5, 'firstByte')).toBe('page 2/5 firstByte');
    expect(parseWaterfallKey('page 2/5 firstByte')).toEqual({ load: 2, resource: 5, field: 'firstByte' });
    expect(parseWaterfallKey('page 2/5 nonsense')).toBeUndefined();
    expect(parseWaterfallKey('tcp 1.2.3.4:5>6.7.8.9:10 state')).toBeUndefined();
  });
});

describe('page-load', () => {
  it('records a waterfall: connect for new connections only, wait and receive for every request', () => {
    const n = net(['http-server --site gallery', 'page-load http://10.0.0.2/ --http1.1']).runUntil('2s');
    const rows = waterfall(n.trace, 'h1');
    expect(rows.map((r) => r.url)).toEqual(['http://10.0.0.2/', 'http://10.0.0.2/style.css', ...[1, 2, 3, 4, 5, 6].map((i) => `http://10.0.0.2/img/${i}.svg`)]);
    for (const r of rows) {
      expect(r.status).toBe(200);
      expect(r.wait!.end).toBeGreaterThan(r.wait!.start);
      expect(r.receive!.end).toBeGreaterThanOrEqual(r.receive!.start);
      expect(r.end).toBe(r.receive!.end);
    }
    // The page: the first connection's handshake takes a round trip (20 ms) after ARP.
    const page = rows[0];
    // (ARP first: the SYN waits 20 ms for the MAC address.)
    expect((page.connect!.end - page.connect!.start) / 1e6).toBeCloseTo(40, 0);
    for (const r of rows.slice(1).filter((x) => x.connect)) expect((r.connect!.end - r.connect!.start) / 1e6).toBeCloseTo(20, 0);
    expect(page.wait!.start).toBe(page.connect!.end);
    expect(page.bytes).toBe(394);
    // Six connections in all: five new ones for sub-resources, the rest reuse (no connect phase).
    const conns = new Set(rows.map((r) => r.connection!.split(' ')[0]));
    expect(conns.size).toBe(6);
    expect(rows.filter((r) => r.connect).length).toBe(6);
    // The image that waited for a free connection shows it as blocked.
    expect(rows.some((r) => r.blocked && r.blocked.end - r.blocked.start > 10e6)).toBe(true);
    expect(pageLoadTime(rows)!.end).toBe(Math.max(...rows.map((r) => r.end!)));
    expect(waterfall(n.trace, 'h2')).toEqual([]);
  });

  it('numbers successive loads on a node, and records failures', () => {
    const n = TestNet.twoHosts('http-server --site hello', 'page-load http://10.0.0.2/ --http2', [
      { at: '100ms', cmd: 'page-load http://10.0.0.2:81/' },
    ]).runUntil('1s');
    const rows = waterfall(n.trace, 'h1');
    expect(rows.map((r) => [r.load, r.index, r.status ?? r.error])).toEqual([
      [1, 0, 200],
      [2, 0, 'Connection refused'],
    ]);
  });

  it('HTTP/2: one lost segment stalls every stream until it is retransmitted', () => {
    const n = net(
      ['http-server --site gallery', 'page-load http://10.0.0.2/ --http2'],
      `  - { at: 0ms, link: h1-h2, drop: { match: "tcp.srcport == 80 and tcp.seq > 20000", count: 1 } }`,
    ).runUntil('2s');
    const drop = n.drops('h1-h2')[0];
    expect(drop).toBeDefined();
    const seqOf = (b: Uint8Array) => readTcpHeader(b, 34).seq;
    const lostSeq = seqOf(drop.frame!);
    const resent = n.frames('h1-h2', 'b>a').find((f) => f.time > drop.started && seqOf(f.bytes) === lostSeq)!;
    expect(resent).toBeDefined();
    // Meanwhile, segments carrying DATA of several streams arrived (found by rebuilding the byte
    // stream and its frames, as Wireshark's reassembly would)...
    const port = readTcpHeader(drop.frame!, 34).dstPort;
    const { isn, bytes } = byteStream(n, port);
    const ranges = dataRanges(bytes);
    const between = n.frames('h1-h2', 'b>a').filter((f) => f.arrival > drop.time && f.arrival < resent.arrival && f.ip!.totalLength > 52);
    const streams = new Set<number>();
    for (const f of between) {
      const off = (readTcpHeader(f.bytes, 34).seq - isn) >>> 0;
      const end = off + f.ip!.totalLength - 40;
      for (const r of ranges) if (r.start < end && r.end > off) streams.add(r.id);
    }
    expect(streams.size).toBeGreaterThanOrEqual(3);
    // ...but no response made progress at the HTTP layer: nothing completed while the hole was open.
    const rows = waterfall(n.trace, 'h1');
    const stalled = rows.filter((r) => r.end! > drop.time);
    expect(stalled.length).toBeGreaterThanOrEqual(2);
    for (const r of stalled) expect(r.end!).toBeGreaterThanOrEqual(resent.arrival);
  });

  it('HTTP/1.1 with six connections: a lost segment stalls only its own connection', () => {
    const n = net(
      ['http-server --site icons', 'page-load http://10.0.0.2/ --http1.1'],
      `  - { at: 60ms, link: h1-h2, drop: { match: "tcp.srcport == 80 and tcp.seq == 1 and tcp.len > 0", count: 1 } }`,
    ).runUntil('2s');
    const drop = n.drops('h1-h2')[0];
    const lostPort = readTcpHeader(drop.frame!, 34).dstPort;
    const resent = n
      .frames('h1-h2', 'b>a')
      .find(
        (f) =>
          f.time > drop.started && readTcpHeader(f.bytes, 34).dstPort === lostPort && readTcpHeader(f.bytes, 34).seq === readTcpHeader(drop.frame!, 34).seq,
      )!;
    const rows = waterfall(n.trace, 'h1');
    const onLost = rows.filter((r) => r.connection!.includes(`:${lostPort}>`));
    const others = rows.filter((r) => r.end! > drop.time && !r.connection!.includes(`:${lostPort}>`));
    expect(onLost.length).toBeGreaterThan(0);
    for (const r of onLost.filter((x) => x.end! > drop.time)) expect(r.end!).toBeGreaterThanOrEqual(resent.arrival);
    // Other connections delivered whole images while the lost segment was being recovered.
    expect(others.filter((r) => r.end! < resent.arrival).length).toBeGreaterThanOrEqual(3);
  });
});

describe('page-load over HTTPS', () => {
  it('records the TLS handshake as its own phase, on the first request of each connection', () => {
    const n = net(['http-server --tls --site gallery', 'page-load https://www.example.test/ --http2 --resolve www.example.test:443:10.0.0.2']).runUntil('2s');
    const rows = waterfall(n.trace, 'h1');
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === 200)).toBe(true);
    const page = rows[0];
    expect(page.url).toBe('https://www.example.test/');
    // TLS 1.3: one round trip (20 ms) after the TCP handshake.
    expect(page.tls!.start).toBe(page.connect!.end);
    expect((page.tls!.end - page.tls!.start) / 1e6).toBeCloseTo(20, 0);
    expect(rows.filter((r) => r.tls)).toHaveLength(1);
  });
});

describe('page-load --http3', () => {
  const h3 = (server: string, cmd: string) => net([server, cmd]).runUntil('2s');
  const GALLERY = ['/', '/style.css', ...[1, 2, 3, 4, 5, 6].map((i) => `/img/${i}.svg`)];

  it('fetches the page and every resource over one QUIC connection, each request on its own stream', () => {
    const n = h3('h3-server --site gallery', 'page-load https://www.example.test/ --http3 --resolve www.example.test:443:10.0.0.2');
    const out = n.logs('h1');
    expect(out[0]).toBe('page-load: https://www.example.test/ over HTTP/3');
    expect(out.at(-1)).toMatch(/^page-load: 8 requests \(8 ok\), \d+ B, 1 connection, finished in [\d.]+ ms$/);
    const rows = waterfall(n.trace, 'h1');
    expect(rows.map((r) => r.url)).toEqual(GALLERY.map((p) => `https://www.example.test${p}`));
    expect(rows.every((r) => r.status === 200)).toBe(true);
    // The same bytes as the same site over HTTP/2.
    const h2 = waterfall(h3('http-server --site gallery', 'page-load http://10.0.0.2/ --http2').trace, 'h1');
    expect(rows.map((r) => r.bytes)).toEqual(h2.map((r) => r.bytes));
    // One connection; streams 0, 4, 8, ... (client-initiated bidirectional, RFC 9000 2.1), one per request.
    expect(new Set(rows.map((r) => r.connection!.replace(/ stream \d+$/, ''))).size).toBe(1);
    const streams = rows.map((r) => Number(/ stream (\d+)$/.exec(r.connection!)![1]));
    expect(streams).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    // The handshake (ARP, then one 20 ms round trip) is the TLS phase; no TCP connect phase.
    const page = rows[0];
    expect(page.connect!.end).toBe(page.connect!.start);
    expect((page.tls!.end - page.tls!.start) / 1e6).toBeCloseTo(40, 0);
    expect(rows.filter((r) => r.tls)).toHaveLength(1);
    expect(page.wait!.start).toBe(page.tls!.end);
    // Every sub-resource request left at once, when the page had arrived.
    const sent = rows.slice(1).map((r) => r.wait!.start);
    expect(new Set(sent).size).toBe(1);
    expect(sent[0]).toBe(page.end);
    // Nothing went over TCP: QUIC on UDP port 443 only.
    const ip = n.frames('h1-h2').filter((f) => f.ip && f.ip.protocol !== 1);
    expect(ip.every((f) => f.ip!.protocol === 17)).toBe(true);
  });

  it('records a refused connection (ICMP port unreachable) as the page error', () => {
    const n = h3('http-server --site gallery', 'page-load https://www.example.test/ --http3 --resolve www.example.test:443:10.0.0.2');
    const rows = waterfall(n.trace, 'h1');
    expect(rows.map((r) => [r.index, r.error])).toEqual([[0, 'Connection refused']]);
    expect(n.logs('h1')).toContain('page-load: connection #0 failed: Connection refused');
  });

  it('needs an https:// URL', () => {
    expect(() => h3('h3-server', 'page-load http://10.0.0.2/ --http3')).toThrow(/--http3 needs an https:\/\/ URL/);
  });
});

describe('page-load --http3 across a change of network (scenes/quic-migration.yaml)', () => {
  const scene = TestNet.fromYaml(readFileSync(new URL('../../scenes/quic-migration.yaml', import.meta.url), 'utf8')).runToEnd();

  it('keeps its one QUIC connection: the server validates the new path and the page completes', () => {
    const out = scene.logs('phone');
    expect(out).toContain('page-load: network changed: migrating connection #0 to 10.0.2.10');
    expect(scene.states('phone', 'quic path').map((r) => [r.time / 1e6, r.value])).toEqual([
      [150, 'client address changed: carrying on from the new address, validating the path'],
      [expect.any(Number), 'validated new path'],
    ]);
    expect(out.at(-1)).toMatch(/^page-load: 8 requests \(8 ok\), 120489 B, 1 connection, /);
    expect(scene.states('web', 'quic path').map((r) => r.value)).toEqual([
      'peer moved to 10.0.2.10:' + /:(\d+)>/.exec(waterfall(scene.trace, 'phone')[0].connection!)![1] + ': validating',
      'validated new path',
    ]);
    // After the switch the phone's datagrams leave over cellular from its new address, all in
    // short-header (1-RTT) packets: no new handshake.
    const after = scene.frames('cellular', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((f) => f.time >= 150e6 && f.ip!.src === '10.0.2.10')).toBe(true);
    expect(after.every((f) => (f.bytes[42] & 0x80) === 0)).toBe(true);
  });
});
