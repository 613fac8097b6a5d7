/** Small scenes for the overload tests: a client population, a switch, servers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScene } from '../../src/scenario/load';
import type { Scene } from '../../src/scenario/scene';
import { simulate } from '../../src/scenario/simulate';
import type { Trace } from '../../src/sim/trace';
import { rrSeries, type RrWindow } from '../../src/timeline/metrics';
import { TestNet } from '../helpers/net';

/** One population of clients and one server on a switch, running `client` and `server` commands. */
export function clientServer(opts: { client: string; server: string; count?: number; duration: string; faults?: string; seed?: number }): TestNet {
  return TestNet.fromYaml(
    `
seed: ${opts.seed ?? 1}
nodes:
  - { id: clients, kind: clients, count: ${opts.count ?? 1000}, ip: 10.0.1.1/16 }
  - { id: sw, kind: switch }
  - { id: srv, kind: server, ip: 10.0.0.2/16 }
links:
  - { a: clients, b: sw, latency: 1ms, bandwidth: 1Gbps, queue: 10000 }
  - { a: sw, b: srv, latency: 1ms, bandwidth: 1Gbps, queue: 10000 }
run:
  - { on: srv, at: 0s, cmd: "${opts.server}" }
  - { on: clients, at: 1ms, cmd: "${opts.client}" }
faults: ${opts.faults ?? '[]'}
`,
    { duration: opts.duration },
  ).runToEnd();
}

/** Mean of a field over windows [fromS, toS) seconds. */
export function mean(ws: readonly RrWindow[], field: keyof RrWindow, fromS: number, toS: number): number {
  const sel = ws.filter((w) => w.start >= fromS * 1e9 && w.end <= toS * 1e9);
  return sel.reduce((s, w) => s + (w[field] as number), 0) / sel.length;
}

export function series(net: TestNet, windowNs = 1e9): RrWindow[] {
  return rrSeries(net.trace, { windowNs });
}

/** Loads `scenes/<name>.yaml` as the app does and runs it (for `durationNs` when given). */
export function runSceneFile(name: string, durationNs?: number): { scene: Scene; trace: Trace } {
  const r = loadScene(readFileSync(join(import.meta.dirname, `../../scenes/${name}.yaml`), 'utf8'), `${name}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const scene = durationNs === undefined ? r.scene : { ...r.scene, duration: durationNs };
  return { scene, trace: simulate(scene).trace };
}
