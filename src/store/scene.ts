/**
 * The loaded scene: its name, the validated scene, the trace of its run and the timeline index,
 * or the errors that stopped it. `loadSceneText` is the one way in.
 */
import { createStore } from 'zustand/vanilla';
import { loadScene } from '../scenario/load';
import { simulate } from '../scenario/simulate';
import { formatSceneError } from '../scenario/validate';
import type { Scene } from '../scenario/scene';
import type { Trace } from '../sim/trace';
import { buildTimeline, type TimelineIndex } from '../timeline';
import { startSimulation, type SimulationRun } from '../runner/start-simulation';
import { silenceWatch } from './silence-watch';

/** `simulating`: a run is in progress (see `progress`); `cancelled`: the user stopped it. */
type SceneStatus = 'idle' | 'simulating' | 'ready' | 'error' | 'cancelled';

/** How far the run of the scene being simulated has got. */
export interface SceneProgress {
  /** Simulated time reached, ns. */
  readonly simNs: number;
  /** Simulated time the run ends at, ns. */
  readonly durationNs: number;
  /** Kernel events run so far. */
  readonly events: number;
  /** True when the run happens in a worker, off the page's main thread. */
  readonly inWorker: boolean;
}

export interface SceneState {
  status: SceneStatus;
  name: string;
  scene: Scene | null;
  trace: Trace | null;
  index: TimelineIndex | null;
  /** Kernel events of the run. */
  events: number;
  /** Path-named errors (already formatted with the file name). */
  errors: string[];
  /** Non-fatal remarks shown in a banner (bad URL values, a shortened run). */
  notices: string[];
  simMs: number;
  /** While `simulating`: how far the run has got (null before the first report). */
  progress: SceneProgress | null;
  /** What the shown run was simulated from (for variants of it: same text, same seed), or null. */
  source: SceneSource | null;
  /**
   * After a run that failed rather than being refused (the worker crashed, ran out of memory or
   * stopped answering): runs the same text again. Null otherwise.
   */
  retry: (() => void) | null;
}

/** The text a run was simulated from, and its seed (undefined: the scene's own). */
export interface SceneSource {
  readonly text: string;
  readonly fileName: string;
  readonly seed?: number;
  /** The run happened in the page by request (`?worker=off`): variants run there too. */
  readonly inPage?: boolean;
}

export const sceneStore = createStore<SceneState>()(() => ({
  status: 'idle',
  name: '',
  scene: null,
  trace: null,
  index: null,
  events: 0,
  errors: [],
  notices: [],
  simMs: 0,
  progress: null,
  source: null,
  retry: null,
}));

export interface RunOptions {
  seed?: number;
  untilNs?: number;
  notices?: string[];
  /** Simulate in the page even where a worker could (comparisons, benchmarks). */
  inPage?: boolean;
}

/** Performance marks around a background run, for tools measuring the page while a scene computes. */
const RUN_MARKS = { start: 'packetarium:run-start', ready: 'packetarium:run-ready' } as const;

/** The background run whose results may land in the store; every other run's are dropped. */
let activeRun: SimulationRun | null = null;

/** Stops the background run, if any, without touching the store (its results will never land). */
export function stopSceneRun(): void {
  activeRun?.cancel();
  activeRun = null;
}

/** Stops the background run and says so: the store ends in `cancelled`, keeping the scene's name. */
export function cancelSceneRun(): void {
  if (!activeRun) return;
  stopSceneRun();
  sceneStore.setState({ status: 'cancelled', scene: null, trace: null, index: null, errors: [], progress: null });
}

/** Loads scene text; when it does not validate, the store shows its path-named errors and this returns null. */
function loadValidated(text: string, fileName: string, name: string, notices: string[]) {
  const loaded = loadScene(text, fileName);
  if (loaded.ok) return loaded;
  sceneStore.setState({
    status: 'error',
    retry: null,
    name,
    scene: null,
    trace: null,
    index: null,
    errors: loaded.errors.map((e) => formatSceneError(e, fileName)),
    notices,
    progress: null,
  });
  return null;
}

/**
 * Validates scene text here (errors land at once, path-named as in `runSceneText`), then simulates
 * it in the simulation worker, so the page keeps responding: the store is `simulating` with
 * `progress` until it ends in `ready` (then `onReady` runs) or `error`. Replaces any run in progress.
 * Without workers it is `runSceneText`.
 */
export function runSceneInBackground(text: string, fileName: string, name: string, opts: RunOptions = {}, onReady?: () => void): void {
  stopSceneRun();
  const notices = opts.notices ?? [];
  const loaded = loadValidated(text, fileName, name, notices);
  if (!loaded) return;
  const scene = loaded.scene;
  const t0 = performance.now();
  performance.mark?.(RUN_MARKS.start);
  const durationNs = Math.min(opts.untilNs ?? scene.duration, scene.duration);
  sceneStore.setState({
    status: 'simulating',
    name,
    scene: null,
    trace: null,
    index: null,
    errors: [],
    notices,
    progress: { simNs: 0, durationNs, events: 0, inWorker: false },
    source: null,
    retry: null,
  });
  let run: SimulationRun | null = null;
  let inWorker = false;
  const ended = () => {
    if (activeRun === run) activeRun = null;
  };
  run = startSimulation(
    { text, fileName, seed: opts.seed, untilNs: opts.untilNs },
    {
      onProgress: (p) => sceneStore.setState({ progress: { ...p, inWorker } }),
      onDone: (r) => {
        ended();
        performance.mark?.(RUN_MARKS.ready);
        sceneStore.setState({
          status: 'ready',
          name,
          scene,
          trace: r.trace,
          index: r.index,
          events: r.events,
          errors: [],
          notices,
          simMs: performance.now() - t0,
          progress: null,
          source: { text, fileName, seed: opts.seed, inPage: opts.inPage },
        });
        onReady?.();
      },
      onInvalid: (errors) => {
        ended();
        sceneStore.setState({ status: 'error', name, scene: null, trace: null, index: null, errors, notices, progress: null, retry: null });
      },
      onFailed: (error) => {
        ended();
        const retry = () => runSceneInBackground(text, fileName, name, opts, onReady);
        sceneStore.setState({ status: 'error', name, scene, trace: null, index: null, errors: [error], notices, progress: null, retry });
      },
    },
    { inPage: opts.inPage, watch: silenceWatch },
  );
  inWorker = run.inWorker;
  if (inWorker) {
    activeRun = run;
    sceneStore.setState({ progress: { simNs: 0, durationNs, events: 0, inWorker } });
  }
}

/** Validates and simulates scene text synchronously; the store ends in `ready` or `error`. */
export function runSceneText(text: string, fileName: string, name: string, opts: RunOptions = {}): void {
  stopSceneRun();
  const notices = opts.notices ?? [];
  const loaded = loadValidated(text, fileName, name, notices);
  if (!loaded) return;
  try {
    const t0 = performance.now();
    const result = simulate(loaded.scene, { seed: opts.seed, untilNs: opts.untilNs });
    const index = buildTimeline(result.trace);
    sceneStore.setState({
      status: 'ready',
      name,
      scene: loaded.scene,
      trace: result.trace,
      index,
      events: result.events,
      errors: [],
      notices,
      simMs: performance.now() - t0,
      progress: null,
      source: { text, fileName, seed: opts.seed },
    });
  } catch (e) {
    sceneStore.setState({
      status: 'error',
      retry: null,
      name,
      scene: loaded.scene,
      trace: null,
      index: null,
      errors: [`${fileName}: simulation failed: ${e instanceof Error ? e.message : String(e)}`],
      notices,
      progress: null,
    });
  }
}

/** Shows an error without a scene (unknown scene name, bad URL). */
export function showSceneErrors(name: string, errors: string[], notices: string[] = []): void {
  stopSceneRun();
  sceneStore.setState({ status: 'error', name, scene: null, trace: null, index: null, errors, notices, progress: null, retry: null });
}
