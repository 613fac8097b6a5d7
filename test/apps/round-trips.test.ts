/**
 * Round trips before the first response byte, counted from the frames of the trace: TCP + TLS 1.2
 * takes 4 (SYN; ClientHello; ClientKeyExchange/Finished; the request), TCP + TLS 1.3 takes 3
 * (SYN; ClientHello; Finished + request) and a resumed TLS 1.3 session with 0-RTT early data takes
 * 2 (SYN; ClientHello + request). Scenes tls12-vs-tls13 and tls13-0rtt.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { readTcpHeader } from '../../src/protocols/tcp/tcp-header';
import { TraceView, type SeenFrame } from '../helpers/net';

const scene = (name: string) => new TraceView(simulate(loadSceneFile(fileURLToPath(new URL(`../../scenes/${name}.yaml`, import.meta.url))), {}).trace);

const TCP_SYN = 0x02;

/** TCP payload length of a frame (Ethernet + IPv4 without options assumed, as the stack sends). */
function payload(f: SeenFrame): number {
  const ihl = (f.bytes[14] & 15) * 4;
  const thl = (f.bytes[14 + ihl + 12] >> 4) * 4;
  return f.ip!.totalLength - ihl - thl;
}

/** A segment that moves the conversation on: a SYN or one with data (pure ACKs do not count). */
const carries = (f: SeenFrame) => f.ip?.protocol === 6 && (payload(f) > 0 || (readTcpHeader(f.bytes, 34).flags & TCP_SYN) !== 0);

/**
 * The round trips of one transfer up to its first response byte (`firstByte`, when curl printed
 * the status line). Segments the client transmits back to back (each starting as the previous one
 * ends: written together, serialised one after the other) form one burst; a burst with a SYN or
 * data that leaves after something new arrived from the server is a new client flight. The round
 * trips are the client flights that reached the server before the server sent the segment holding
 * the first response byte (so a client Finished sent after a 0-RTT response was already on its
 * way does not count).
 */
function roundTrips(v: TraceView, link: string, from: number, firstByte: number): number {
  const up = v.frames(link, 'a>b').filter((f) => f.ip?.protocol === 6 && f.time >= from && f.time < firstByte);
  const down = v.frames(link, 'b>a').filter((f) => f.time >= from && f.arrival <= firstByte && carries(f));
  const response = down.reduce((a, b) => (b.arrival > a.arrival ? b : a));
  const bursts: SeenFrame[][] = [];
  for (const f of up) {
    const last = bursts.at(-1)?.at(-1);
    if (last && f.time <= last.end) bursts.at(-1)!.push(f);
    else bursts.push([f]);
  }
  const flights: SeenFrame[] = []; // the first segment of each client flight
  for (const b of bursts) {
    if (!b.some(carries)) continue;
    const prev = flights.at(-1);
    if (!prev || down.some((d) => d.arrival > prev.time && d.arrival <= b[0].time)) flights.push(b[0]);
  }
  return flights.filter((f) => f.arrival <= response.time).length;
}

/** Starts of the curl runs (`Trying`) and their first response bytes (`< HTTP/...`). */
function transfers(v: TraceView): { start: number; firstByte: number }[] {
  const rows = v.logRows('browser');
  const starts = rows.filter((r) => r.text.startsWith('*   Trying')).map((r) => r.time);
  const firsts = rows.filter((r) => /^< HTTP\//.test(r.text)).map((r) => r.time);
  return starts.map((start, i) => ({ start, firstByte: firsts[i] }));
}

const RTT = 40e6; // 20 ms each way

describe('round trips before the first response byte', () => {
  it('TCP + TLS 1.2 takes 4, TCP + TLS 1.3 takes 3 (tls12-vs-tls13)', () => {
    const v = scene('tls12-vs-tls13');
    const [tls12, tls13] = transfers(v);
    expect(roundTrips(v, 'browser-web', tls12.start, tls12.firstByte)).toBe(4);
    expect(roundTrips(v, 'browser-web', tls13.start, tls13.firstByte)).toBe(3);
    // And the clock agrees: n round trips of 40 ms, plus a few transmission times.
    expect((tls12.firstByte - tls12.start) / RTT).toBeCloseTo(4, 0);
    expect((tls13.firstByte - tls13.start) / RTT).toBeCloseTo(3, 0);
    expect(v.logs('browser').some((l) => l.startsWith('* SSL connection using TLSv1.2'))).toBe(true);
  });

  it('a resumed TLS 1.3 session with 0-RTT early data takes 2 (tls13-0rtt)', () => {
    const v = scene('tls13-0rtt');
    const [first, second] = transfers(v);
    expect(roundTrips(v, 'browser-web', first.start, first.firstByte)).toBe(3);
    expect(roundTrips(v, 'browser-web', second.start, second.firstByte)).toBe(2);
    expect((second.firstByte - second.start) / RTT).toBeCloseTo(2, 0);
    const logs = v.logs('browser');
    expect(logs).toContain('* SSL reusing session with ticket (TLSv1.3)');
    expect(logs.some((l) => l.includes('(resumed, early data accepted)'))).toBe(true);
    // The server answered the request that came as early data.
    expect(v.logs('web').filter((l) => l.includes('"GET / HTTP/1.1" 200'))).toHaveLength(2);
  });
});
