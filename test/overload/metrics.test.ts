/** The overload-lab metrics: Little's law, percentiles, the trace key scheme. */
import { describe, expect, it } from 'vitest';
import { littlesLaw, percentile, readRrEvents, rrSeries, serverSojourns, sojournPercentile } from '../../src/timeline/metrics';
import { clientServer, mean } from './helpers';

describe("Little's law", () => {
  // Steady load: open-loop Poisson arrivals at 60% of the server's capacity.
  const net = clientServer({
    server: 'rr-server --workers 8 --queue 1000 --service lognormal:10ms:0.6',
    client: 'rr-client 10.0.0.2 --rate 480 --timeout 2s',
    duration: '8s',
  });
  const ws = rrSeries(net.trace, { windowNs: 1e9 });

  it('mean concurrency is within 5% of throughput x mean response time in every steady window', () => {
    const steady = littlesLaw(ws).slice(1, 7);
    expect(steady.length).toBe(6);
    for (const w of steady) {
      expect(w.l).toBeGreaterThan(1);
      expect(w.error).toBeLessThan(0.05);
    }
  });

  it('reads like a load-test report: QPS, TPS, concurrency, response-time percentiles', () => {
    expect(mean(ws, 'offered', 1, 7)).toBeGreaterThan(430);
    expect(mean(ws, 'offered', 1, 7)).toBeLessThan(530);
    expect(mean(ws, 'goodput', 1, 7)).toBeCloseTo(mean(ws, 'offered', 1, 7), -1);
    for (const w of ws.slice(1, 7)) {
      expect(w.p50).toBeLessThanOrEqual(w.p90);
      expect(w.p90).toBeLessThanOrEqual(w.p99);
      expect(w.p50).toBeGreaterThan(10e6); // service ~10 ms plus 4 ms of links
      expect(w.amplification).toBe(1);
      expect(w.timeouts).toBe(0);
    }
    expect(mean(ws, 'busy', 1, 7)).toBeGreaterThan(3.5); // utilisation ~ 480/s x 10 ms = 4.8 workers
    expect(mean(ws, 'busy', 1, 7)).toBeLessThan(6);
  });

  it('the server records every request it received', () => {
    const srv = readRrEvents(net.trace).get('srv')!;
    expect(srv.recv.time.length).toBeGreaterThan(3000);
  });
});

describe('metric helpers', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('counts requests still in flight at the end of the trace in concurrency', () => {
    const net = clientServer({ server: 'rr-server --workers 1 --service const:400ms', client: 'rr-client 10.0.0.2 --rate 10 --timeout 5s', duration: '1s' });
    const events = readRrEvents(net.trace).get('clients')!;
    expect(events.requests.outcome).toContain('open');
    const ws = rrSeries(net.trace, { windowNs: 500e6, to: 1e9 });
    expect(ws[1].concurrency).toBeGreaterThan(2);
  });

  it('records retries, timeouts and amplification per window', () => {
    const net = clientServer({
      server: 'rr-server --workers 1 --queue 0 --service const:50ms',
      client: 'rr-client 10.0.0.2 --rate 100 --timeout 100ms --retry fixed --base 5ms --attempts 3',
      duration: '2s',
    });
    const ws = rrSeries(net.trace);
    expect(ws[1].retries).toBeGreaterThan(50);
    expect(ws[1].amplification).toBeGreaterThan(1.5);
    expect(ws[1].amplification).toBeLessThanOrEqual(3);
  });

  it("a server's own response time runs from a request's arrival to its answer, queueing included", () => {
    // One worker, 10 ms per request, two clients sending at the same moment (--once): the first
    // request waits for nothing, the second (a frame time behind it) for the first.
    const net = clientServer({
      server: 'rr-server --workers 1 --queue 10 --service const:10ms',
      client: 'rr-client 10.0.0.2 --once --timeout 1s',
      duration: '200ms',
      count: 2,
    });
    const s = serverSojourns(readRrEvents(net.trace).get('srv')!);
    expect(s.sojourn.length).toBe(2);
    expect(s.sojourn[0]).toBe(10e6);
    expect(s.sojourn[1]).toBeGreaterThan(19.99e6);
    expect(s.sojourn[1]).toBeLessThan(20e6);
    expect(sojournPercentile(s, 0, 1e9, 0.5)).toBe(10e6);
    expect(sojournPercentile(s, 0, 1e9, 0.99)).toBe(s.sojourn[1]);
    expect(sojournPercentile(s, 0.5e9, 1e9, 0.5)).toBeNaN();
  });

  it('a crashed server shows an empty queue and no busy workers', () => {
    const net = clientServer({
      server: 'rr-server --workers 2 --queue 100 --service const:50ms',
      client: 'rr-client 10.0.0.2 --rate 200 --timeout 100ms',
      duration: '1s',
      faults: '[{ at: 500ms, node: srv, set: { up: false } }]',
    });
    const srv = readRrEvents(net.trace).get('srv')!;
    const at = (g: typeof srv.queue, t: number) => g.value[[...g.time].findLastIndex((x) => x <= t)];
    expect(at(srv.busy, 499e6)).toBe(2);
    expect(at(srv.queue, 499e6)).toBeGreaterThan(5);
    expect(at(srv.busy, 500e6)).toBe(0);
    expect(at(srv.queue, 500e6)).toBe(0);
    const ws = rrSeries(net.trace, { windowNs: 250e6, to: 1e9 });
    expect(ws[3].busy).toBe(0);
    expect(ws[3].queue).toBe(0);
  });
});
