/** Trace hashes of every scene in scenes/, as the golden file stores them. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';

export const SCENES_DIR = join(import.meta.dirname, '../../scenes');
export const GOLDEN_FILE = join(import.meta.dirname, 'trace-hashes.json');

/** Large benchmark scenes are hashed over their first 200 ms only, to keep the suite fast. */
export function untilFor(file: string): number | undefined {
  return file.startsWith('bench-') ? 200_000_000 : undefined;
}

/** Scene file names, sorted. */
export function sceneFiles(): string[] {
  return readdirSync(SCENES_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
}

/** The trace hash of one scene file with its own seed. */
export function sceneHash(file: string): string {
  const scene = loadSceneFile(join(SCENES_DIR, file));
  return simulate(scene, { untilNs: untilFor(file) }).trace.hash();
}
