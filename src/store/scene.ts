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

export type SceneStatus = 'idle' | 'simulating' | 'ready' | 'error';

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
}));

export interface RunOptions {
  seed?: number;
  untilNs?: number;
  notices?: string[];
}

/** Validates and simulates scene text synchronously; the store ends in `ready` or `error`. */
export function runSceneText(text: string, fileName: string, name: string, opts: RunOptions = {}): void {
  const notices = opts.notices ?? [];
  const loaded = loadScene(text, fileName);
  if (!loaded.ok) {
    sceneStore.setState({
      status: 'error',
      name,
      scene: null,
      trace: null,
      index: null,
      errors: loaded.errors.map((e) => formatSceneError(e, fileName)),
      notices,
    });
    return;
  }
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
    });
  } catch (e) {
    sceneStore.setState({
      status: 'error',
      name,
      scene: loaded.scene,
      trace: null,
      index: null,
      errors: [`${fileName}: simulation failed: ${e instanceof Error ? e.message : String(e)}`],
      notices,
    });
  }
}

/** Shows an error without a scene (unknown scene name, bad URL). */
export function showSceneErrors(name: string, errors: string[], notices: string[] = []): void {
  sceneStore.setState({ status: 'error', name, scene: null, trace: null, index: null, errors, notices });
}
