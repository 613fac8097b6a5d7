/**
 * The comparison of two branches as the panels show it: where their runs part (first differing
 * trace row) and which action made them part, computed once per pair of traces.
 */
import { useStore } from 'zustand';
import { describeAction, formatAction, type BranchAction } from '../../scenario/branch';
import type { Trace } from '../../sim/trace';
import { branchesStore, type BranchNode, type BranchRun } from '../../store/branches';
import { firstDifference, runTotals, type RunTotals } from '../../timeline/branch-diff';
import { formatTime } from '../format';

/** Two branches side by side, their runs, and where they part. */
export interface BranchComparison {
  readonly a: BranchNode;
  readonly b: BranchNode;
  readonly runA: BranchRun | undefined;
  readonly runB: BranchRun | undefined;
  /** Once both runs are there: null when they are the same row for row. */
  readonly diff?: { readonly timeNs: number; readonly row: number; readonly cause: string; readonly label: string } | null;
  readonly totals?: readonly [RunTotals, RunTotals];
}

const diffs = new WeakMap<Trace, WeakMap<Trace, ReturnType<typeof firstDifference>>>();
const totals = new WeakMap<Trace, RunTotals>();

function cachedDiff(x: Trace, y: Trace) {
  let m = diffs.get(x);
  if (!m) diffs.set(x, (m = new WeakMap()));
  if (!m.has(y)) m.set(y, firstDifference(x, y));
  return m.get(y)!;
}

function cachedTotals(t: Trace): RunTotals {
  let v = totals.get(t);
  if (!v) totals.set(t, (v = runTotals(t)));
  return v;
}

function enabledActions(b: BranchNode): BranchAction[] {
  return b.actions.filter((_, i) => b.enabled[i] !== false);
}

/** The action that makes the two branches part at `timeNs`: the latest one at or before it in one branch and not the other. */
function causeOf(a: BranchNode, b: BranchNode, timeNs: number): string {
  const inA = new Set(enabledActions(a).map(formatAction));
  const inB = new Set(enabledActions(b).map(formatAction));
  const only = [...enabledActions(a).filter((x) => !inB.has(formatAction(x))), ...enabledActions(b).filter((x) => !inA.has(formatAction(x)))];
  const before = only.filter((x) => x.at <= timeNs).sort((x, y) => y.at - x.at);
  const pick = before[0] ?? only.sort((x, y) => x.at - y.at)[0];
  return pick ? describeAction(pick) : 'the same actions';
}

/** The comparison in the store, or null when none is open. */
export function useBranchComparison(): BranchComparison | null {
  const compare = useStore(branchesStore, (s) => s.compare);
  const branches = useStore(branchesStore, (s) => s.branches);
  const runs = useStore(branchesStore, (s) => s.runs);
  if (!compare) return null;
  const a = branches.find((x) => x.id === compare.a);
  const b = branches.find((x) => x.id === compare.b);
  if (!a || !b) return null;
  const runA = runs[a.id];
  const runB = runs[b.id];
  if (!runA?.trace || !runB?.trace) return { a, b, runA, runB };
  const d = cachedDiff(runA.trace, runB.trace);
  const diff = d && { ...d, cause: causeOf(a, b, d.timeNs), label: `diverges at ${formatTime(d.timeNs)}: ${causeOf(a, b, d.timeNs)}` };
  return { a, b, runA, runB, diff, totals: [cachedTotals(runA.trace), cachedTotals(runB.trace)] };
}
