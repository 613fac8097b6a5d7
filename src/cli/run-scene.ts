/** Node helpers for the headless runner and tests: read a scene file, run it. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { capLines } from '../scenario/limits';
import { deriveBranch, parseActions } from '../scenario/branch';
import { loadScene } from '../scenario/load';
import { parseRawScene } from '../scenario/raw-scene';
import type { Scene } from '../scenario/scene';
import { simulate } from '../scenario/simulate';
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

/**
 * Reads a scene file and derives its branch with the given action lines (`--act`); throws an
 * Error listing every bad action (each named as written) or scene problem.
 */
export function loadBranchFile(path: string, actionLines: readonly string[]): Scene {
  const parsed = parseActions(actionLines);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `--act ${e}`).join('\n'));
  const scene = loadSceneFile(path);
  if (actionLines.length === 0) return scene;
  const derived = deriveBranch({ parent: parseRawScene(readFileSync(path, 'utf8')), actions: parsed.actions }, basename(path));
  if (!derived.ok) throw new Error(derived.errors.map((e) => (e.startsWith('"') ? `--act ${e}` : e)).join('\n'));
  void scene;
  return derived.scene;
}

export { simulate };
