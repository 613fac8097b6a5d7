/**
 * Ctrl-C as a branch action (`2500ms node h1 interrupt ping`): SIGINT to the newest running ping on
 * h1, like `pkill -INT -n ping`. iputils ping catches SIGINT, prints its statistics and exits; what
 * it sent before stays sent, and nothing is sent after.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_RUNWAY_NS, deriveBranch, formatAction, parseAction, parseActions, type BranchAction } from '../../../src/scenario/branch';
import { parseRawScene } from '../../../src/scenario/raw-scene';
import { simulate } from '../../../src/scenario/simulate';
import { RecordKind } from '../../../src/sim/trace';

const parent = parseRawScene(readFileSync('scenes/router-ping.yaml', 'utf8'));

function actions(...lines: string[]): BranchAction[] {
  const r = parseActions(lines);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.actions;
}

/** h1's output lines after `fromNs`, as the console shows them. */
function h1Lines(lines: string[], fromNs = 40_000_000) {
  const d = deriveBranch({ parent, actions: actions(...lines) });
  if (!d.ok) throw new Error(d.errors.join('\n'));
  const trace = simulate(d.scene).trace;
  const h1 = trace.nodes.find((n) => n.name === 'h1')!.id;
  const out: { t: number; text: string }[] = [];
  for (let r = 0; r < trace.length; r++) {
    if (trace.kind[r] === RecordKind.Log && trace.place[r] === h1 && trace.time[r] >= fromNs) out.push({ t: trace.time[r], text: trace.string(trace.code[r]) });
  }
  return { out, trace, scene: d.scene };
}

describe('the interrupt action', () => {
  it('reads and prints back, and becomes a node fault', () => {
    const r = parseAction('2500ms node h1 interrupt ping');
    expect(r).toEqual({ ok: true, action: { kind: 'interrupt', at: 2_500_000_000, node: 'h1', program: 'ping' } });
    if (r.ok) expect(formatAction(r.action)).toBe('2.5s node h1 interrupt ping');
    const d = deriveBranch({ parent, actions: actions('35ms h1 ping 10.0.1.5', '38ms node h1 interrupt ping') });
    expect(d.ok && d.scene.faults.at(-1)).toEqual({ kind: 'node-interrupt', at: 38_000_000, node: 'h1', interrupt: 'ping' });
  });

  it.each([
    ['1ms node h1 interrupt', /interrupt needs the program/],
    ['1ms node h1 interrupt ping now', /unexpected "now" after interrupt ping/],
  ])('%j is refused', (text, why) => {
    const r = parseAction(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });

  it('names a program nobody has, and a node nobody has', () => {
    const d = deriveBranch({ parent, actions: actions('1ms node h1 interrupt pign', '1ms node h9 interrupt ping') });
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.errors).toContain('"1ms node h1 interrupt pign": no program "pign" (did you mean "ping"?)');
      expect(d.errors.some((e) => e.startsWith('"1ms node h9 interrupt ping": no node "h9"'))).toBe(true);
    }
  });

  it('ping without -c, interrupted after its third request: the statistics of three, then silence', () => {
    const { out, trace } = h1Lines(['40ms h1 ping 10.0.1.5', '2540ms node h1 interrupt ping']);
    const texts = out.map((l) => l.text);
    expect(texts[0]).toBe('PING 10.0.1.5 (10.0.1.5) 56(84) bytes of data.');
    expect(texts.filter((t) => t.startsWith('64 bytes from 10.0.1.5: icmp_seq='))).toHaveLength(3);
    expect(texts.slice(-4)).toEqual([
      '',
      '--- 10.0.1.5 ping statistics ---',
      '3 packets transmitted, 3 received, 0% packet loss, time 2000ms',
      expect.stringMatching(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/),
    ]);
    expect(out.at(-1)!.t).toBe(2_540_000_000);
    // Nothing leaves h1 after Ctrl-C.
    const h1Links = new Set(trace.links.filter((l) => trace.nodes[l.a].name === 'h1').map((l) => l.id));
    let lastTx = 0;
    for (let r = 0; r < trace.length; r++)
      if (trace.kind[r] === RecordKind.FrameTx && h1Links.has(trace.place[r]) && trace.dir[r] === 0) lastTx = trace.time[r];
    expect(lastTx).toBeLessThan(2_540_000_000);
  });

  it('with no such program running it changes nothing', () => {
    const a = h1Lines(['40ms h1 ping 10.0.1.5 -c 1']).trace.hash();
    const b = h1Lines(['40ms h1 ping 10.0.1.5 -c 1', '2s node h1 interrupt ping', '2s node h1 interrupt dig']).trace.hash();
    expect(b).toBe(a);
  });

  it('stops only the newest ping (pkill -n), the other keeps going', () => {
    const { out } = h1Lines(['40ms h1 ping 10.0.1.5 -i 0.5', '1040ms h1 ping 10.0.1.5', '1540ms node h1 interrupt ping']);
    const summaries = out.filter((l) => l.text.includes('packets transmitted'));
    expect(summaries.map((l) => [l.t, l.text])).toEqual([
      [1_540_000_000, '1 packets transmitted, 1 received, 0% packet loss, time 0ms'],
      // The first ping runs on to the end of the branch, then prints what Ctrl-C would.
      [expect.any(Number), expect.stringMatching(/^2\d packets transmitted/)],
    ]);
  });
});

describe('commands in a branch get time to finish', () => {
  it('ping -c 2 at the end of a 40 ms scene still prints both replies and its statistics', () => {
    const { out, scene } = h1Lines(['39ms h1 ping 10.0.1.5 -c 2'], 39_000_000);
    expect(scene.duration).toBe(39_000_000 + COMMAND_RUNWAY_NS);
    expect(COMMAND_RUNWAY_NS).toBe(10e9);
    expect(out.filter((l) => l.text.startsWith('64 bytes')).map((l) => l.text.replace(/time=.*/, ''))).toEqual([
      '64 bytes from 10.0.1.5: icmp_seq=1 ttl=63 ',
      '64 bytes from 10.0.1.5: icmp_seq=2 ttl=63 ',
    ]);
    expect(out.some((l) => l.text === '2 packets transmitted, 2 received, 0% packet loss, time 1000ms')).toBe(true);
  });

  it('a branch without commands keeps the scene duration', () => {
    const d = deriveBranch({ parent, actions: actions('20ms link h1-sw1 down') });
    expect(d.ok && d.scene.duration).toBe(40_000_000);
  });
});
