/**
 * scenes/backoff-jitter.yaml: 200 clients each want one answer from a server that refuses most of
 * the burst, in five identical systems that differ only in how long refused clients wait. What the
 * scene's description claims, per policy: total calls, and when the last answer arrives.
 */
import { describe, expect, it } from 'vitest';
import { readRrEvents, type RrNodeEvents } from '../../src/timeline/metrics';
import { runSceneFile } from './helpers';

const POLICIES = ['immediate', 'expo', 'full-jitter', 'equal-jitter', 'decorrelated'] as const;
type Policy = (typeof POLICIES)[number];

interface Outcome {
  requests: number;
  ok: number;
  /** Attempts sent, retries included. */
  calls: number;
  /** From the first request to the last answer, ns. */
  completion: number;
  /** When the last answer arrived (scene time), ns. */
  lastAnswer: number;
}

function outcome(e: RrNodeEvents): Outcome {
  const r = e.requests;
  let ok = 0;
  let first = Infinity;
  let last = 0;
  for (let i = 0; i < r.id.length; i++) {
    first = Math.min(first, r.start[i]);
    if (r.ok[i]) {
      ok++;
      last = Math.max(last, r.end[i]);
    }
  }
  return { requests: r.id.length, ok, calls: e.sends.time.length, completion: last - first, lastAnswer: last };
}

describe('scenes/backoff-jitter.yaml', () => {
  const { trace } = runSceneFile('backoff-jitter');
  const events = readRrEvents(trace);
  const runs = Object.fromEntries(POLICIES.map((p) => [p, outcome(events.get(p)!)])) as Record<Policy, Outcome>;

  it('every system gets the same work done: 200 requests, all answered OK', () => {
    for (const p of POLICIES) expect(runs[p], p).toMatchObject({ requests: 200, ok: 200 });
    // The servers refused most of the burst: there was contention to resolve.
    for (const p of POLICIES) expect(events.get(`srv-${p}`)!.shed.time.length, p).toBeGreaterThan(200);
  });

  it('no backoff makes by far the most calls', () => {
    for (const p of POLICIES.slice(1)) expect(runs.immediate.calls, p).toBeGreaterThan(5 * runs[p].calls);
    expect(runs.immediate.calls / 200).toBeGreaterThan(20); // over 20 calls per request
  });

  it('full jitter makes fewer calls than exponential backoff without jitter, and finishes sooner', () => {
    expect(runs['full-jitter'].calls).toBeLessThan(0.9 * runs.expo.calls);
    expect(runs['full-jitter'].completion).toBeLessThan(runs.expo.completion / 4);
  });

  it('every jitter variant beats plain exponential backoff on calls and completion time', () => {
    for (const p of ['full-jitter', 'equal-jitter', 'decorrelated'] as const) {
      expect(runs[p].calls, p).toBeLessThan(runs.expo.calls);
      expect(runs[p].completion, p).toBeLessThan(runs.expo.completion / 4);
    }
    // Without jitter the last clients wait through whole doubling waves: seconds, not milliseconds.
    expect(runs.expo.completion).toBeGreaterThan(2e9);
  });

  it('no backoff finishes first only because refusing costs the server nothing: it stays busy', () => {
    // 200 requests at 800/s take at least 250 ms; immediate retries keep a worker on every one.
    expect(runs.immediate.completion).toBeGreaterThanOrEqual(250e6);
    for (const p of POLICIES.slice(1)) expect(runs.immediate.completion, p).toBeLessThan(runs[p].completion);
  });

  it('matches the figures in the description', () => {
    // Calls, and the time of the last answer in seconds as the description rounds it.
    const fig = (p: Policy, digits: number) => [runs[p].calls, Number((runs[p].lastAnswer / 1e9).toFixed(digits))];
    expect([fig('immediate', 2), fig('expo', 1), fig('full-jitter', 2), fig('equal-jitter', 2), fig('decorrelated', 2)]).toEqual([
      [4683, 0.26],
      [692, 3.2],
      [570, 0.49],
      [532, 0.37],
      [424, 0.56],
    ]);
  });
});
