/**
 * Comparing two runs: the first differing row (by content, not by string ids) and the totals a
 * comparison shows. tcp-loss's description states what its run holds: two segments lost on r1-h2,
 * each sent again once (h1 after its RTO, h3 by fast retransmit).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveBranch, parseAction } from '../../src/scenario/branch';
import { loadScene } from '../../src/scenario/load';
import { parseRawScene } from '../../src/scenario/raw-scene';
import { simulate } from '../../src/scenario/simulate';
import { Trace } from '../../src/sim/trace';
import { firstDifference, runTotals } from '../../src/timeline/branch-diff';

function tiny(lines: [number, string][], extraString?: string): Trace {
  const t = new Trace();
  t.defineNode('h1', 'host');
  if (extraString) t.intern(extraString);
  for (const [time, text] of lines) t.log(time, 0, text);
  return t;
}

describe('firstDifference', () => {
  it('is null for the same rows, even when strings were interned in another order', () => {
    expect(
      firstDifference(
        tiny([
          [1, 'a'],
          [2, 'b'],
        ]),
        tiny(
          [
            [1, 'a'],
            [2, 'b'],
          ],
          'b',
        ),
      ),
    ).toBeNull();
  });
  it('names the first row that differs and the earlier of the two times', () => {
    expect(
      firstDifference(
        tiny([
          [1, 'a'],
          [5, 'b'],
          [6, 'c'],
        ]),
        tiny([
          [1, 'a'],
          [4, 'x'],
          [6, 'c'],
        ]),
      ),
    ).toEqual({ row: 1, timeNs: 4 });
    expect(
      firstDifference(
        tiny([
          [1, 'a'],
          [5, 'b'],
        ]),
        tiny([
          [1, 'a'],
          [5, 'c'],
        ]),
      ),
    ).toEqual({ row: 1, timeNs: 5 });
  });
  it('when one run is a prefix of the other, is the next row of the longer', () => {
    expect(
      firstDifference(
        tiny([[1, 'a']]),
        tiny([
          [1, 'a'],
          [9, 'b'],
        ]),
      ),
    ).toEqual({ row: 1, timeNs: 9 });
  });
  it('a link cut at t in tcp-loss: the runs agree up to t and part at or after it', () => {
    const text = readFileSync('scenes/tcp-loss.yaml', 'utf8');
    const l = loadScene(text, 'tcp-loss.yaml');
    if (!l.ok) throw new Error('scene');
    const parent = simulate(l.scene).trace;
    const act = parseAction('40ms link r1-h2 down');
    if (!act.ok) throw new Error(act.error);
    const d = deriveBranch({ parent: parseRawScene(text), actions: [act.action] });
    if (!d.ok) throw new Error(d.errors.join());
    const branch = simulate(d.scene).trace;
    const diff = firstDifference(parent, branch)!;
    expect(diff.timeNs).toBeGreaterThanOrEqual(40e6);
    for (let r = 0; r < diff.row; r++) expect(parent.time[r]).toBe(branch.time[r]);
    expect(firstDifference(parent, parent)).toBeNull();
  });
});

describe('runTotals', () => {
  it("tcp-loss: two drops, two retransmissions, and each node's last line", () => {
    const l = loadScene(readFileSync('scenes/tcp-loss.yaml', 'utf8'), 'tcp-loss.yaml');
    if (!l.ok) throw new Error('scene');
    const trace = simulate(l.scene).trace;
    const t = runTotals(trace);
    expect(t.drops).toBe(2);
    expect(t.retransmissions).toBe(2);
    expect(t.frames).toBeGreaterThan(100);
    const h1 = t.programs.find((p) => p.node === 'h1')!;
    expect(h1.lastLine).toMatch(/^nc: 10\.0\.1\.2:5001 closed/);
    expect(h1.lastOutputNs).toBeGreaterThan(200e6);
    expect(t.programs.map((p) => p.node)).toEqual(['h1', 'h3', 'h2']);
  });
});
