/**
 * Branches of the loaded scene: a tree whose root is the scene itself and whose every other node is
 * the root plus an ordered list of timed actions (faults and commands, the parent's included). A
 * branch is data; showing it is simulating its derived scene in the simulation worker from time
 * zero and putting that run in the scene store, with the playhead left where it was. The fault
 * menus, the fault panel, the branch tree and the terminal all go through this store.
 */
import { createStore } from 'zustand/vanilla';
import {
  deriveBranch,
  describeAction,
  formatAction,
  formatActionTime,
  parseAction,
  type BranchAction,
  type DerivedBranch,
  type SharedTree,
} from '../scenario/branch';
import { parseRawScene, type RawScene } from '../scenario/raw-scene';
import type { Scene } from '../scenario/scene';
import type { Trace } from '../sim/trace';
import type { TimelineIndex } from '../timeline';
import { startSimulation, type SimulationRun } from '../runner/start-simulation';
import { playbackStore } from './playback';
import { sceneStore, type SceneSource } from './scene';
import { selectionStore } from './selection';

/** One branch of the tree. Plain data (JSON-safe). */
export interface BranchNode {
  readonly id: string;
  /** null for the root (the scene itself). */
  readonly parentId: string | null;
  readonly name: string;
  /** Every action of the branch, its parent's included, in order. */
  readonly actions: readonly BranchAction[];
  /** Per action: false when it is switched off (left out of the derived scene). */
  readonly enabled: readonly boolean[];
  /** Where the branch parts from its parent, ns (0 for the root). */
  readonly divergesAtNs: number;
  /** What changed relative to the parent, e.g. "r1-h2 cut". */
  readonly createdFrom: string;
}

/** The run of one branch. */
export interface BranchRun {
  readonly status: 'simulating' | 'ready' | 'error';
  readonly scene: Scene | null;
  readonly trace: Trace | null;
  readonly index: TimelineIndex | null;
  readonly errors: readonly string[];
  /** Wall ms from asking for the run to its trace being in the page. */
  readonly wallMs: number;
}

export interface BranchesState {
  /** The scene the tree belongs to ('' before any). */
  sceneName: string;
  /** The root's scene text, file name and seed. */
  root: SceneSource | null;
  /** Root first, then in creation order. */
  branches: readonly BranchNode[];
  currentId: string;
  /** Runs by branch id (evicted when not needed; re-simulated on demand). */
  runs: Readonly<Record<string, BranchRun>>;
  /** Two branches shown side by side, or null. */
  compare: { readonly a: string; readonly b: string } | null;
}

/** Result of an action request: the branch it made, or the message to show. */
export type ActResult = { ok: true; id: string } | { ok: false; error: string };

/** The root's id. */
export const ROOT_ID = 'root';

export const branchesStore = createStore<BranchesState>()(() => ({
  sceneName: '',
  root: null,
  branches: [],
  currentId: ROOT_ID,
  runs: {},
  compare: null,
}));

let rootRaw: RawScene | null = null;
let nextId = 1;
/** Runs in flight, by branch id. */
const inFlight = new Map<string, SimulationRun>();
/** Ready runs kept besides the root, the current branch and the compared ones. */
const KEEP_RUNS = 4;

function stopAll(): void {
  for (const r of inFlight.values()) r.cancel();
  inFlight.clear();
}

/**
 * Starts a new tree for the scene just loaded: the root is that scene and its run (already
 * simulated). `branches` re-creates saved or shared branches (parents listed before children).
 */
export function resetBranches(sceneName: string, root: SceneSource, run: { scene: Scene; trace: Trace; index: TimelineIndex }): void {
  stopAll();
  try {
    rootRaw = parseRawScene(root.text);
  } catch {
    rootRaw = null;
  }
  nextId = 1;
  branchesStore.setState({
    sceneName,
    root,
    branches: [{ id: ROOT_ID, parentId: null, name: 'scene', actions: [], enabled: [], divergesAtNs: 0, createdFrom: 'the scene as written' }],
    currentId: ROOT_ID,
    runs: { [ROOT_ID]: { status: 'ready', scene: run.scene, trace: run.trace, index: run.index, errors: [], wallMs: 0 } },
    compare: null,
  });
}

/** The branch shown now (the root before any fault). */
export function currentBranch(): BranchNode | undefined {
  const s = branchesStore.getState();
  return s.branches.find((b) => b.id === s.currentId);
}

/** The branch with `id`. */
function branchById(id: string): BranchNode | undefined {
  return branchesStore.getState().branches.find((b) => b.id === id);
}

/** The derived scene of a list of actions (enabled ones only) on the root. */
function derive(actions: readonly BranchAction[], enabled: readonly boolean[]): DerivedBranch {
  const root = branchesStore.getState().root;
  if (!root || !rootRaw) return { ok: false, errors: ['no scene is loaded'] };
  return deriveBranch({ parent: rootRaw, actions: actions.filter((_, i) => enabled[i] !== false), seed: root.seed }, root.fileName);
}

/** The derived scene of branch `id` (the root's own text for the root). */
export function derivedBranch(id: string): DerivedBranch | undefined {
  const b = branchById(id);
  return b ? derive(b.actions, b.enabled) : undefined;
}

/** The playhead as a whole number of ns. */
function playheadNs(): number {
  return Math.max(0, Math.round(playbackStore.getState().time));
}

/** Where a branch's actions first differ from its parent's: the earliest action not in the parent. */
function divergence(actions: readonly BranchAction[], enabled: readonly boolean[], parent: BranchNode | undefined): number {
  const inParent = new Set((parent?.actions ?? []).map((a, i) => (parent!.enabled[i] === false ? '' : JSON.stringify(a))));
  let t = Infinity;
  actions.forEach((a, i) => {
    if (enabled[i] !== false && !inParent.has(JSON.stringify(a))) t = Math.min(t, a.at);
  });
  // Actions switched off in the child but on in the parent also make it depart.
  parent?.actions.forEach((a, i) => {
    if (parent.enabled[i] === false) return;
    const j = actions.findIndex((x) => JSON.stringify(x) === JSON.stringify(a));
    if (j < 0 || enabled[j] === false) t = Math.min(t, a.at);
  });
  return Number.isFinite(t) ? t : (parent?.divergesAtNs ?? 0);
}

/**
 * Makes a child of the current branch with `lines` (actions without their time, e.g. "link r1-h2
 * down") added at the playhead, switches to it and runs it, keeping the playhead. Nothing changes
 * when a line does not parse or the derived scene does not validate; the message says why.
 */
export function actAtPlayhead(text: string): ActResult {
  return branchWith([text]);
}

/**
 * Like `actAtPlayhead` at another time: a packet fault on a frame already on the wire is given that
 * frame's transmission start.
 */
export function actAt(atNs: number, text: string): ActResult {
  return branchWith([text], undefined, atNs);
}

/** Like `actAtPlayhead` with several actions at once (a preset); `label` says what changed. */
export function branchWith(lines: readonly string[], label?: string, atNs = playheadNs()): ActResult {
  const s = branchesStore.getState();
  const parent = currentBranch();
  if (!s.root || !parent) return { ok: false, error: 'no scene is loaded yet' };
  const at = formatActionTime(Math.max(0, Math.round(atNs)));
  const added: BranchAction[] = [];
  for (const line of lines) {
    const r = parseAction(`${at} ${line.trim()}`);
    if (!r.ok) return { ok: false, error: r.error };
    added.push(r.action);
  }
  if (added.length === 0) return { ok: false, error: 'no action given' };
  const actions = [...parent.actions, ...added];
  const enabled = [...parent.enabled, ...added.map(() => true)];
  const derived = derive(actions, enabled);
  if (!derived.ok) return { ok: false, error: derived.errors.join('; ') };
  const id = `b${nextId++}`;
  const createdFrom = label ?? added.map(describeAction).join(', ');
  const node: BranchNode = { id, parentId: parent.id, name: createdFrom, actions, enabled, divergesAtNs: added[0].at, createdFrom };
  branchesStore.setState({ branches: [...s.branches, node] });
  switchBranch(id);
  return { ok: true, id };
}

/** Shows branch `id` (simulating it if its run is not kept), with the playhead where it is. */
export function switchBranch(id: string): void {
  if (!branchById(id)) return;
  branchesStore.setState({ currentId: id });
  const run = ensureRun(id);
  if (run?.status === 'ready') show(run);
}

/** Puts a finished run in the scene store, keeping the scene's name and the playhead time. */
function show(run: BranchRun): void {
  const b = currentBranch();
  const root = branchesStore.getState().root;
  if (!run.scene || !run.trace || !run.index || !b || !root) return;
  const derived = b.id === ROOT_ID ? null : derive(b.actions, b.enabled);
  const text = derived?.ok ? derived.text : root.text;
  const t = playbackStore.getState().time;
  const sel = selectionStore.getState();
  if (sel.row >= 0) sel.clear();
  sceneStore.setState({
    status: 'ready',
    scene: run.scene,
    trace: run.trace,
    index: run.index,
    events: 0,
    errors: [],
    progress: null,
    simMs: run.wallMs,
    source: { ...root, text, fileName: b.id === ROOT_ID ? root.fileName : `${root.fileName} (${b.name})` },
  });
  const pb = playbackStore.getState();
  pb.setDuration(Math.max(run.scene.duration, run.index.endTime));
  pb.seek(t);
}

/**
 * The run of branch `id`: kept, or started now (in the simulation worker; in the page where there
 * is none, in which case it is ready on return). Lands in `runs`, and in the scene store when `id`
 * is the current branch by then.
 */
function ensureRun(id: string): BranchRun | undefined {
  const s = branchesStore.getState();
  const have = s.runs[id];
  if (have && (have.status !== 'simulating' || inFlight.has(id))) return have;
  const b = branchById(id);
  const root = s.root;
  if (!b || !root) return undefined;
  const derived = derive(b.actions, b.enabled);
  if (!derived.ok) return setRun(id, { status: 'error', scene: null, trace: null, index: null, errors: derived.errors, wallMs: 0 });
  const t0 = performance.now();
  let live = true;
  const finish = (r: BranchRun) => {
    if (!live) return;
    live = false;
    if (holder.run && inFlight.get(id) === holder.run) inFlight.delete(id);
    setRun(id, r);
    if (branchesStore.getState().currentId === id && r.status === 'ready') show(r);
  };
  const holder: { run?: SimulationRun } = {};
  const pending = setRun(id, { status: 'simulating', scene: null, trace: null, index: null, errors: [], wallMs: 0 });
  const run = startSimulation(
    { text: derived.text, fileName: `${root.fileName} (${b.name})`, seed: root.seed },
    {
      onDone: (r) => finish({ status: 'ready', scene: derived.scene, trace: r.trace, index: r.index, errors: [], wallMs: performance.now() - t0 }),
      onInvalid: (errors) => finish({ status: 'error', scene: null, trace: null, index: null, errors, wallMs: 0 }),
      onFailed: (error) => finish({ status: 'error', scene: null, trace: null, index: null, errors: [error], wallMs: 0 }),
    },
    { inPage: root.inPage },
  );
  holder.run = run;
  if (live) inFlight.set(id, run);
  return branchesStore.getState().runs[id] ?? pending;
}

function setRun(id: string, run: BranchRun): BranchRun {
  const s = branchesStore.getState();
  const runs: Record<string, BranchRun> = { ...s.runs, [id]: run };
  // Forget the oldest ready runs nobody shows.
  const keep = new Set([ROOT_ID, s.currentId, id, s.compare?.a, s.compare?.b]);
  const spare = Object.keys(runs).filter((k) => !keep.has(k) && runs[k].status !== 'simulating');
  for (const k of spare.slice(0, Math.max(0, spare.length - KEEP_RUNS))) delete runs[k];
  branchesStore.setState({ runs });
  return run;
}

/** Renames a branch (blank names are refused). */
export function renameBranch(id: string, name: string): boolean {
  const n = name.trim().replace(/\s+/g, ' ').slice(0, 80);
  if (!n) return false;
  branchesStore.setState((s) => ({ branches: s.branches.map((b) => (b.id === id ? { ...b, name: n } : b)) }));
  return true;
}

/** Ids of `id` and every branch below it. */
function subtree(id: string): Set<string> {
  const out = new Set([id]);
  for (const b of branchesStore.getState().branches) if (b.parentId !== null && out.has(b.parentId)) out.add(b.id);
  return out;
}

/**
 * Deletes a branch and its children (not the root). When the current branch goes, the deleted
 * branch's parent is shown.
 */
export function deleteBranch(id: string): boolean {
  const b = branchById(id);
  if (!b || b.parentId === null) return false;
  const gone = subtree(id);
  for (const g of gone) {
    inFlight.get(g)?.cancel();
    inFlight.delete(g);
  }
  const s = branchesStore.getState();
  const runs = Object.fromEntries(Object.entries(s.runs).filter(([k]) => !gone.has(k)));
  const compare = s.compare && (gone.has(s.compare.a) || gone.has(s.compare.b)) ? null : s.compare;
  branchesStore.setState({ branches: s.branches.filter((x) => !gone.has(x.id)), runs, compare });
  if (gone.has(s.currentId)) switchBranch(b.parentId);
  return true;
}

/** Replaces the current branch's actions (re-derives and re-runs it); refused with the message when they do not derive. */
function editCurrent(actions: readonly BranchAction[], enabled: readonly boolean[]): ActResult {
  const b = currentBranch();
  if (!b || b.parentId === null) return { ok: false, error: 'the scene itself has no faults to edit; add one to make a branch' };
  const derived = derive(actions, enabled);
  if (!derived.ok) return { ok: false, error: derived.errors.join('; ') };
  const parent = branchById(b.parentId);
  const next: BranchNode = { ...b, actions, enabled, divergesAtNs: divergence(actions, enabled, parent) };
  const s = branchesStore.getState();
  inFlight.get(b.id)?.cancel();
  inFlight.delete(b.id);
  const runs = { ...s.runs };
  delete runs[b.id];
  branchesStore.setState({ branches: s.branches.map((x) => (x.id === b.id ? next : x)), runs });
  switchBranch(b.id);
  return { ok: true, id: b.id };
}

/** Switches action `i` of the current branch on or off. */
export function setActionEnabled(i: number, on: boolean): ActResult {
  const b = currentBranch();
  if (!b || i < 0 || i >= b.actions.length) return { ok: false, error: `no action ${i}` };
  return editCurrent(
    b.actions,
    b.enabled.map((e, j) => (j === i ? on : e)),
  );
}

/** Replaces action `i` of the current branch with `text` (a full action, its time included). */
export function editAction(i: number, text: string): ActResult {
  const b = currentBranch();
  if (!b || i < 0 || i >= b.actions.length) return { ok: false, error: `no action ${i}` };
  const r = parseAction(text);
  if (!r.ok) return { ok: false, error: r.error };
  return editCurrent(
    b.actions.map((a, j) => (j === i ? r.action : a)),
    b.enabled,
  );
}

/**
 * Adds an action at the playhead to the current branch itself (re-deriving and re-running it), as
 * the fault panel does ("restore the link now"); on the scene itself it makes a branch instead.
 */
export function addToCurrent(text: string): ActResult {
  const b = currentBranch();
  if (!b || b.parentId === null) return actAtPlayhead(text);
  const r = parseAction(`${formatActionTime(playheadNs())} ${text.trim()}`);
  if (!r.ok) return { ok: false, error: r.error };
  return editCurrent([...b.actions, r.action], [...b.enabled, true]);
}

/** Removes action `i` of the current branch. */
export function removeAction(i: number): ActResult {
  const b = currentBranch();
  if (!b || i < 0 || i >= b.actions.length) return { ok: false, error: `no action ${i}` };
  return editCurrent(
    b.actions.filter((_, j) => j !== i),
    b.enabled.filter((_, j) => j !== i),
  );
}

/** Shows branches `a` and `b` side by side (simulating whichever is not kept). */
export function compareBranches(a: string, b: string): boolean {
  if (!branchById(a) || !branchById(b) || a === b) return false;
  branchesStore.setState({ compare: { a, b } });
  ensureRun(a);
  ensureRun(b);
  return true;
}

/** Ends the side-by-side comparison. */
export function closeBranchCompare(): void {
  branchesStore.setState({ compare: null });
}

/** Stops every branch run and forgets the tree (a new scene is loading). */
export function clearBranches(): void {
  stopAll();
  rootRaw = null;
  branchesStore.setState({ sceneName: '', root: null, branches: [], currentId: ROOT_ID, runs: {}, compare: null });
}

/** The tree as plain text data (tools and browser tests read it). */
export interface BranchSummary {
  readonly currentId: string;
  readonly compare: { readonly a: string; readonly b: string } | null;
  readonly branches: readonly {
    readonly id: string;
    readonly parentId: string | null;
    readonly name: string;
    readonly divergesAtNs: number;
    readonly createdFrom: string;
    readonly actions: readonly string[];
    readonly enabled: readonly boolean[];
    readonly run: string;
    readonly wallMs: number;
  }[];
}

/** A summary of the tree: actions printed, runs by status. */
export function branchSummary(): BranchSummary {
  const s = branchesStore.getState();
  return {
    currentId: s.currentId,
    compare: s.compare,
    branches: s.branches.map((b) => ({
      id: b.id,
      parentId: b.parentId,
      name: b.name,
      divergesAtNs: b.divergesAtNs,
      createdFrom: b.createdFrom,
      actions: b.actions.map(formatAction),
      enabled: b.enabled,
      run: s.runs[b.id]?.status ?? 'none',
      wallMs: s.runs[b.id]?.wallMs ?? 0,
    })),
  };
}

/** The tree without its root, for share links and storage. */
export function sharedTree(): SharedTree {
  const s = branchesStore.getState();
  const rest = s.branches.filter((b) => b.id !== ROOT_ID);
  const at = new Map(rest.map((b, i) => [b.id, i]));
  return {
    branches: rest.map((b) => ({
      parent: b.parentId === null || b.parentId === ROOT_ID ? -1 : (at.get(b.parentId) ?? -1),
      name: b.name,
      actions: b.actions,
      enabled: b.enabled,
    })),
    current: at.get(s.currentId) ?? -1,
  };
}

/**
 * Re-creates a shared or saved tree under the root and shows its current branch. A branch whose
 * actions do not fit this scene is left out with its children; the messages say which and why.
 */
export function restoreBranchTree(tree: SharedTree, from = 'branches'): string[] {
  const problems: string[] = [];
  const ids: (string | null)[] = [];
  const added: BranchNode[] = [];
  tree.branches.forEach((sb, i) => {
    const parentId = sb.parent < 0 ? ROOT_ID : ids[sb.parent];
    if (parentId === null || parentId === undefined) {
      ids.push(null);
      return;
    }
    const derived = derive(sb.actions, sb.enabled);
    if (!derived.ok) {
      problems.push(`${from}: branch ${i + 1} ("${sb.name}"): ${derived.errors.join('; ')}; left out`);
      ids.push(null);
      return;
    }
    const parent = parentId === ROOT_ID ? branchById(ROOT_ID) : added.find((b) => b.id === parentId);
    const inParent = new Set((parent?.actions ?? []).map(formatAction));
    const fresh = sb.actions.filter((a) => !inParent.has(formatAction(a)));
    const id = `b${nextId++}`;
    ids.push(id);
    added.push({
      id,
      parentId,
      name: sb.name,
      actions: sb.actions,
      enabled: sb.enabled,
      divergesAtNs: divergence(sb.actions, sb.enabled, parent),
      createdFrom: fresh.length ? fresh.map(describeAction).join(', ') : 'the same actions',
    });
  });
  branchesStore.setState((s) => ({ branches: [...s.branches, ...added] }));
  const current = tree.current >= 0 ? ids[tree.current] : ROOT_ID;
  if (current) switchBranch(current);
  return problems;
}
