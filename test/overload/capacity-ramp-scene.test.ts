/**
 * scenes/capacity-ramp.yaml: open-loop load ramping from 0 to 1,200 requests/s over 10 s against
 * a server of 8 workers x ~10 ms (capacity ~800/s). Below the knee the response time stays near
 * the service time; past it the queue grows and p99 explodes while goodput flattens at capacity.
 */
import { describe, expect, it } from 'vitest';
import { readRrEvents, rrSeries } from '../../src/timeline/metrics';
import { runSceneFile } from './helpers';

const SERVICE_MS = 10;
const CAPACITY = 8 / (SERVICE_MS / 1000); // workers / mean service time = 800 per second

describe('scenes/capacity-ramp.yaml', () => {
  const { trace } = runSceneFile('capacity-ramp');
  const ws = rrSeries(trace, { windowNs: 1e9, from: 0, to: 12e9 });
  const at = (s: number) => ws[s];

  it('offers a load that rises steadily past capacity', () => {
    // 120 more requests/s every second (Poisson noise of a few percent).
    for (let s = 1; s < 10; s++) expect(Math.abs(at(s).offered - 120 * (s + 0.5)), `offered at ${s} s`).toBeLessThan(0.2 * 120 * (s + 0.5) + 20);
    expect(at(5).offered).toBeLessThan(0.8 * CAPACITY);
    expect(at(8).offered).toBeGreaterThan(1.25 * CAPACITY);
  });

  it('below the knee, p99 stays within a small multiple of the service time', () => {
    // Up to ~75% of capacity (the first 5 s): p99 at most 7 service times (exponential service
    // alone has a p99 of 4.6 means), p50 near one service time plus 4 ms of links.
    for (let s = 0; s < 5; s++) {
      expect(at(s).p99, `p99 at ${s} s`).toBeLessThan(7 * SERVICE_MS * 1e6);
      expect(at(s).p50, `p50 at ${s} s`).toBeLessThan(2 * SERVICE_MS * 1e6);
      expect(at(s).goodput).toBeGreaterThan(0.9 * at(s).offered);
    }
  });

  it('past the knee, p99 grows at least tenfold while goodput flattens at capacity', () => {
    const below = Math.max(...ws.slice(0, 5).map((w) => w.p99));
    expect(at(11).p99).toBeGreaterThan(10 * below);
    // p99 keeps growing with the queue, second after second.
    for (let s = 7; s < 12; s++) expect(at(s).p99, `p99 at ${s} s`).toBeGreaterThan(at(s - 1).p99);
    for (let s = 7; s < 12; s++) {
      expect(at(s).goodput, `goodput at ${s} s`).toBeGreaterThan(0.9 * CAPACITY);
      expect(at(s).goodput, `goodput at ${s} s`).toBeLessThan(1.1 * CAPACITY);
      expect(at(s).busy, `busy workers at ${s} s`).toBeGreaterThan(7.9);
    }
    // Offered keeps rising, so the gap between offered and goodput widens.
    expect(at(11).offered - at(11).goodput).toBeGreaterThan(at(8).offered - at(8).goodput);
  });

  it('the queue fills and the server then refuses the excess', () => {
    const srv = readRrEvents(trace).get('server')!;
    expect(Math.max(...srv.queue.value)).toBe(1000);
    expect(srv.shed.time.length).toBeGreaterThan(100);
    expect(srv.shed.time[0]).toBeGreaterThan(10e9);
    expect(Number((srv.shed.time[0] / 1e9).toFixed(1))).toBe(10.7); // as the description says
  });

  it('matches the figures in the description (1 s windows)', () => {
    const ms = (ns: number) => Math.round(ns / 1e6);
    const p50s = ws.slice(0, 5).map((w) => ms(w.p50));
    expect(Math.min(...p50s)).toBe(13);
    expect(Math.max(...p50s)).toBe(14);
    expect(Math.max(...ws.slice(0, 5).map((w) => ms(w.p99)))).toBe(61);
    expect([ms(at(7).p99), ms(at(9).p99), ms(at(11).p99)]).toEqual([172, 659, 1259]);
    const good = ws.slice(7).map((w) => w.goodput);
    expect(Math.min(...good)).toBeGreaterThanOrEqual(780);
    expect(Math.max(...good)).toBeLessThanOrEqual(850);
    expect(at(0).concurrency).toBeLessThan(10);
    expect(at(11).concurrency).toBeGreaterThan(1000);
  });
});
