/**
 * What a retry policy does to an overloaded server, the way an instructor demonstrates it: the same
 * load, the same seed, the same four-fold slowdown from 2 s to 4 s; only the clients' policy differs.
 */
import { describe, expect, it } from 'vitest';
import { readRrEvents } from '../../src/timeline/metrics';
import { clientServer, mean, series } from './helpers';

const SERVER = 'rr-server --workers 8 --queue 1000 --service exp:8ms'; // ~1000 requests/s
const SLOW = '[{ at: 2s, node: srv, slowdown: { factor: 4, until: 4s } }]';
const run = (policy: string) =>
  clientServer({ server: SERVER, client: `rr-client 10.0.0.2 --rate 700 --timeout 100ms ${policy}`, duration: '12s', faults: SLOW });

describe('retry storm', () => {
  const storm = series(run('--retry immediate --attempts 4'));
  const calm = series(run('--retry expo-full --base 50ms --cap 2s --attempts 4 --budget 0.1'));

  it('is healthy before the slowdown whatever the policy', () => {
    for (const s of [storm, calm]) {
      expect(mean(s, 'goodput', 0, 2)).toBeGreaterThan(650);
      expect(mean(s, 'amplification', 0, 2)).toBeLessThan(1.05);
    }
  });

  it('immediate retries amplify offered load while goodput collapses', () => {
    expect(mean(storm, 'offered', 3, 4)).toBeGreaterThan(2.5 * 700);
    expect(mean(storm, 'amplification', 3, 4)).toBeGreaterThan(3.5);
    expect(mean(storm, 'goodput', 3, 4)).toBeLessThan(50);
  });

  it('stays broken long after the slowdown ends (metastable failure)', () => {
    expect(mean(storm, 'goodput', 8, 12)).toBeLessThan(0.1 * 700);
    expect(mean(storm, 'offered', 8, 12)).toBeGreaterThan(1000); // more than the healthy server can do
    expect(mean(storm, 'queue', 8, 12)).toBeGreaterThan(900); // a full queue of requests nobody waits for
  });

  it('capped exponential backoff with full jitter and a 10% retry budget recovers', () => {
    expect(mean(calm, 'amplification', 2, 7)).toBeLessThan(1.15);
    expect(mean(calm, 'goodput', 9, 12)).toBeGreaterThan(0.95 * 700);
    expect(mean(calm, 'p99', 9, 12)).toBeLessThan(100e6);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, half-opens after its open time, closes when the server heals', () => {
    const net = clientServer({
      server: 'rr-server --workers 8 --queue 100 --service const:1ms --error-rate 1',
      client: 'rr-client 10.0.0.2 --rate 200 --timeout 100ms --breaker 5 --breaker-open 300ms',
      duration: '1s',
    });
    const rows = net.states('clients', 'rr.breaker');
    expect(rows[0].value).toBe('open');
    expect(rows[1].value).toBe('half-open');
    expect(rows[1].time - rows[0].time).toBe(300e6);
    expect(rows[2].value).toBe('open'); // the trial call failed too
    const events = readRrEvents(net.trace).get('clients')!;
    const rejected = events.requests.outcome.filter((o) => o === 'breaker').length;
    expect(rejected).toBeGreaterThan(100); // failed fast, without touching the server
  });

  it('closes again when the trial call succeeds', () => {
    const net = clientServer({
      server: 'rr-server --workers 8 --queue 100 --service const:1ms',
      client: 'rr-client 10.0.0.2 --rate 200 --timeout 20ms --breaker 3 --breaker-open 200ms',
      duration: '1s',
      faults: '[{ at: 200ms, node: srv, slowdown: { factor: 100, until: 400ms } }]',
    });
    const states = net.states('clients', 'rr.breaker').map((r) => r.value);
    expect(states.slice(0, 2)).toEqual(['open', 'half-open']);
    expect(states[states.length - 1]).toBe('closed');
  });
});

describe('queue discipline and shedding under overload', () => {
  // Capacity ~1000/s, offered 1500/s, clients give up after 200 ms, no retries.
  const overload = (server: string) =>
    series(
      clientServer({
        server: `rr-server --workers 8 --queue 2000 --service exp:8ms ${server}`,
        client: 'rr-client 10.0.0.2 --rate 1500 --timeout 200ms',
        duration: '6s',
      }),
    );

  const fifo = overload('--order fifo');
  const lifo = overload('--order lifo');
  const shed = overload('--order fifo --shed-deadline');

  it('FIFO serves requests whose clients have given up: goodput collapses', () => {
    expect(mean(fifo, 'goodput', 3, 6)).toBeLessThan(50);
  });

  it('LIFO serves the newest first, so most of the capacity still does useful work', () => {
    expect(mean(lifo, 'goodput', 3, 6)).toBeGreaterThan(700);
  });

  it('dropping requests whose deadline has passed keeps FIFO useful too', () => {
    expect(mean(shed, 'goodput', 3, 6)).toBeGreaterThan(400);
    expect(mean(shed, 'goodput', 3, 6)).toBeGreaterThan(10 * mean(fifo, 'goodput', 3, 6));
  });
});
