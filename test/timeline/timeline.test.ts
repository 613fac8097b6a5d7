import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { dissectFrame } from '../../src/protocols/dissect';
import { registerBuiltinProtocols } from '../../src/protocols/builtin';
import {
  buildTimeline,
  frameProtocol,
  frameProtocolName,
  framesInFlight,
  hopsOfPacket,
  logLinesUntil,
  nextEventTime,
  prevEventTime,
  stateAt,
} from '../../src/timeline';

registerBuiltinProtocols();

function run(name: string): Trace {
  const r = loadScene(readFileSync(`scenes/${name}.yaml`, 'utf8'), name);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return simulate(r.scene).trace;
}

/** The brute-force answer: every FrameTx row with time <= t <= arrival. */
function naiveInFlight(tr: Trace, t: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < tr.length; i++) {
    if (tr.kind[i] === RecordKind.FrameTx && tr.time[i] <= t && t <= tr.arrival[i]) out.push(i);
  }
  return out.sort((a, b) => a - b);
}

describe('timeline over router-ping', () => {
  const trace = run('router-ping');
  const index = buildTimeline(trace);

  it('orders every row by time', () => {
    expect(index.order.length).toBe(trace.length);
    for (let i = 1; i < index.order.length; i++) expect(index.orderTime[i]).toBeGreaterThanOrEqual(index.orderTime[i - 1]);
  });

  it('returns exactly the frames on the wire at many instants', () => {
    let nonEmpty = 0;
    for (let t = 0; t <= 40e6; t += 37_123) {
      const got = framesInFlight(index, t).sort((a, b) => a - b);
      expect(got).toEqual(naiveInFlight(trace, t));
      if (got.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it('sees the first ARP request on h1-sw1 one microsecond after it starts, and nothing before', () => {
    const first = index.order.find((r) => trace.kind[r] === RecordKind.FrameTx)!;
    const t0 = trace.time[first];
    expect(framesInFlight(index, t0 - 1)).toEqual([]);
    const at = framesInFlight(index, t0 + 1000);
    expect(at).toEqual([first]);
    expect(trace.links[trace.place[first]].name).toBe('h1-sw1');
    expect(frameProtocolName(frameProtocol(index, trace.frame[first]))).toBe('ARP');
  });

  it('steps from event to event', () => {
    const first = nextEventTime(index, -1)!;
    expect(first).toBe(1_000_000);
    const second = nextEventTime(index, first)!;
    expect(second).toBeGreaterThan(first);
    expect(prevEventTime(index, second)).toBe(first);
    expect(prevEventTime(index, first)).toBeNull();
    expect(nextEventTime(index, index.endTime)).toBeNull();
  });

  it('shows program output only up to the playhead', () => {
    expect(logLinesUntil(index, 999_999)).toEqual([]);
    expect(logLinesUntil(index, 1_000_000).map((l) => l.text)).toEqual(['PING 10.0.1.5 (10.0.1.5) 56(84) bytes of data.']);
    const all = logLinesUntil(index, 40e6);
    expect(all.length).toBe(8);
    expect(all[1].text).toMatch(/icmp_seq=1 ttl=63/);
    expect(all.every((l) => l.node === 'h1')).toBe(true);
  });

  it('reconstructs the switch MAC table and the ARP cache at a time', () => {
    expect(stateAt(index, 'sw1', 0).size).toBe(0);
    const sw = stateAt(index, 'sw1', 40e6);
    expect([...sw.keys()].sort()).toEqual(['mac 02:00:00:00:01:01', 'mac 02:00:00:00:03:01']);
    expect(sw.get('mac 02:00:00:00:01:01')).toBe('port1');
    const early = stateAt(index, 'sw1', 3e6);
    expect(early.size).toBe(1);
    const h1 = stateAt(index, 'h1', 40e6);
    expect(h1.get('arp 10.0.0.254')).toBe('02:00:00:00:03:01');
  });

  it('follows one ICMP echo across the router: TTL 64 then 63, MACs rewritten, IPs kept', () => {
    const echo = index.order.find((r) => {
      if (trace.kind[r] !== RecordKind.FrameTx) return false;
      const d = dissectFrame(trace.frameBytes(trace.frame[r]));
      return d.protocol === 'ICMP' && /request/i.test(d.summary);
    })!;
    const hops = hopsOfPacket(index, trace.packet[echo]);
    expect(hops.map((r) => trace.links[trace.place[r]].name)).toEqual(['h1-sw1', 'sw1-r1', 'r1-sw2', 'sw2-h2']);
    const bytes = hops.map((r) => trace.frameBytes(trace.frame[r]));
    const ttl = bytes.map((b) => b[22]);
    expect(ttl).toEqual([64, 64, 63, 63]);
    const mac = (b: Uint8Array, off: number) => Array.from(b.subarray(off, off + 6)).join(':');
    expect(mac(bytes[1], 0)).not.toBe(mac(bytes[2], 0)); // destination MAC rewritten by r1
    expect(mac(bytes[1], 6)).not.toBe(mac(bytes[2], 6)); // source MAC rewritten by r1
    expect(mac(bytes[0], 6)).toBe(mac(bytes[1], 6)); // the switch forwards unchanged
    const ip = (b: Uint8Array) => Array.from(b.subarray(26, 34)).join('.');
    expect(new Set(bytes.map(ip)).size).toBe(1);
    for (let i = 1; i < hops.length; i++) expect(trace.time[hops[i]]).toBeGreaterThanOrEqual(trace.arrival[hops[i - 1]]);
  });
});

describe('timeline over hub-vs-switch (rows out of time order)', () => {
  const trace = run('hub-vs-switch');
  const index = buildTimeline(trace);

  it('matches brute force even though hub rows are recorded late', () => {
    for (let t = 900_000; t <= 12e6; t += 9_871) {
      expect(framesInFlight(index, t).sort((a, b) => a - b)).toEqual(naiveInFlight(trace, t));
    }
  });

  it('records collisions on the hub as drops', () => {
    const drops = Array.from(index.order).filter((r) => trace.kind[r] === RecordKind.Drop);
    expect(drops.length).toBeGreaterThan(0);
    expect(trace.string(trace.code[drops[0]])).toMatch(/collision/);
  });
});

describe('timeline over bench-chain (360k frames)', () => {
  it('answers in-flight queries fast', () => {
    const trace = run('bench-chain');
    const index = buildTimeline(trace);
    const t0 = performance.now();
    let total = 0;
    for (let i = 0; i < 1000; i++) total += framesInFlight(index, 1e6 + i * 9_999_000).length;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(total).toBeGreaterThan(1000);
    const t = 5_000_123_456;
    expect(framesInFlight(index, t).sort((a, b) => a - b)).toEqual(naiveInFlight(trace, t));
  }, 60_000);
});
