import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadScene, type Scene } from '../../src/scenario/load';
import { simulate } from '../../src/scenario/simulate';
import type { SceneFault } from '../../src/scenario/scene';
import { RecordKind, type Trace } from '../../src/sim/trace';
import { sceneFromYaml } from '../helpers/net';

const MS = 1_000_000;
const SCENES = 'scenes';

function sceneFile(name: string): Scene {
  const r = loadScene(readFileSync(join(SCENES, name), 'utf8'), name);
  if (!r.ok) throw new Error(`${name}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.scene;
}

/**
 * How long to run each scene: the whole thing, except the benchmarks. Their first moments exercise
 * every code path: 50 ms of the 10 s chain, and 11 s of the 60 s storm (1 s into its slowdown).
 */
const CAPPED: Record<string, number> = { 'bench-chain.yaml': 50 * MS, 'bench-retry-storm.yaml': 11_000 * MS };
const untilFor = (name: string): number | undefined => CAPPED[name];

/** The rows with time < t, each as a readable line (strings and frame bytes resolved). */
function rowsBefore(trace: Trace, t: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < trace.length; i++) {
    if (trace.time[i] >= t) continue;
    const k = trace.kind[i];
    let detail: string;
    if (k === RecordKind.FrameTx) detail = Buffer.from(trace.frameBytes(trace.frame[i])).toString('hex');
    else if (k === RecordKind.Drop)
      detail = `${trace.string(trace.code[i])} ${trace.frame[i] >= 0 ? Buffer.from(trace.frameBytes(trace.frame[i])).toString('hex') : '-'}`;
    else if (k === RecordKind.State) detail = `${trace.string(trace.code[i])}=${trace.string(trace.frame[i])}`;
    else detail = trace.string(trace.code[i]);
    out.push(`${k} ${trace.dir[i]} ${trace.time[i]} ${trace.end[i]} ${trace.arrival[i]} ${trace.place[i]} ${trace.packet[i]} ${detail}`);
  }
  return out;
}

describe('determinism', () => {
  const files = readdirSync(SCENES)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();

  it('finds the scene files', () => {
    expect(files).toContain('router-ping.yaml');
    expect(files).toContain('hub-vs-switch.yaml');
  });

  for (const file of files) {
    it(`${file}: the same seed gives the same trace, twice over`, () => {
      const scene = sceneFile(file);
      const a = simulate(scene, { untilNs: untilFor(file) });
      const b = simulate(scene, { untilNs: untilFor(file) });
      expect(a.trace.length).toBeGreaterThan(0);
      expect(b.trace.hash()).toBe(a.trace.hash());
      expect(b.events).toBe(a.events);
      expect(b.simTimeNs).toBe(a.simTimeNs);
      // The same seed passed explicitly is the scene's own.
      expect(simulate(scene, { seed: scene.seed, untilNs: untilFor(file) }).trace.hash()).toBe(a.trace.hash());
    });
  }

  it('a different seed on the hub scene changes the collisions and so the trace', () => {
    const scene = sceneFile('hub-vs-switch.yaml');
    const base = simulate(scene).trace.hash();
    const others = [1, 2, 3, 4].map((seed) => simulate(scene, { seed }).trace.hash());
    expect(others.some((h) => h !== base)).toBe(true);
  });

  it('a different seed on a lossy link loses different frames', () => {
    const scene = sceneFromYaml(`
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, loss: 0.2 }
run:
  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 50 -i 10ms" }
`);
    const lost = (seed: number) => {
      const t = simulate(scene, { seed }).trace;
      const ids: number[] = [];
      for (let i = 0; i < t.length; i++) if (t.kind[i] === RecordKind.Drop) ids.push(t.packet[i]);
      return { ids, hash: t.hash() };
    };
    const a = lost(1);
    const b = lost(2);
    expect(a.ids.length).toBeGreaterThan(0);
    expect(b.hash).not.toBe(a.hash);
    expect(lost(1)).toEqual(a);
  });

  it('stopping early gives a prefix of the full run', () => {
    const scene = sceneFile('router-ping.yaml');
    const full = simulate(scene).trace;
    const part = simulate(scene, { untilNs: 15 * MS });
    expect(part.simTimeNs).toBe(15 * MS);
    expect(rowsBefore(part.trace, 15 * MS)).toEqual(rowsBefore(full, 15 * MS));
  });
});

describe('forks: a fault at time T leaves the trace before T as it was', () => {
  const withFault = (scene: Scene, fault: SceneFault): Scene => ({ ...scene, faults: [...scene.faults, fault] });

  it('router-ping: taking sw1-r1 down at 15 ms', () => {
    const scene = sceneFile('router-ping.yaml');
    const T = 15 * MS;
    const base = simulate(scene).trace;
    const fork = simulate(withFault(scene, { kind: 'link-set', at: T, link: 'sw1-r1', set: { up: false } })).trace;
    expect(fork.hash()).not.toBe(base.hash());
    expect(rowsBefore(fork, T)).toEqual(rowsBefore(base, T));
  });

  it('property: any link fault at any time in the traceroute and router-ping scenes', () => {
    const scenes = ['router-ping.yaml', 'traceroute.yaml'].map(sceneFile);
    const baseRuns = scenes.map((s) => simulate(s).trace);
    fc.assert(
      fc.property(
        fc.nat(scenes.length - 1),
        fc.nat(),
        fc.integer({ min: 0, max: 300 * MS }),
        fc.oneof(
          fc.constant({ up: false }),
          fc.record({ loss: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
          fc.record({ latency: fc.integer({ min: 0, max: 10 * MS }) }),
          fc.record({ bandwidth: fc.integer({ min: 1e5, max: 1e9 }) }),
          fc.record({ jitter: fc.integer({ min: 1, max: 2 * MS }) }),
        ),
        (si, li, at, set) => {
          const scene = scenes[si];
          const T = Math.min(at, scene.duration);
          const link = scene.links[li % scene.links.length].id;
          const fork = simulate(withFault(scene, { kind: 'link-set', at: T, link, set })).trace;
          expect(rowsBefore(fork, T)).toEqual(rowsBefore(baseRuns[si], T));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('crashing a node at T leaves the trace before T as it was', () => {
    const scene = sceneFile('traceroute.yaml');
    const T = 100 * MS;
    const base = simulate(scene).trace;
    const fork = simulate(withFault(scene, { kind: 'node-set', at: T, node: 'r2', set: { up: false } })).trace;
    expect(fork.hash()).not.toBe(base.hash());
    expect(rowsBefore(fork, T)).toEqual(rowsBefore(base, T));
  });
});
