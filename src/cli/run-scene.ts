/** Node helpers for the headless runner and tests: read a scene file, run it. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { capLines } from '../scenario/limits';
import { loadScene } from '../scenario/load';
import type { Scene } from '../scenario/scene';
import { simulate, type SimResult, type SimulateOptions } from '../scenario/simulate';
import { formatSceneError } from '../scenario/validate';

/** Reads and validates a scene file; throws an Error listing its problems (the first 50), path-named. */
export function loadSceneFile(path: string): Scene {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read the scene file${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`, { cause: e });
  }
  const r = loadScene(text, basename(path));
  if (!r.ok) throw new Error(capLines(r.errors.map((e) => formatSceneError(e, path))).join('\n'));
  return r.scene;
}

export { simulate };
export type { SimResult, SimulateOptions };
