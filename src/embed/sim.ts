/**
 * The embed's scene chunk, loaded with a dynamic import so the page paints first. Fetches the text
 * of a bundled scene by name, or decodes a scene carried in the URL, and hands it to the simulation
 * worker, which validates it like any scene (`loadScene`, path-named errors), refuses a URL scene
 * over `URL_SCENE_LIMITS` with a message, simulates it off the host page's main thread and sends
 * back the validated scene with the trace. This chunk holds no simulator, zod or yaml: only where
 * there is no worker (or it cannot start) is the simulator loaded, with a dynamic import, and run
 * in the page.
 */
import { setDeviceShape } from '../net/device-shapes';
import { needsMoreDissectors } from '../protocols/builtin-core';
import type { Scene } from '../scenario/scene';
import { startSimulationWith, type InPageRunner, type SimulationRequest } from '../runner/client';
import type { SimProgress } from '../runner/protocol';
import { wallClockMs } from '../runner/wall-clock';
import { silenceWatch } from '../store/silence-watch';
import { nextEventTime, prevEventTime, upperBound, type TimelineIndex } from '../timeline';
import { describeRow } from '../ui/describe';
import { decodeSceneText } from './codec';

export { describeRow, nextEventTime, prevEventTime, upperBound };

const files = import.meta.glob('/scenes/*.{yaml,yml,json}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;
const SCENES = new Map(Object.entries(files).map(([path, load]) => [path.replace(/^\/scenes\//, '').replace(/\.(ya?ml|json)$/, ''), { path, load }]));

/** Limits for a scene that came in the URL (bundled scenes are trusted to be reasonable). */
export const URL_SCENE_LIMITS = { nodes: 48, links: 96, runs: 64, events: 300_000, wallMs: 2_000 } as const;

export type EmbedSceneResult = { ok: true; name: string; scene: Scene; index: TimelineIndex; duration: number } | { ok: false; name: string; errors: string[] };

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
    return await simulateOffThread(req.scene, { text, fileName, seed: req.seed }, control);
  } catch (e) {
    return { ok: false, name: req.scene, errors: [`simulation failed: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** Without a worker: loads the simulator (only now) and runs the request in the page. */
const runInPageLazily: InPageRunner = async (request, post) => {
  const { runSimRequest } = await import('../runner/run-request');
  runSimRequest(request, (reply) => post(reply), wallClockMs);
};

/**
 * Loads the richer dissectors (DNS, QUIC, HTTP, TLS and their crypto: a lazy chunk) when a frame of
 * the trace needs them for its description; a scene of pings and traceroutes never downloads them.
 */
async function dissectorsFor(index: TimelineIndex): Promise<void> {
  const trace = index.trace;
  for (let f = 0; f < trace.frameTotal; f++) {
    if (needsMoreDissectors(trace.frameBytes(f))) {
      const { registerBuiltinProtocols } = await import('../protocols/builtin');
      registerBuiltinProtocols();
      return;
    }
  }
}

/** Validates and simulates in the worker; the result names scene-level failures like a synchronous run would. */
function simulateOffThread(name: string, req: SimulationRequest, control: EmbedLoadControl): Promise<EmbedSceneResult> {
  return new Promise((resolve) => {
    const run = startSimulationWith(
      runInPageLazily,
      { ...req, returnScene: true },
      {
        onProgress: (p) => control.onProgress?.(p),
        onDone: ({ index, scene, shapes }) => {
          for (const [kind, shape] of Object.entries(shapes ?? {})) setDeviceShape(kind, shape);
          if (!scene) resolve({ ok: false, name, errors: [`${req.fileName}: the simulation sent no scene back`] });
          else
            void dissectorsFor(index).then(
              () => resolve({ ok: true, name, scene, index, duration: Math.max(scene.duration, index.endTime) }),
              (e: unknown) => resolve({ ok: false, name, errors: [`could not load the protocol dissectors: ${e instanceof Error ? e.message : String(e)}`] }),
            );
        },
        onInvalid: (errors) => resolve({ ok: false, name, errors }),
        onFailed: (error) => resolve({ ok: false, name, errors: [error] }),
      },
      { watch: silenceWatch },
    );
    control.signal?.addEventListener('abort', () => run.cancel());
  });
}

async function fromData(data: string, seed: number | undefined, control: EmbedLoadControl): Promise<EmbedSceneResult> {
  const name = 'embedded scene';
  const decoded = await decodeSceneText(data);
  if (!decoded.ok) return { ok: false, name, errors: [decoded.error] };
  // The worker refuses a scene over the size limits before running it, and stops at the event and
  // wall-time budget with "too much happens in this scene for an embed".
  return simulateOffThread(name, { text: decoded.text, fileName: name, seed, limits: URL_SCENE_LIMITS }, control);
}
