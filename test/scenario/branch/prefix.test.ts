/**
 * Forking: for every bundled scene, a branch that cuts a busy link at time t has the parent's trace
 * up to t, row for row and byte for byte (design.md: "the trace before the fork time must be
 * identical to the original"), and a different one after t.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveBranch, parseAction } from '../../../src/scenario/branch';
import { parseRawScene } from '../../../src/scenario/raw-scene';
import { simulate } from '../../../src/scenario/simulate';
import { RecordKind, type Trace } from '../../../src/sim/trace';
import { loadSceneFile } from '../../../src/cli/run-scene';
import { SCENES_DIR, sceneFiles, untilFor } from '../../golden/scene-hashes';

/** One row as comparable data: every column, with the frame's bytes and the row's string. */
function row(t: Trace, r: number): unknown[] {
  const kind = t.kind[r];
  const f = t.frame[r];
  const bytes = kind === RecordKind.FrameTx || (kind === RecordKind.Drop && f >= 0) ? Array.from(t.frameBytes(f)) : kind === RecordKind.State ? t.string(f) : f;
  const text = kind === RecordKind.FrameTx ? '' : t.string(t.code[r]);
  return [kind, t.dir[r], t.time[r], t.end[r], t.arrival[r], t.place[r], t.code[r], text, bytes, t.packet[r]];
}

function rowsBefore(t: Trace, before: number): number {
  let n = 0;
  while (n < t.length && t.time[n] < before) n++;
  return n;
}

describe('a branch cut at t repeats its parent up to t and departs after', () => {
  for (const file of sceneFiles()) {
    it(file, () => {
      const path = join(SCENES_DIR, file);
      const scene = loadSceneFile(path);
      // Long scenes are cut at 2 s (the bench scenes at their golden 200 ms): the property is about the fork.
      const until = Math.min(untilFor(file) ?? scene.duration, 2_000_000_000);
      const parent = simulate(scene, { untilNs: until }).trace;
      // t: the time of the middle frame of the run, on the link that frame crosses.
      const frames: number[] = [];
      for (let r = 0; r < parent.length; r++) if (parent.kind[r] === RecordKind.FrameTx) frames.push(r);
      expect(frames.length).toBeGreaterThan(0);
      const mid = frames[Math.floor(frames.length / 2)];
      const t = parent.time[mid];
      const link = parent.links[parent.place[mid]].name;
      const act = parseAction(`${t}ns link ${link} down`);
      if (!act.ok) throw new Error(act.error);
      const derived = deriveBranch({ parent: parseRawScene(readFileSync(path, 'utf8')), actions: [act.action] }, file);
      if (!derived.ok) throw new Error(derived.errors.join('\n'));
      const branch = simulate(derived.scene, { untilNs: until }).trace;

      const n = rowsBefore(parent, t);
      expect(rowsBefore(branch, t)).toBe(n);
      let firstMismatch = -1;
      for (let r = 0; r < n && firstMismatch < 0; r++) if (JSON.stringify(row(branch, r)) !== JSON.stringify(row(parent, r))) firstMismatch = r;
      if (firstMismatch >= 0) expect(row(branch, firstMismatch), `row ${firstMismatch}`).toEqual(row(parent, firstMismatch));
      let differs = branch.length !== parent.length;
      for (let r = n; !differs && r < parent.length; r++) differs = JSON.stringify(row(branch, r)) !== JSON.stringify(row(parent, r));
      expect(differs, 'the branch departs from its parent after t').toBe(true);
      expect(branch.hash()).not.toBe(parent.hash());
    });
  }
});
