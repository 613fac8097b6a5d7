/** Node helpers for the headless runner and tests: read a scene file, run it. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadScene } from '../scenario/load';
import type { Scene } from '../scenario/scene';
import { simulate, type SimResult, type SimulateOptions } from '../scenario/simulate';
import { formatSceneError } from '../scenario/validate';

/** Reads and validates a scene file; throws an Error listing every problem, path-named. */
export function loadSceneFile(path: string): Scene {
  const text = readFileSync(path, 'utf8');
  const r = loadScene(text, basename(path));
  if (!r.ok) throw new Error(r.errors.map((e) => formatSceneError(e, path)).join('\n'));
  return r.scene;
}

export { simulate };
export type { SimResult, SimulateOptions };
