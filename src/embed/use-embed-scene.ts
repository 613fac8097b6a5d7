/**
 * Loading the embed's scene: the simulator chunk (lazily), then the scene, simulated in the worker
 * with progress. On success the playback store is set up for it (duration, speed, `t`, camera);
 * either way the host page is told (`packetarium:error` here, `packetarium:ready` by the app).
 */
import { useEffect, useState } from 'react';
import { playbackStore, speedFor } from '../store/playback';
import { viewStore } from '../store/view';
import { postToHost } from './host-post';
import type { EmbedOptions } from './options';
import type { EmbedSceneResult } from './sim';

/** The embed's scene module (a lazy chunk): loading, and the timeline queries the embed uses. */
export type SimModule = typeof import('./sim');

/** A simulated scene and the module that simulated it. */
export interface ReadyScene {
  readonly phase: 'ready';
  readonly res: Extract<EmbedSceneResult, { ok: true }>;
  readonly sim: SimModule;
}

export type EmbedPhase = { phase: 'loading' } | { phase: 'error'; errors: string[] } | ReadyScene;

/** The scene the options ask for, and (while loading) the share of its simulated time computed. */
export function useEmbedScene(options: EmbedOptions): { state: EmbedPhase; progress: number | null } {
  const [state, setState] = useState<EmbedPhase>({ phase: 'loading' });
  const [progress, setProgress] = useState<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    const fail = (message: string, errors: string[]) => {
      setState({ phase: 'error', errors });
      postToHost(options, { type: 'packetarium:error', message, errors });
    };
    if (options.refused) {
      const errors = [options.refused];
      queueMicrotask(() => {
        if (!cancelled) fail('Could not open the embedded scene', errors);
      });
      return () => {
        cancelled = true;
      };
    }
    const abort = new AbortController();
    import('./sim')
      .then(async (sim) => {
        const onProgress = (p: { simNs: number; durationNs: number }) => {
          if (!cancelled) setProgress(p.durationNs > 0 ? p.simNs / p.durationNs : null);
        };
        const res = await sim.loadEmbedScene({ scene: options.scene, data: options.data, seed: options.seed }, { onProgress, signal: abort.signal });
        if (cancelled) return;
        if (!res.ok) return fail(`Could not open ${res.name}`, res.errors);
        const pb = playbackStore.getState();
        pb.setDuration(res.duration);
        pb.setSpeed(speedFor(res.duration));
        pb.seek(Math.min(options.t ?? 0, res.duration));
        viewStore.getState().setCamera(res.scene.view?.camera ?? 'perspective');
        setState({ phase: 'ready', res, sim });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        const message = `Could not load the simulator: ${e instanceof Error ? e.message : String(e)}`;
        fail(message, [message]);
      });
    return () => {
      cancelled = true;
      abort.abort();
    };
  }, [options]);
  return { state, progress };
}
