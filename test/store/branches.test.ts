/**
 * The branch tree as the page drives it: a fault at the playhead makes a child of the current branch,
 * shows its run (simulated in the stand-in worker, the same trace Node computes for the derived
 * scene) with the playhead where it was; bad actions change nothing and say why; rename, delete,
 * switch, and the fault panel's toggle / edit / remove re-derive the branch.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeBranchTree, deriveBranch, encodeBranchTree, parseAction, parseActions } from '../../src/scenario/branch';
import { loadScene } from '../../src/scenario/load';
import { parseRawScene } from '../../src/scenario/raw-scene';
import { simulate } from '../../src/scenario/simulate';
import { buildTimeline } from '../../src/timeline';
import {
  actAtPlayhead,
  branchesStore,
  branchSummary,
  branchWith,
  currentBranch,
  deleteBranch,
  editAction,
  removeAction,
  renameBranch,
  resetBranches,
  restoreBranchTree,
  ROOT_ID,
  setActionEnabled,
  sharedTree,
  switchBranch,
} from '../../src/store/branches';
import { playbackStore } from '../../src/store/playback';
import { sceneStore } from '../../src/store/scene';
import { FakeWorker } from '../helpers/fake-worker';

const FILE = 'scenes/tcp-loss.yaml';
const text = readFileSync(FILE, 'utf8');
const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !pred(); i++) await settle();
  expect(pred()).toBe(true);
}

/** The trace hash Node computes for the scene with these actions. */
function nodeHash(lines: string[]): string {
  const actions = lines.map((l) => {
    const r = parseAction(l);
    if (!r.ok) throw new Error(r.error);
    return r.action;
  });
  const d = deriveBranch({ parent: parseRawScene(text), actions }, FILE);
  if (!d.ok) throw new Error(d.errors.join('\n'));
  return simulate(d.scene).trace.hash();
}

function loadRoot(): void {
  const l = loadScene(text, FILE);
  if (!l.ok) throw new Error('scene');
  const trace = simulate(l.scene).trace;
  const index = buildTimeline(trace);
  sceneStore.setState({ status: 'ready', name: 'tcp-loss', scene: l.scene, trace, index, source: { text, fileName: FILE } });
  playbackStore.getState().setDuration(l.scene.duration);
  resetBranches('tcp-loss', { text, fileName: FILE }, { scene: l.scene, trace, index });
}

describe('branches store', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.made = [];
    FakeWorker.running = [];
    loadRoot();
    playbackStore.getState().seek(12_500_000);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a fault at the playhead makes a child of the current branch, switches to it and shows its run, playhead kept', async () => {
    const r = actAtPlayhead('link r1-h2 down');
    expect(r.ok).toBe(true);
    const id = (r as { id: string }).id;
    const b = currentBranch()!;
    expect(b).toMatchObject({ id, parentId: ROOT_ID, name: 'r1-h2 cut', createdFrom: 'r1-h2 cut', divergesAtNs: 12_500_000, enabled: [true] });
    expect(b.actions).toEqual([{ kind: 'link', at: 12_500_000, link: 'r1-h2', set: { up: false } }]);
    expect(branchesStore.getState().runs[id].status).toBe('simulating');
    expect(FakeWorker.running.length).toBe(1);
    await until(() => branchesStore.getState().runs[id]?.status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(nodeHash(['12.5ms link r1-h2 down']));
    expect(sceneStore.getState().name).toBe('tcp-loss');
    expect(playbackStore.getState().time).toBe(12_500_000);
  });

  it("a child carries its parent's actions; switching back to the root shows the scene's own run", async () => {
    const a = actAtPlayhead('link r1-h2 loss 20%');
    playbackStore.getState().seek(30_000_000);
    const b = actAtPlayhead('node h1 crash');
    expect(a.ok && b.ok).toBe(true);
    const child = currentBranch()!;
    expect(child.parentId).toBe((a as { id: string }).id);
    expect(child.actions.length).toBe(2);
    expect(child.divergesAtNs).toBe(30_000_000);
    await until(() => branchesStore.getState().runs[child.id]?.status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(nodeHash(['12.5ms link r1-h2 loss 20%', '30ms node h1 crash']));
    const rootHash = branchesStore.getState().runs[ROOT_ID].trace!.hash();
    switchBranch(ROOT_ID);
    expect(sceneStore.getState().trace!.hash()).toBe(rootHash);
    expect(playbackStore.getState().time).toBe(30_000_000);
  });

  it('a bad action, or one naming nothing in the scene, changes nothing and says why', () => {
    const before = branchesStore.getState().branches;
    expect(actAtPlayhead('link r1-h2 sideways')).toEqual({
      ok: false,
      error:
        '"12.5ms link r1-h2 sideways": unknown link setting "sideways"; write "link ID down", "link ID up" or "link ID loss 30%" (also latency, jitter, bandwidth, queue)',
    });
    const r = actAtPlayhead('link r1-h9 down');
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toMatch(/^"12.5ms link r1-h9 down": no link "r1-h9"/);
    expect(branchesStore.getState().branches).toBe(before);
    expect(FakeWorker.running.length).toBe(0);
  });

  it('rename, and delete takes the children and shows the parent', async () => {
    const a = actAtPlayhead('link r1-h2 down') as { id: string };
    const b = actAtPlayhead('link r1-h2 up') as { id: string };
    expect(renameBranch(a.id, '  cut  the   uplink ')).toBe(true);
    expect(renameBranch(a.id, '   ')).toBe(false);
    expect(branchesStore.getState().branches.find((x) => x.id === a.id)!.name).toBe('cut the uplink');
    expect(deleteBranch(ROOT_ID)).toBe(false);
    expect(deleteBranch(a.id)).toBe(true);
    expect(branchesStore.getState().branches.map((x) => x.id)).toEqual([ROOT_ID]);
    expect(branchesStore.getState().currentId).toBe(ROOT_ID);
    expect(branchesStore.getState().runs[b.id]).toBeUndefined();
  });

  it('the fault panel: switching an action off, editing and removing it re-derive and re-run the branch', async () => {
    const r = branchWith(['link r1-h2 loss 10% jitter 2ms', 'link sw1-r1 queue 5'], 'flaky Wi-Fi on r1-h2') as { id: string };
    expect(currentBranch()!.createdFrom).toBe('flaky Wi-Fi on r1-h2');
    await until(() => branchesStore.getState().runs[r.id]?.status === 'ready');
    expect(setActionEnabled(0, false).ok).toBe(true);
    expect(currentBranch()!.enabled).toEqual([false, true]);
    await until(() => branchesStore.getState().runs[r.id]?.status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(nodeHash(['12.5ms link sw1-r1 queue 5']));
    const bad = editAction(1, '20ms link sw1-r1 queue 0');
    expect(bad.ok).toBe(false);
    expect(editAction(1, '20ms link sw1-r1 queue 3').ok).toBe(true);
    expect(currentBranch()!.divergesAtNs).toBe(20_000_000);
    await until(() => branchesStore.getState().runs[r.id]?.status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(nodeHash(['20ms link sw1-r1 queue 3']));
    expect(removeAction(0).ok).toBe(true);
    expect(currentBranch()!.actions.length).toBe(1);
    switchBranch(ROOT_ID);
    expect(setActionEnabled(0, false).ok).toBe(false);
  });
});

describe('branches store: share and restore', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    loadRoot();
    playbackStore.getState().seek(12_500_000);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('the shared tree re-creates the same branches on a fresh load, and shows the same run', async () => {
    actAtPlayhead('link r1-h2 down');
    playbackStore.getState().seek(40_000_000);
    const b = actAtPlayhead('link r1-h2 up') as { id: string };
    renameBranch(b.id, 'back up');
    setActionEnabled(0, false);
    await until(() => branchesStore.getState().runs[b.id]?.status === 'ready');
    const hash = sceneStore.getState().trace!.hash();
    const shared = decodeBranchTree(encodeBranchTree(sharedTree()));
    if (!shared.ok) throw new Error(shared.error);
    const before = branchSummary().branches.map(({ run: _r, wallMs: _w, ...rest }) => rest);

    loadRoot();
    expect(restoreBranchTree(shared.tree)).toEqual([]);
    expect(branchSummary().branches.map(({ run: _r, wallMs: _w, ...rest }) => rest)).toEqual(before);
    const cur = currentBranch()!;
    expect(cur.name).toBe('back up');
    await until(() => branchesStore.getState().runs[cur.id]?.status === 'ready');
    expect(sceneStore.getState().trace!.hash()).toBe(hash);
  });

  it('a branch that does not fit the scene is left out with its children, and says why', () => {
    const r = parseActions(['1ms link r1-h9 down']);
    const ok = parseActions(['2ms link r1-h2 down']);
    if (!r.ok || !ok.ok) throw new Error('actions');
    const problems = restoreBranchTree({
      branches: [
        { parent: -1, name: 'bad', actions: r.actions, enabled: [true] },
        { parent: 0, name: 'child of bad', actions: r.actions, enabled: [true] },
        { parent: -1, name: 'good', actions: ok.actions, enabled: [true] },
      ],
      current: 2,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^branches: branch 1 \("bad"\): "1ms link r1-h9 down": no link "r1-h9".*; left out$/);
    expect(branchesStore.getState().branches.map((b) => b.name)).toEqual(['scene', 'good']);
    expect(currentBranch()!.name).toBe('good');
  });
});
