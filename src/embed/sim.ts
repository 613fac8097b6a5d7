/**
 * The embed's simulation chunk, loaded with a dynamic import so the page paints before zod, yaml
 * and the simulator arrive. Loads a bundled scene by name or a scene carried in the URL, validates
 * it like any scene (`loadScene`), and runs it with limits so a hostile scene is refused with a
 * message instead of freezing the host page.
 */
import { loadScene } from '../scenario/load';
import { buildNetwork } from '../scenario/build';
import { simulate } from '../scenario/simulate';
import { formatSceneError } from '../scenario/validate';
import type { Scene } from '../scenario/scene';
import { buildTimeline, nextEventTime, prevEventTime, upperBound, type TimelineIndex } from '../timeline';
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

/** Loads, validates and simulates the scene an embed asks for. Never throws. */
export async function loadEmbedScene(req: { scene: string; data?: string; seed?: number }): Promise<EmbedSceneResult> {
  try {
    if (req.data !== undefined) return await fromData(req.data, req.seed);
    const entry = SCENES.get(req.scene);
    if (!entry) return { ok: false, name: req.scene, errors: [`no scene called "${req.scene}" (expected one of: ${bundledSceneNames().join(', ')})`] };
    const text = await entry.load();
    const fileName = entry.path.replace(/^\//, '');
    const loaded = loadScene(text, fileName);
    if (!loaded.ok) return { ok: false, name: req.scene, errors: loaded.errors.map((e) => formatSceneError(e, fileName)) };
    const result = simulate(loaded.scene, { seed: req.seed });
    const index = buildTimeline(result.trace);
    return { ok: true, name: req.scene, scene: loaded.scene, index, duration: Math.max(loaded.scene.duration, index.endTime) };
  } catch (e) {
    return { ok: false, name: req.scene, errors: [`simulation failed: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

async function fromData(data: string, seed: number | undefined): Promise<EmbedSceneResult> {
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
  // Same events in the same order as `simulate`, but in small batches with an event and a wall-time budget.
  const network = buildNetwork(scene, seed ?? scene.seed);
  const kernel = network.ctx.kernel;
  const started = performance.now();
  for (;;) {
    const next = kernel.peek();
    if (next === undefined || next > scene.duration) break;
    for (let i = 0; i < 2000 && kernel.step(); i++) {
      const p = kernel.peek();
      if (p === undefined || p > scene.duration) break;
    }
    if (kernel.eventsExecuted > L.events || performance.now() - started > L.wallMs) {
      return { ok: false, name, errors: [`${name}: too much happens in this scene for an embed (stopped after ${kernel.eventsExecuted} events at ${(kernel.now / 1e6).toFixed(3)} ms)`] };
    }
  }
  kernel.runUntil(scene.duration);
  const index = buildTimeline(network.ctx.trace);
  return { ok: true, name, scene, index, duration: Math.max(scene.duration, index.endTime) };
}
