// Random branches and the trace hash Node computes for each, as JSON on one line:
//   npx tsx test/e2e/branch-hash.ts 8 20261208  ->  [{ scene, actions, branches, hash, rows, rootHash }, ...]
// fast-check's `sample` with a fixed seed picks `count` action sequences, half on each of two bundled scenes (the
// same kinds of action as the Node replay property in test/scenario/branch/action.test.ts, heal
// and interrupt included); each is derived with deriveBranch and simulated. `branches` is the
// share-link text (`?branches=`) of a tree holding just that branch, shown. The browser test opens
// it and compares the hash the page's simulation worker gives with `hash`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { deriveBranch, encodeBranchTree, formatAction, type BranchAction } from '../../src/scenario/branch';
import { parseRawScene } from '../../src/scenario/raw-scene';
import { simulate } from '../../src/scenario/simulate';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the actions of a scene may name: links, nodes, its duration, programs and commands that exist there. */
interface SceneShape {
  readonly name: string;
  readonly links: readonly string[];
  readonly nodes: readonly string[];
  readonly durationUs: number;
  readonly program: string;
  readonly partition: readonly (readonly string[])[];
  readonly commands: readonly { readonly on: string; readonly cmd: string }[];
}

const SHAPES: readonly SceneShape[] = [
  {
    name: 'router-ping',
    links: ['h1-sw1', 'sw1-r1', 'r1-sw2', 'sw2-h2'],
    nodes: ['h1', 'r1', 'h2'],
    durationUs: 40_000,
    program: 'ping',
    partition: [['h1'], ['h2']],
    commands: [
      { on: 'h1', cmd: 'ping 10.0.1.5 -c 2 -i 5ms' },
      { on: 'h2', cmd: 'ping 10.0.0.1 -c 1' },
    ],
  },
  {
    name: 'tcp-loss',
    links: ['h1-sw1', 'h3-sw1', 'sw1-r1', 'r1-h2'],
    nodes: ['h1', 'h3', 'r1', 'h2'],
    durationUs: 600_000,
    program: 'nc',
    partition: [['h1', 'h3'], ['h2']],
    commands: [
      { on: 'h1', cmd: 'ping 10.0.1.2 -c 2 -i 5ms' },
      { on: 'h3', cmd: 'ping 10.0.1.2 -c 1' },
    ],
  },
];

function actionOf(s: SceneShape): fc.Arbitrary<BranchAction> {
  const at = fc.integer({ min: 0, max: s.durationUs }).map((us) => us * 1000);
  const link = fc.constantFrom(...s.links);
  const node = fc.constantFrom(...s.nodes);
  const packet = fc.integer({ min: 0, max: 40 });
  return fc.oneof(
    fc.record({
      kind: fc.constant('link' as const),
      at,
      link,
      set: fc.constantFrom({ up: false }, { up: true }, { loss: 0.3 }, { latency: 5_000_000 }, { bandwidth: 1e6 }, { queue: 2 }, { jitter: 500_000 }),
    }),
    fc.record({ kind: fc.constant('node' as const), at, node, op: fc.constantFrom('crash' as const, 'restart' as const) }),
    fc.record({ kind: fc.constant('packet' as const), at, packet, op: fc.constantFrom('drop' as const, 'corrupt' as const) }),
    fc.record({ kind: fc.constant('packet-delay' as const), at, packet, delay: fc.constantFrom(1_000_000, 7_000_000) }),
    fc.record({ kind: fc.constant('partition' as const), at, groups: fc.constant(s.partition.map((g) => [...g])) }),
    fc.record({ kind: fc.constant('interrupt' as const), at, node, program: fc.constant(s.program) }),
    fc.record({ kind: fc.constant('heal' as const), at }),
    fc.record({ kind: fc.constant('command' as const), at, command: fc.constantFrom(...s.commands) }).map(({ at: t, command }) => ({
      kind: 'command' as const,
      at: t,
      on: command.on,
      cmd: command.cmd,
    })),
  );
}

const count = Number(process.argv[2] ?? 8);
const seed = Number(process.argv[3] ?? 20261208);
// As many sequences over each scene (of router-ping's 40 ms and tcp-loss's 600 ms).
const cases = SHAPES.flatMap((shape, i) =>
  fc
    .sample(fc.array(actionOf(shape), { minLength: 1, maxLength: 6 }), { numRuns: Math.ceil(count / SHAPES.length), seed: seed + i })
    .map((actions) => ({ shape, actions })),
);

const out = cases.map(({ shape, actions }) => {
  const file = join(root, 'scenes', `${shape.name}.yaml`);
  const parent = parseRawScene(readFileSync(file, 'utf8'));
  const derived = deriveBranch({ parent, actions }, `${shape.name}.yaml`);
  if (!derived.ok) throw new Error(`${shape.name}: ${derived.errors.join('; ')}`);
  const rootRun = deriveBranch({ parent, actions: [] });
  if (!rootRun.ok) throw new Error(`${shape.name}: ${rootRun.errors.join('; ')}`);
  const trace = simulate(derived.scene).trace;
  return {
    scene: shape.name,
    actions: actions.map(formatAction),
    branches: encodeBranchTree({ branches: [{ parent: -1, name: 'random', actions, enabled: actions.map(() => true) }], current: 0 }),
    hash: trace.hash(),
    rows: trace.length,
    rootHash: simulate(rootRun.scene).trace.hash(),
  };
});
process.stdout.write(`${JSON.stringify(out)}\n`);
