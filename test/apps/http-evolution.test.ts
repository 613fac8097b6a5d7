/**
 * scenes/http-evolution.yaml: the same page of twenty resources over HTTP/0.9, 1.0, 1.1, 2 and 3
 * on the same path. The order the protocols imply: HTTP/2 (one connection, every request at once)
 * fastest, then HTTP/1.1 (six kept-alive connections, one round trip per resource), then HTTP/1.0
 * and HTTP/0.9 together (a new connection, so two round trips, per resource). HTTP/3 sets up
 * transport and TLS in one round trip, as the cleartext h2c load sets up TCP, so it has the page as
 * early; the twenty responses then take two flights in both (QUIC's PMTU probe is acknowledged
 * before they go, so they travel in 1472-byte datagrams, several responses to a packet), and
 * HTTP/3 finishes level with HTTP/2.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { pageLoadTime, waterfall } from '../../src/timeline/waterfall';
import { TraceView } from '../helpers/net';
import { appKeys, oneRttFrames, udpPayload } from '../helpers/quic-packets';

const SCENE = fileURLToPath(new URL('../../scenes/http-evolution.yaml', import.meta.url));

interface SeenFlight {
  end: number;
  bytes: number;
  largest: number;
}

describe('http-evolution scene', () => {
  const trace = simulate(loadSceneFile(SCENE), {}).trace;
  const v = new TraceView(trace);
  const summaries = v.logs('browser').filter((l) => / finished in /.test(l));
  const finished = summaries.map((l) => Number(/finished in ([\d.]+) ms/.exec(l)![1]));
  const connections = summaries.map((l) => Number(/(\d+) connections?,/.exec(l)![1]));

  it('loads the page and its twenty resources five times, all successfully', () => {
    expect(summaries).toHaveLength(5);
    for (const l of summaries) expect(l).toMatch(/^page-load: 21 requests \(21 ok\), /);
    const rows = waterfall(trace, 'browser');
    expect(rows).toHaveLength(5 * 21);
    expect(rows.every((r) => r.status === 200)).toBe(true);
  });

  it('uses a connection per resource for 0.9 and 1.0, six for 1.1, one for HTTP/2 and HTTP/3', () => {
    expect(connections).toEqual([21, 21, 6, 1, 1]);
    expect(
      v
        .logs('browser')
        .filter((l) => / over HTTP\//.test(l))
        .map((l) => /over (HTTP\/[\d.]+)/.exec(l)![1]),
    ).toEqual(['HTTP/0.9', 'HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3']);
  });

  it('HTTP/3: one QUIC connection, every resource its own stream, and TLS done in the first round trip', () => {
    const rows = waterfall(trace, 'browser').filter((r) => r.load === 5);
    const conns = new Set(rows.map((r) => r.connection!.replace(/ stream \d+$/, '')));
    expect(conns.size).toBe(1);
    expect([...conns][0]).toMatch(/^#0 10\.0\.0\.1:\d+>10\.0\.0\.80:443 quic$/);
    const streams = rows.map((r) => Number(/ stream (\d+)$/.exec(r.connection!)![1]));
    expect(new Set(streams).size).toBe(21);
    expect(streams.every((id) => id % 4 === 0)).toBe(true); // client-initiated bidirectional (RFC 9000 2.1)
    // The handshake is one round trip (40 ms on this path): TLS inside QUIC, no separate TCP phase.
    const html = rows[0];
    expect(html.connect!.end).toBe(html.connect!.start);
    expect(html.tls!.start).toBe(html.connect!.start);
    expect((html.tls!.end - html.tls!.start) / 1e6).toBeGreaterThan(40);
    expect((html.tls!.end - html.tls!.start) / 1e6).toBeLessThan(45);
  });

  it('orders the protocols: 2 fastest, then 1.1, then 1.0 and 0.9 close together', () => {
    const [h09, h10, h11, h2, h3] = finished;
    expect(h2).toBeLessThan(h11);
    expect(h11).toBeLessThan(Math.min(h10, h09));
    // 0.9 and 1.0 spend the same round trips; 0.9 only saves header bytes.
    expect(Math.abs(h10 - h09)).toBeLessThan(5);
    expect(h09).toBeLessThanOrEqual(h10);
    // Round trips (40 ms each) explain the gaps: 1.0 needs about twice 1.1's.
    expect(h10 - h11).toBeGreaterThan(4 * 40);
    // The waterfall says the same as the console.
    const rows = waterfall(trace, 'browser');
    const spans = [1, 2, 3, 4, 5].map((load) => pageLoadTime(rows, load)!);
    spans.forEach((s, i) => expect((s.end - s.start) / 1e6).toBeCloseTo(finished[i], 0));
    expect(h3).toBeLessThan(h11);
  });

  it('HTTP/3 has the page as early as cleartext HTTP/2, and finishes level with it', () => {
    const rows = waterfall(trace, 'browser');
    const htmlDone = (load: number) => {
      const r = rows.find((x) => x.load === load && x.index === 0)!;
      return (r.end! - r.queued) / 1e6;
    };
    // Both spend one round trip on set-up (QUIC+TLS vs TCP) and one on the page: about 80 ms.
    expect(Math.abs(htmlDone(5) - htmlDone(4))).toBeLessThan(2);
    // Level: about 166 ms against 165 ms, as the description says.
    const [, , , h2, h3] = finished;
    expect(Math.abs(h3 - h2)).toBeLessThan(5);
    expect(Math.abs(h2 - 165)).toBeLessThan(3);
    expect(Math.abs(h3 - 166)).toBeLessThan(3);
  });

  it('HTTP/3: the PMTU probe is acknowledged before the responses go; they take two flights of 1472-byte datagrams, several responses to a packet', () => {
    const keys = appKeys(v, 'browser', 'SERVER');
    const h3Start = v.logRows('browser').find((l) => / over HTTP\/3/.test(l.text))!.time;
    const link = v.trace.links.find((l) => l.name === 'browser-web') ? 'browser-web' : 'web-browser';
    const down = v.frames(link).filter((f) => f.time > h3Start && f.ip?.src === '10.0.0.80' && f.ip.protocol === 17 && (udpPayload(f.bytes)[0] & 0x80) === 0);
    const framesOf = down.map((f) => ({ f, frames: oneRttFrames(f.bytes, keys) ?? [] }));
    // The twenty resources, requested once the page has arrived.
    const page = waterfall(trace, 'browser').find((r) => r.load === 5 && r.index === 0)!;
    const withData = framesOf.filter((x) => x.f.time > page.end! && x.frames.some((fr) => fr.type === 'stream'));
    // Several streams' frames in one packet (RFC 9000 12.4).
    expect(withData.some((x) => new Set(x.frames.flatMap((fr) => (fr.type === 'stream' ? [fr.id] : []))).size >= 3)).toBe(true);
    // Flights: data datagrams grouped by gaps of more than half a round trip.
    const flights: SeenFlight[] = [];
    for (const x of withData) {
      const last = flights.at(-1);
      if (last && x.f.time - last.end < 20e6) {
        last.end = x.f.time;
        last.bytes += udpPayload(x.f.bytes).length;
        last.largest = Math.max(last.largest, udpPayload(x.f.bytes).length);
      } else flights.push({ end: x.f.time, bytes: udpPayload(x.f.bytes).length, largest: udpPayload(x.f.bytes).length });
    }
    const acked = v.states('web', 'quic pmtu').filter((r) => r.time > h3Start && /acknowledged/.test(r.value));
    expect(acked).toHaveLength(1);
    expect(acked[0].time).toBeLessThanOrEqual(withData[0].f.time);
    expect(flights.length).toBe(2);
    expect(flights[0].largest).toBe(1472);
    // More than ten 1200-byte datagrams' worth: the initial window recomputed for 1472 bytes (RFC 9002 7.2).
    expect(flights[0].bytes).toBeGreaterThan(12000);
  });
});
