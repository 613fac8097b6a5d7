/**
 * The embed's simulation chunk, loaded with a dynamic import so the page paints before zod, yaml
 * and the simulator arrive. Loads a bundled scene by name or a scene carried in the URL, validates
 * it like any scene (`loadScene`), and simulates it in the simulation worker (off the host page's
 * main thread), with limits for URL scenes so a hostile scene is refused with a message.
 */
import { loadScene } from '../scenario/load';
import { formatSceneError } from '../scenario/validate';
import type { Scene } from '../scenario/scene';
import { startSimulation, type SimulationRequest } from '../store/sim-client';
import type { SimProgress } from '../store/sim-worker-protocol';
import { nextEventTime, prevEventTime, upperBound, type TimelineIndex } from '../timeline';
import { describeRow } from '../ui/describe';
import { decodeSceneText } from './codec';

export { describeRow, nextEventTime, prevEventTime, upperBound };

const files = import.meta.glob('/scenes/*.{yaml,yml,json}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;
const SCENES = new Map(Object.entries(files).map(([path, load]) => [path.replace(/^\/scenes\//, '').replace(/\.(ya?ml|json)$/, ''), { path, load }]));

/** Limits for a scene that came in the URL (bundled scenes are trusted to be reasonable). */
export const URL_SCENE_LIMITS = { nodes: 48, links: 96, runs: 64, events: 300_000, wallMs: 2_000 } as const;

export type EmbedSceneResult =
  | { ok: true; name: string; scene: Scene; index: TimelineIndex; duration: number }
  | { ok: false; name: string; errors: string[] };

export function bundledSceneNames(): string[] {
  return [...SCENES.keys()].sort();
}

/** Progress reports and cancellation of a load. */
export interface EmbedLoadControl {
  onProgress?(progress: SimProgress): void;
  /** Aborting stops the simulation (the promise then never settles). */
  signal?: AbortSignal;
}

/** Loads, validates and simulates the scene an embed asks for. Never throws. */
export async function loadEmbedScene(req: { scene: string; data?: string; seed?: number }, control: EmbedLoadControl = {}): Promise<EmbedSceneResult> {
  try {
    if (req.data !== undefined) return await fromData(req.data, req.seed, control);
    const entry = SCENES.get(req.scene);
    if (!entry) return { ok: false, name: req.scene, errors: [`no scene called "${req.scene}" (expected one of: ${bundledSceneNames().join(', ')})`] };
    const text = await entry.load();
    const fileName = entry.path.replace(/^\//, '');
    const loaded = loadScene(text, fileName);
    if (!loaded.ok) return { ok: false, name: req.scene, errors: loaded.errors.map((e) => formatSceneError(e, fileName)) };
    return await simulateOffThread(req.scene, loaded.scene, { text, fileName, seed: req.seed }, control);
  } catch (e) {
    return { ok: false, name: req.scene, errors: [`simulation failed: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** Simulates in the worker; the result names scene-level failures like a synchronous run would. */
function simulateOffThread(name: string, scene: Scene, req: SimulationRequest, control: EmbedLoadControl): Promise<EmbedSceneResult> {
  return new Promise((resolve) => {
    const run = startSimulation(req, {
      onProgress: (p) => control.onProgress?.(p),
      onDone: ({ index }) => resolve({ ok: true, name, scene, index, duration: Math.max(scene.duration, index.endTime) }),
      onInvalid: (errors) => resolve({ ok: false, name, errors }),
      onFailed: (error) => resolve({ ok: false, name, errors: [error] }),
    });
    control.signal?.addEventListener('abort', () => run.cancel());
  });
}

async function fromData(data: string, seed: number | undefined, control: EmbedLoadControl): Promise<EmbedSceneResult> {
  const name = 'embedded scene';
  const decoded = await decodeSceneText(data);
  if (!decoded.ok) return { ok: false, name, errors: [decoded.error] };
  const loaded = loadScene(decoded.text, name);
  if (!loaded.ok) return { ok: false, name, errors: loaded.errors.map((e) => formatSceneError(e, name)) };
  const scene = loaded.scene;
  const L = URL_SCENE_LIMITS;
  const tooBig: string[] = [];
  if (scene.nodes.length > L.nodes) tooBig.push(`nodes: ${scene.nodes.length} devices (an embedded scene may have at most ${L.nodes})`);
  if (scene.links.length > L.links) tooBig.push(`links: ${scene.links.length} links (at most ${L.links})`);
  if (scene.run.length > L.runs) tooBig.push(`run: ${scene.run.length} commands (at most ${L.runs})`);
  if (tooBig.length) return { ok: false, name, errors: tooBig.map((e) => `${name}: ${e}`) };
  // The worker stops at the event and wall-time budget with "too much happens in this scene for an embed".
  return simulateOffThread(name, scene, { text: decoded.text, fileName: name, seed, limits: { events: L.events, wallMs: L.wallMs } }, control);
}
