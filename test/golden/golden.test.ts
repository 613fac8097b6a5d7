/**
 * Golden traces: every scene's trace hash is pinned. A change in what any scene does on the wire,
 * however small, fails here; if it is intended, `npm run golden:update` and review the diff.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, sceneFiles, sceneHash } from './scene-hashes';

const golden: Record<string, string> = existsSync(GOLDEN_FILE) ? JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) : {};

describe('golden trace hashes', () => {
  it('pins every scene in scenes/', () => {
    expect(Object.keys(golden).sort(), 'run npm run golden:update after adding or removing a scene').toEqual(sceneFiles());
  });

  for (const file of sceneFiles()) {
    it(`${file} produces its pinned trace`, () => {
      expect(sceneHash(file), `the trace of ${file} changed; if intended, run npm run golden:update`).toBe(golden[file]);
    });
  }
});
