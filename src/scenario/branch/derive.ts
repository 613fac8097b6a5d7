/**
 * A branch is data: the parent scene, an ordered list of timed actions and a seed. Running a branch
 * is running its derived scene: the parent's data with each action appended as a fault or a `run`
 * command, validated like any scene and simulated from time zero. Nothing touches a running
 * simulation, so up to the first action's time a branch's trace is the parent's, row for row.
 */
import { loadSceneData } from '../load';
import { cloneRawScene, rawSceneText, type RawScene } from '../raw-scene';
import type { Scene } from '../scene';
import { formatSceneError } from '../validate';
import { parseDuration } from '../../sim/units';
import { actionEntry, formatAction, formatActionTime, parseAction, type BranchAction } from './action';

/**
 * How long a command typed in a branch may run past the scene's end: a derived scene with a command
 * at `at` lasts at least until `at` plus this, so `ping -c 2` typed near the end still gets its
 * second reply (a program still running then prints what Ctrl-C would make it print).
 */
export const COMMAND_RUNWAY_NS = 10_000_000_000;

/** A branch of a scene. */
export interface Branch {
  /** The parent scene's data (parsed YAML or JSON, before validation). */
  readonly parent: RawScene;
  /** In the order given; actions at the same time run in this order. */
  readonly actions: readonly BranchAction[];
  /** Overrides the parent's seed. */
  readonly seed?: number;
}

/** A derived scene ready to simulate, or every reason it cannot be (each naming its action). */
export type DerivedBranch =
  { readonly ok: true; readonly raw: RawScene; readonly text: string; readonly scene: Scene } | { readonly ok: false; readonly errors: readonly string[] };

/** Parses action lines; every bad line is reported (`"20ms link x sideways": ...`). */
export function parseActions(lines: readonly string[]): { ok: true; actions: BranchAction[] } | { ok: false; errors: string[] } {
  const actions: BranchAction[] = [];
  const errors: string[] = [];
  for (const line of lines) {
    const r = parseAction(line);
    if (r.ok) actions.push(r.action);
    else errors.push(r.error);
  }
  return errors.length ? { ok: false, errors } : { ok: true, actions };
}

/**
 * The derived scene of `branch`. Errors name the action as it prints (`"20ms link h1-sw9 down": no
 * link "h1-sw9" (did you mean "h1-sw1"?)`); errors of the parent itself are prefixed with
 * `fileName`. The parent data is not modified.
 */
export function deriveBranch(branch: Branch, fileName = 'scene'): DerivedBranch {
  const raw = cloneRawScene(branch.parent);
  if (branch.seed !== undefined) raw.seed = branch.seed;
  const faults = Array.isArray(raw.faults) ? raw.faults : [];
  const run = Array.isArray(raw.run) ? raw.run : [];
  raw.faults = faults;
  raw.run = run;
  const own = parseDuration(raw.duration);
  const reach = own.ok ? branchEnd(own.ns, branch.actions) : undefined;
  if (reach && own.ok && reach.end > own.ns) raw.duration = formatActionTime(reach.end);
  /** Index in `faults` / `run` -> the action it came from. */
  const fromFault = new Map<number, BranchAction>();
  const fromRun = new Map<number, BranchAction>();
  for (const a of branch.actions) {
    const e = actionEntry(a);
    if (e.list === 'faults') {
      fromFault.set(faults.length, a);
      faults.push(e.entry);
    } else {
      fromRun.set(run.length, a);
      run.push(e.entry);
    }
  }
  const loaded = loadSceneData(raw);
  if (!loaded.ok) {
    const errors = loaded.errors.map((e) => {
      const m = /^(faults|run)\[(\d+)\]\.?(.*)$/.exec(e.path);
      const action = m ? (m[1] === 'faults' ? fromFault : fromRun).get(Number(m[2])) : undefined;
      if (!action) return formatSceneError(e, fileName);
      const detail =
        m![3] && !/^(at|link|node|on|cmd|set(\..*)?|packet|partition(\[.*)?|slowdown(\..*)?|delay|heal|interrupt)$/.test(m![3]) ? `${m![3]}: ` : '';
      return `"${formatAction(action)}": ${detail}${e.message}`;
    });
    return { ok: false, errors };
  }
  const scene = loaded.scene;
  const late = reach?.late ?? branch.actions.filter((a) => a.at > scene.duration);
  if (late.length) {
    return {
      ok: false,
      errors: late.map(
        (a) => `"${formatAction(a)}": ${formatActionTime(a.at)} is after the end of the scene (${formatActionTime(reach?.lateEnd.get(a) ?? scene.duration)})`,
      ),
    };
  }
  return { ok: true, raw, text: rawSceneText(raw), scene };
}

/**
 * Where a branch ends: the scene's end, pushed on by each command's runway. Taken in time order, an
 * action is late when it comes after the end as the earlier actions left it.
 */
function branchEnd(ownEnd: number, actions: readonly BranchAction[]): { end: number; late: BranchAction[]; lateEnd: Map<BranchAction, number> } {
  let end = ownEnd;
  const lateEnd = new Map<BranchAction, number>();
  for (const a of [...actions].sort((x, y) => x.at - y.at)) {
    if (a.at > end) lateEnd.set(a, end);
    else if (a.kind === 'command') end = Math.max(end, a.at + COMMAND_RUNWAY_NS);
  }
  return { end, late: actions.filter((a) => lateEnd.has(a)), lateEnd };
}

/**
 * The time of the branch's first action (where it parts from its parent), or undefined with none.
 * @public
 */
export function branchPoint(branch: Pick<Branch, 'actions'>): number | undefined {
  let t: number | undefined;
  for (const a of branch.actions) if (t === undefined || a.at < t) t = a.at;
  return t;
}
