/**
 * scenes/failover.yaml: two regions behind a round-robin load balancer with health checks; at 2 s
 * region A crashes. The balancer stops sending it traffic within its detection time (two missed
 * probes, 100 ms apart, each given 50 ms), region B takes all the load, and B's latency rises.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRrEvents, rrSeries, serverSojourns, sojournPercentile } from '../../src/timeline/metrics';
import { TestNet } from '../helpers/net';

const CRASH = 2e9;
/** Worst case from a crash to "down": --fall 2 probes, --health 100ms apart, --health-timeout 50ms. */
const DETECTION = 2 * 100e6 + 50e6;
const A = '10.1.0.10';
const B = '10.2.0.10';

describe('scenes/failover.yaml', () => {
  const net = TestNet.fromYaml(readFileSync(join(import.meta.dirname, '../../scenes/failover.yaml'), 'utf8')).runToEnd();
  const events = readRrEvents(net.trace);
  const forwarded = net.states('lb', 'rr.lb').filter((r) => r.key === 'rr.lb');
  /** Share of the requests forwarded to region A in [from, to). */
  const shareOfA = (from: number, to: number) => {
    const sel = forwarded.filter((r) => r.time >= from && r.time < to);
    return sel.filter((r) => r.value.endsWith(` ${A}`)).length / sel.length;
  };

  it('before the crash both regions share the load', () => {
    expect(shareOfA(0.1e9, CRASH)).toBeGreaterThan(0.45);
    expect(shareOfA(0.1e9, CRASH)).toBeLessThan(0.55);
  });

  it("after region A dies, its share goes to zero within the health checks' detection time", () => {
    const marks = events.get('lb')!.backends.filter((b) => b.backend === A);
    expect(marks.map((b) => b.state)).toEqual(['up', 'down']);
    const down = marks[1].time;
    expect(down).toBeGreaterThan(CRASH);
    expect(down - CRASH).toBeLessThanOrEqual(DETECTION);
    expect(down / 1e9).toBe(2.15); // as the description says
    expect(shareOfA(down, 6e9)).toBe(0);
    expect(forwarded.filter((r) => r.time >= down && r.value.endsWith(` ${B}`)).length).toBeGreaterThan(2500);
    // Until then round robin keeps sending every second request to the dead region.
    expect(shareOfA(CRASH, down)).toBeGreaterThan(0.45);
  });

  it('the requests lost in region A time out and are retried on B: every request is answered', () => {
    const clients = events.get('clients')!;
    const finished = clients.requests.outcome.filter((o) => o !== 'open');
    expect(finished.length).toBeGreaterThan(4000);
    expect(finished.every((o) => o === 'ok')).toBe(true);
    // The few without an answer in the totals were sent in the last 50 ms: still in flight at the end.
    const end = 6000e6;
    const open = clients.requests.start.filter((_, i) => clients.requests.outcome[i] === 'open');
    for (const t of open) expect(t).toBeGreaterThan(end - 50e6);
    const timeouts = clients.timeouts.time;
    expect(timeouts.length).toBe(57);
    for (const t of timeouts) expect(t).toBeGreaterThan(CRASH); // nothing was lost before the crash
    expect(Math.max(...timeouts)).toBeLessThan(CRASH + DETECTION + 250e6); // nor after the failover
  });

  it("region B's own response time rises once it carries all the load", () => {
    const b = serverSojourns(events.get('region-b')!);
    const before = { p50: sojournPercentile(b, 0, CRASH, 0.5), p99: sojournPercentile(b, 0, CRASH, 0.99) };
    const after = { p50: sojournPercentile(b, 3e9, 6e9, 0.5), p99: sojournPercentile(b, 3e9, 6e9, 0.99) };
    expect(after.p50).toBeGreaterThan(2 * before.p50);
    expect(after.p99).toBeGreaterThan(1.3 * before.p99);
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    expect([ms(before.p50), ms(before.p99), ms(after.p50), ms(after.p99)]).toEqual([6.5, 50.1, 22.9, 72.5]);
    // B's workers go from about half busy to nearly always busy.
    const ws = rrSeries(net.trace, { windowNs: 1e9, from: 0, to: 6e9, servers: ['region-b'] });
    expect(ws[1].busy).toBeLessThan(4.5);
    for (const w of ws.slice(3)) expect(w.busy).toBeGreaterThan(6.5);
  });

  it('the clients see it too: p50 21-22 ms before, 27-54 ms after (1 s windows)', () => {
    const ws = rrSeries(net.trace, { windowNs: 1e9, from: 0, to: 6e9, clients: ['clients'] });
    const p50 = (k: number) => Math.round(ws[k].p50 / 1e6);
    expect([p50(0), p50(1)]).toEqual([22, 21]);
    const after = [3, 4, 5].map(p50);
    expect(Math.min(...after)).toBe(27);
    expect(Math.max(...after)).toBe(54);
    for (const k of [3, 4, 5]) expect(ws[k].goodput).toBeGreaterThan(700); // no lasting loss
  });
});
