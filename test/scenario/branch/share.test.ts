/**
 * A branch tree in a share link: encode, decode, same tree (actions, names, switched-off actions,
 * the branch shown); bad text is refused naming the branch and what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { decodeBranchTree, encodeBranchTree, parseActions, type SharedTree } from '../../../src/scenario/branch';

function actions(...lines: string[]) {
  const r = parseActions(lines);
  if (!r.ok) throw new Error(r.errors.join());
  return r.actions;
}

const tree: SharedTree = {
  branches: [
    { parent: -1, name: 'r1-h2 cut', actions: actions('41.2ms link r1-h2 down'), enabled: [true] },
    {
      parent: 0,
      name: 'and back ✓',
      actions: actions('41.2ms link r1-h2 down', '150ms link r1-h2 up', '160ms h1 ping 10.0.1.2 -c 2'),
      enabled: [true, false, true],
    },
    { parent: -1, name: 'flaky', actions: actions('10ms link sw1-r1 loss 5% jitter 15ms'), enabled: [true] },
  ],
  current: 1,
};

const enc = (data: unknown) => Buffer.from(JSON.stringify(data)).toString('base64url');

describe('branch tree share text', () => {
  it('round-trips, URL-safe', () => {
    const text = encodeBranchTree(tree);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBranchTree(text)).toEqual({ ok: true, tree });
  });

  it.each([
    ['%%%', /not a branch tree/],
    [enc({ v: 2, c: -1, b: [] }), /version/],
    [enc({ v: 1, c: 0, b: [[1, 'x', []]] }), /^branch 1: its parent must be an earlier branch/],
    [enc({ v: 1, c: -1, b: [[-1, '', []]] }), /^branch 1: a name of 1 to 80/],
    [enc({ v: 1, c: -1, b: [[-1, 'x', ['20ms link a-b sideways']]] }), /^branch 1: "20ms link a-b sideways": unknown link setting/],
    [enc({ v: 1, c: -1, b: [[-1, 'x', ['20ms link a-b down'], [3]]] }), /^branch 1: switched-off actions/],
    [enc({ v: 1, c: 4, b: [] }), /the branch shown is not in the tree/],
  ])('refuses %s', (text, why) => {
    const r = decodeBranchTree(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});
