/**
 * Shared links: the comparison (which run entry, which variant command) survives the trip through a
 * link, and a malformed value becomes a notice naming the parameter while the rest still loads.
 */
import { describe, expect, it } from 'vitest';
import { readUrlParams, shareSearch } from '../../src/app/url';
import { encodeBranchTree, parseActions } from '../../src/scenario/branch';

const CMD = 'rr-client 10.0.0.2:7000 --rate 0@0s,1200@10s --ramp --timeout 3s --retry expo-full --budget 0.1';

describe('comparison in the URL', () => {
  it('round-trips scene, seed, time and the comparison', () => {
    const search = shareSearch({ scene: 'capacity-ramp', seed: 4, t: 2_500_000, compare: { run: 1, cmd: CMD } });
    expect(search).toContain('compare=1:rr-client+10.0.0.2:7000+--rate+0@0s,1200@10s');
    const p = readUrlParams(search, 'router-ping');
    expect(p).toMatchObject({ scene: 'capacity-ramp', seed: 4, t: 2_500_000, compare: { run: 1, cmd: CMD } });
    expect(p.problems).toEqual([]);
  });

  it('no comparison, no parameter', () => {
    expect(shareSearch({ scene: 'littles-law', t: 0 })).toBe('?scene=littles-law&t=0ms');
    expect(readUrlParams('?scene=littles-law', 'x').compare).toBeUndefined();
  });

  it('a malformed comparison is a notice naming the parameter; the scene and moment still load', () => {
    for (const bad of ['rr-client 10.0.0.2', 'x:rr-client', '2:', '2:%20%20']) {
      const p = readUrlParams(`?scene=littles-law&t=1ms&compare=${bad}`, 'x');
      expect(p.compare).toBeUndefined();
      expect(p.scene).toBe('littles-law');
      expect(p.t).toBe(1_000_000);
      expect(p.problems).toHaveLength(1);
      expect(p.problems[0]).toMatch(/^\?compare=.*: expected <run entry>:<command>.*; no comparison$/);
    }
  });
});

describe('branches in the URL', () => {
  it('round-trips the branch tree with the moment', () => {
    const r = parseActions(['41.2ms link r1-h2 down']);
    if (!r.ok) throw new Error('actions');
    const tree = { branches: [{ parent: -1, name: 'r1-h2 cut', actions: r.actions, enabled: [true] }], current: 0 };
    const search = shareSearch({ scene: 'tcp-loss', t: 41_200_000, branches: encodeBranchTree(tree) });
    const p = readUrlParams(search, 'x');
    expect(p.problems).toEqual([]);
    expect(p.branches).toEqual(tree);
    expect(p.t).toBe(41_200_000);
  });

  it('a bad tree is a notice naming the parameter; the scene still loads', () => {
    const p = readUrlParams('?scene=tcp-loss&branches=nonsense', 'x');
    expect(p.branches).toBeUndefined();
    expect(p.scene).toBe('tcp-loss');
    expect(p.problems).toEqual(['?branches: not a branch tree (expected the text a share link carries); showing the scene without branches']);
  });
});

describe('lesson in the URL', () => {
  it('round-trips the lesson and its step (counted from 1, 0 = the introduction) with the moment', () => {
    const search = shareSearch({ scene: 'lesson-hub-switch-router', t: 12_000_000, lesson: { id: '01-hub-switch-router', step: 2 } });
    expect(search).toBe('?scene=lesson-hub-switch-router&t=12ms&lesson=01-hub-switch-router&step=3');
    const p = readUrlParams(search, 'x');
    expect(p).toMatchObject({ lesson: '01-hub-switch-router', step: 2, t: 12_000_000 });
    expect(p.problems).toEqual([]);
    expect(readUrlParams(shareSearch({ scene: 's', t: 0, lesson: { id: 'l', step: -1 } }), 'x').step).toBe(-1);
  });

  it('a link without a lesson names none; a malformed one is a notice', () => {
    expect(readUrlParams('?scene=tcp-loss&t=12ms', 'x').lesson).toBeUndefined();
    const p = readUrlParams('?scene=tcp-loss&lesson=../x&step=two', 'x');
    expect(p.lesson).toBeUndefined();
    expect(p.step).toBeUndefined();
    expect(p.problems).toHaveLength(2);
  });
});
