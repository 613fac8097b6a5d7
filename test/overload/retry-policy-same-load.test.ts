/**
 * A change of retry policy leaves the offered load alone: backoff jitter draws from a random stream
 * of its own ('rr-client:retry'), so the arrivals and the choice of client, drawn from 'rr-client',
 * are the same coin flips whatever the clients do after a failure. This is what makes the Load
 * panel's comparison of two runs fair: the same requests, sent at the same times, retried differently.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/scenario/load';
import { parseRawScene } from '../../src/scenario/raw-scene';
import { buildRunVariant, clientRuns, withPolicy } from '../../src/scenario/run-variant';
import { simulate } from '../../src/scenario/simulate';
import type { Trace } from '../../src/sim/trace';
import { readRrEvents } from '../../src/timeline/metrics';
import { clientServer } from './helpers';

/** The times of the population's first attempts (rr.send rows with attempt 1): its requests. */
function firstSends(trace: Trace, clients: string): number[] {
  const s = readRrEvents(trace).get(clients)!.sends;
  return Array.from(s.time).filter((_, i) => s.value[i] === 1);
}

/** The times of the population's retries (rr.send rows with attempt 2 or more). */
function retrySends(trace: Trace, clients = 'clients'): number[] {
  const s = readRrEvents(trace).get(clients)!.sends;
  return Array.from(s.time).filter((_, i) => s.value[i] > 1);
}

describe('scenes/failover.yaml compared under two retry policies', () => {
  // The scene's clients retry with full jitter; region A's crash at 2 s makes them retry.
  const text = readFileSync('scenes/failover.yaml', 'utf8');
  const raw = parseRawScene(text);
  const loaded = loadScene(text, 'failover.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const { index, cmd } = clientRuns(loaded.scene)[0];
  const run = (edits: Parameters<typeof withPolicy>[1]) => {
    const v = buildRunVariant(raw, index, withPolicy(cmd, edits), 'failover.yaml');
    if (!v.ok) throw new Error(v.errors.join('\n'));
    return simulate(v.scene).trace;
  };

  it('sends every request at the same time, whether retries wait with jitter, without, or not at all', () => {
    const jitter = run({}); // the scene as it is: --retry expo-full
    const immediate = run({ '--retry': 'immediate' });
    const equal = run({ '--retry': 'expo-equal', '--attempts': '5' });
    const sends = firstSends(jitter, 'clients');
    expect(sends.length).toBeGreaterThan(4000); // 750/s for 6 s
    // The runs differ: the crash's lost attempts are retried at other times.
    expect(retrySends(jitter).length).toBeGreaterThan(50);
    expect(retrySends(immediate)).not.toEqual(retrySends(jitter));
    expect(retrySends(equal)).not.toEqual(retrySends(jitter));
    expect(firstSends(immediate, 'clients')).toEqual(sends);
    expect(firstSends(equal, 'clients')).toEqual(sends);
  });
});

describe('any two retry policies', () => {
  // A small population against a server that is down from 200 ms to 400 ms: every policy retries.
  const POLICIES = [
    '--retry none --attempts 1',
    '--retry immediate --attempts 4',
    '--retry expo --base 20ms --cap 200ms --attempts 5',
    '--retry expo-full --base 20ms --cap 200ms --attempts 5',
    '--retry expo-equal --base 20ms --cap 200ms --attempts 5 --budget 0.2',
    '--retry decorrelated --base 20ms --cap 200ms --attempts 6',
  ];
  const run = (seed: number, policy: string) =>
    clientServer({
      seed,
      count: 50,
      server: 'rr-server --workers 2 --queue 20 --service exp:5ms',
      client: `rr-client 10.0.0.2 --rate 200 --timeout 50ms ${policy}`,
      duration: '800ms',
      faults: '[{ at: 200ms, node: srv, set: { up: false } }, { at: 400ms, node: srv, set: { up: true } }]',
    }).trace;

  it('send the same requests at the same times, for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(...POLICIES), fc.constantFrom(...POLICIES), (seed, a, b) => {
        const [ta, tb] = [run(seed, a), run(seed, b)];
        for (const [t, p] of [
          [ta, a],
          [tb, b],
        ] as const)
          if (!p.includes('none')) expect(retrySends(t).length, p).toBeGreaterThan(0);
        expect(firstSends(ta, 'clients')).toEqual(firstSends(tb, 'clients'));
      }),
      { numRuns: 12 },
    );
  });
});
