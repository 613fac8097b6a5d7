/**
 * The comparison run: the loaded scene with one load client's command replaced (another retry
 * policy, say), same seed, simulated in the simulation worker next to the main run. Only the Load
 * panel reads it; the 3D view, inspector and everything else stay on the main run. Each comparison
 * run has an id: starting another, cancelling or closing drops whatever the old one still sends.
 */
import { createStore } from 'zustand/vanilla';
import { parseRawScene } from '../scenario/raw-scene';
import { buildRunVariant } from '../scenario/run-variant';
import type { Scene } from '../scenario/scene';
import type { Trace } from '../sim/trace';
import type { TimelineIndex } from '../timeline';
import type { SceneProgress, SceneSource } from './scene';
import { startSimulation, type SimulationRun } from '../runner/start-simulation';

/** `idle`: no comparison; `invalid`: the variant command was refused (see `errors`). */
type CompareStatus = 'idle' | 'invalid' | 'simulating' | 'ready' | 'error' | 'cancelled';

export interface CompareState {
  status: CompareStatus;
  /** Which `run` entry the variant replaces, -1 when idle. */
  runIndex: number;
  /** The device that entry runs on. */
  on: string;
  /** The entry's command in the main run. */
  baseCmd: string;
  /** The variant's command. */
  cmd: string;
  /** Id of the comparison run whose results may land (0: none). */
  runId: number;
  progress: SceneProgress | null;
  scene: Scene | null;
  trace: Trace | null;
  index: TimelineIndex | null;
  /** Why the variant was refused or failed (option and value named). */
  errors: string[];
  /** A variant refused while another comparison stayed on screen: its command and why. */
  refused: { cmd: string; errors: string[] } | null;
}

const IDLE: CompareState = {
  status: 'idle',
  runIndex: -1,
  on: '',
  baseCmd: '',
  cmd: '',
  runId: 0,
  progress: null,
  scene: null,
  trace: null,
  index: null,
  errors: [],
  refused: null,
};

export const compareStore = createStore<CompareState>()(() => ({ ...IDLE }));

let active: SimulationRun | null = null;

function stop(): void {
  active?.cancel();
  active = null;
}

/**
 * Builds the variant of `source` with `run[runIndex].cmd` replaced by `cmd` and simulates it with the
 * same seed, in the worker when there is one (not when `inPage`, which defaults to the source's). Returns false (the store `invalid`, with errors naming
 * the option and value) when the variant is refused. Replaces any comparison in progress.
 */
export function startCompare(source: SceneSource, runIndex: number, cmd: string, opts: { inPage?: boolean } = { inPage: source.inPage }): boolean {
  // A refused variant leaves a comparison already on screen (or running) alone: only `refused` says why.
  const keep = compareStore.getState().status === 'ready' || compareStore.getState().status === 'simulating';
  const refuse = (s: Partial<CompareState> & { errors: string[] }) =>
    compareStore.setState(keep ? { refused: { cmd, errors: s.errors } } : { ...IDLE, status: 'invalid', ...s });
  let raw;
  try {
    raw = parseRawScene(source.text);
  } catch (e) {
    refuse({ errors: [`${source.fileName}: ${e instanceof Error ? e.message : String(e)}`] });
    return false;
  }
  const entry = Array.isArray(raw.run) ? (raw.run[runIndex] as Record<string, unknown> | undefined) : undefined;
  const on = typeof entry?.on === 'string' ? entry.on : '';
  const baseCmd = typeof entry?.cmd === 'string' ? entry.cmd : '';
  const variant = buildRunVariant(raw, runIndex, cmd, source.fileName);
  if (!variant.ok) {
    refuse({ runIndex, on, baseCmd, cmd, errors: variant.errors });
    return false;
  }
  stop();
  const durationNs = variant.scene.duration;
  let run: SimulationRun | null = null;
  let inWorker = false;
  const mine = () => run !== null && compareStore.getState().runId === run.runId;
  const end = () => {
    if (active === run) active = null;
  };
  // The id is known once startSimulation returns; a run in the page finishes before that, so its
  // results are held until then.
  let early: Partial<CompareState> | null = null;
  const land = (s: Partial<CompareState>) => {
    if (run === null) early = s;
    else if (mine()) compareStore.setState(s);
  };
  run = startSimulation(
    { text: variant.text, fileName: `${source.fileName} (variant)`, seed: source.seed },
    {
      onProgress: (p) => land({ progress: { ...p, inWorker } }),
      onDone: (r) => {
        end();
        land({ status: 'ready', scene: variant.scene, trace: r.trace, index: r.index, progress: null, errors: [] });
      },
      onInvalid: (errors) => {
        end();
        land({ status: 'error', errors, progress: null });
      },
      onFailed: (error) => {
        end();
        land({ status: 'error', errors: [error], progress: null });
      },
    },
    { inPage: opts.inPage },
  );
  inWorker = run.inWorker;
  if (inWorker) active = run;
  compareStore.setState({
    ...IDLE,
    status: 'simulating',
    runIndex,
    on,
    baseCmd,
    cmd: variant.cmd,
    runId: run.runId,
    progress: { simNs: 0, durationNs, events: 0, inWorker },
  });
  if (early) compareStore.setState(early);
  return true;
}

/** Stops the comparison run in progress, keeping what it was (status `cancelled`). */
export function cancelCompare(): void {
  if (compareStore.getState().status !== 'simulating') return;
  stop();
  compareStore.setState({ status: 'cancelled', runId: 0, progress: null });
}

/** Ends the comparison: stops its run, if any, and forgets it. */
export function closeCompare(): void {
  stop();
  compareStore.setState({ ...IDLE });
}
