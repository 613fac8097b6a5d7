/**
 * The branch action language: every form parses, prints back the same and parses to the same
 * action; errors name the action and what is wrong; a derived scene's errors name the action too;
 * and any sequence of actions replays to the same trace (fast-check).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveBranch, formatAction, parseAction, parseActions, type BranchAction } from '../../../src/scenario/branch';
import { parseRawScene } from '../../../src/scenario/raw-scene';
import { simulate } from '../../../src/scenario/simulate';

const FORMS = [
  '20ms link h1-sw1 down',
  '20ms link h1-sw1 up',
  '20ms link r1-h2 loss 30%',
  '20ms link r1-h2 latency 50ms',
  '20ms link r1-h2 jitter 5ms',
  '20ms link r1-h2 bandwidth 1Mbps',
  '20ms link r1-h2 queue 20',
  '20ms link r1-h2 loss 10% latency 5ms',
  '30ms partition h1,h2 | h3',
  '40ms heal',
  '25ms node s1 crash',
  '25ms node s1 restart',
  '25ms node s1 slow 3x',
  '50ms node h1 interrupt ping',
  '40ms drop packet 17',
  '40ms delay packet 17 5ms',
  '40ms corrupt packet 17',
  '35ms h1 ping 10.0.1.5 -c 2',
  '0ms h1 ping 10.0.1.5',
  '1.5s link a-b down',
];

function parse(text: string): BranchAction {
  const r = parseAction(text);
  if (!r.ok) throw new Error(r.error);
  return r.action;
}

describe('action language', () => {
  it.each(FORMS)('%s round-trips', (text) => {
    const a = parse(text);
    expect(formatAction(a)).toBe(text);
    expect(parse(formatAction(a))).toEqual(a);
  });

  it('"partition off" is another way to write heal', () => {
    expect(parse('40ms partition off')).toEqual({ kind: 'heal', at: 40_000_000 });
  });

  it('reads loss as a probability too, and prints it as a percentage', () => {
    expect(formatAction(parse('20ms link x-y loss 0.25'))).toBe('20ms link x-y loss 25%');
  });

  it.each([
    ['20 link a-b down', /^"20 link a-b down": "20" needs a unit/],
    ['20ms link a-b sideways', /^"20ms link a-b sideways": unknown link setting "sideways"/],
    ['20ms link a-b loss 130%', /more than 100%/],
    ['20ms link a-b latency fast', /latency: "fast" is not a duration/],
    ['20ms node s1 explode', /unknown node action "explode"/],
    ['20ms node s1 slow', /slow needs a factor/],
    ['20ms drop packet x', /"x" is not a packet id/],
    ['20ms delay packet 3', /how long\?/],
    ['20ms partition h1 h2', /at least two groups/],
    ['20ms heal h1', /"heal" stands alone/],
    ['20ms', /nothing happens at 20ms/],
    ['', /empty action/],
  ])('%j is refused naming the action', (text, why) => {
    const r = parseAction(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(why);
      expect(r.error.startsWith(`"${text.trim()}"`)).toBe(true);
    }
  });

  it('parseActions reports every bad line', () => {
    const r = parseActions(['20ms link a-b down', '5ms nope!', '6ms node x']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(2);
  });
});

const parent = parseRawScene(readFileSync('scenes/router-ping.yaml', 'utf8'));

describe('deriving a branch', () => {
  it('names the action when the scene refuses it', () => {
    const r = deriveBranch({
      parent,
      actions: [parse('20ms link h1-sw9 down'), parse('21ms node h7 crash'), parse('22ms h1 pong 1.2.3.4'), parse('50ms link h1-sw1 up')],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toContain('"20ms link h1-sw9 down": no link "h1-sw9" (did you mean "h1-sw1"?); links are named by id (default "a-b")');
      expect(r.errors.some((e) => e.startsWith('"21ms node h7 crash": no node "h7"'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('"22ms h1 pong 1.2.3.4": unknown program "pong"'))).toBe(true);
    }
    const late = deriveBranch({ parent, actions: [parse('50ms link h1-sw1 up')] });
    expect(late).toEqual({ ok: false, errors: ['"50ms link h1-sw1 up": 50ms is after the end of the scene (duration 40ms)'] });
  });

  it('leaves the parent data alone and carries the seed', () => {
    const before = JSON.stringify(parent);
    const r = deriveBranch({ parent, actions: [parse('20ms link h1-sw1 down')], seed: 9 });
    expect(JSON.stringify(parent)).toBe(before);
    expect(r.ok && r.scene.seed).toBe(9);
  });

  it('a branch with no actions is its parent', () => {
    const r = deriveBranch({ parent, actions: [] });
    const p = deriveBranch({ parent, actions: [] });
    if (!r.ok || !p.ok) throw new Error('derive');
    expect(simulate(r.scene).trace.hash()).toBe(simulate(p.scene).trace.hash());
  });
});

describe('replay (property)', () => {
  const time = fc.integer({ min: 0, max: 40_000 }).map((us) => us * 1000);
  const link = fc.constantFrom('h1-sw1', 'sw1-r1', 'r1-sw2', 'sw2-h2');
  const node = fc.constantFrom('h1', 'r1', 'h2');
  const action: fc.Arbitrary<BranchAction> = fc.oneof(
    fc.record({
      kind: fc.constant('link' as const),
      at: time,
      link,
      set: fc.constantFrom({ up: false }, { up: true }, { loss: 0.3 }, { latency: 5_000_000 }, { bandwidth: 1e6 }, { queue: 2 }, { jitter: 500_000 }),
    }),
    fc.record({ kind: fc.constant('node' as const), at: time, node, op: fc.constantFrom('crash' as const, 'restart' as const) }),
    fc.record({
      kind: fc.constant('packet' as const),
      at: time,
      packet: fc.integer({ min: 0, max: 40 }),
      op: fc.constantFrom('drop' as const, 'corrupt' as const),
    }),
    fc.record({ kind: fc.constant('packet-delay' as const), at: time, packet: fc.integer({ min: 0, max: 40 }), delay: fc.constantFrom(1_000_000, 7_000_000) }),
    fc.record({ kind: fc.constant('partition' as const), at: time, groups: fc.constant([['h1'], ['h2']]) }),
    fc.record({ kind: fc.constant('interrupt' as const), at: time, node, program: fc.constant('ping') }),
    fc.record({ kind: fc.constant('heal' as const), at: time }),
    fc.record({
      kind: fc.constant('command' as const),
      at: time,
      on: fc.constantFrom('h1', 'h2'),
      cmd: fc.constantFrom('ping 10.0.1.5 -c 2 -i 5ms', 'ping 10.0.0.1 -c 1'),
    }),
  );

  it('a random sequence of actions gives the same trace hash every time it is replayed, and prints back to itself', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), (actions) => {
        for (const a of actions) expect(parse(formatAction(a))).toEqual(a);
        const text = actions.map(formatAction);
        const again = parseActions(text);
        if (!again.ok) throw new Error(again.errors.join('\n'));
        const d1 = deriveBranch({ parent, actions });
        const d2 = deriveBranch({ parent, actions: again.actions });
        if (!d1.ok || !d2.ok) throw new Error(d1.ok ? '' : d1.errors.join('\n'));
        expect(simulate(d2.scene).trace.hash()).toBe(simulate(d1.scene).trace.hash());
      }),
      { numRuns: 40, seed: 20261207 },
    );
  });
});
