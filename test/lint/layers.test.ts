/**
 * The layering of design.md ("Layers") is enforced by eslint.config.js; these cases pin it down by
 * linting small snippets as if they lived at a given path, through ESLint's Node API.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Layers in design.md order; each may import only the ones before it. */
const LAYERS = ['sim', 'protocols', 'net', 'apps', 'scenario', 'timeline', 'runner', 'lesson', 'cli', 'store', 'view3d', 'ui', 'embed', 'app'];
const CORE = LAYERS.slice(0, LAYERS.indexOf('cli') + 1);
const RESTRICTING_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax', 'no-restricted-properties', 'no-restricted-globals']);

/** Messages of the layering/determinism rules for `code` placed at `filePath` (relative to the repo). */
async function violations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `parse error in snippet for ${filePath}`).toEqual([]);
  expect(result.messages.filter((m) => m.message.includes('File ignored'))).toEqual([]);
  return result.messages.filter((m) => m.ruleId && RESTRICTING_RULES.has(m.ruleId)).map((m) => m.message);
}

/** Lint `code` at `file` and expect exactly `count` layering messages (any count > 0 when omitted). */
async function expectReported(code: string, file: string, pattern?: RegExp): Promise<void> {
  const found = await violations(code, file);
  expect(found, `${file}: ${code}`).not.toEqual([]);
  if (pattern) expect(found.join('\n')).toMatch(pattern);
}

async function expectAllowed(code: string, file: string): Promise<void> {
  expect(await violations(code, file), `${file}: ${code}`).toEqual([]);
}

describe('layer imports', () => {
  it('rejects the examples of the design', async () => {
    await expectReported("import '../net/link';\n", 'src/sim/x.ts', /src\/sim may not import src\/net/);
    await expectReported("import * as THREE from 'three';\nexport const v = new THREE.Vector3();\n", 'src/net/x.ts', /below the line/);
    await expectReported('export const coin = Math.random() < 0.5;\n', 'src/net/x.ts', /RNG/);
  });

  it('allows every layer to import the layers before it, and rejects the ones after it', async () => {
    for (const [i, layer] of LAYERS.entries()) {
      for (const [j, other] of LAYERS.entries()) {
        if (other === layer) continue;
        const code = `import { thing } from '../${other}/thing';\nexport const x = thing;\n`;
        if (j < i || layer === 'app') await expectAllowed(code, `src/${layer}/x.ts`);
        else await expectReported(code, `src/${layer}/x.ts`, new RegExp(`src/${layer} may not import src/${other}`));
      }
    }
  });

  it('follows relative paths from nested folders, re-exports, type imports and dynamic import()', async () => {
    await expectReported("import { Link } from '../../net/link';\nexport const l = Link;\n", 'src/sim/deep/x.ts');
    await expectReported("export { Link } from '../net/link';\n", 'src/sim/x.ts');
    await expectReported("export * from '../../ui';\n", 'src/store/sub/x.ts');
    await expectReported("import type { Scene } from '../scenario/schema';\nexport type S = Scene;\n", 'src/apps/x.ts');
    await expectReported("export const load = () => import('../ui/Panel');\n", 'src/view3d/x.ts', /src\/view3d may not import src\/ui/);
    await expectReported("export const load = () => import('../store/playback');\n", 'src/timeline/x.ts', /may not import src\/store/);
    await expectReported("export const load = () => import('three');\n", 'src/lesson/x.ts', /below the line/);
  });

  it('allows imports within a layer and of permitted layers from nested folders', async () => {
    await expectAllowed("import { Kernel } from '../../sim/kernel';\nexport const k = Kernel;\n", 'src/net/devices/host.ts');
    await expectAllowed("import { codec } from '../codec';\nexport const c = codec;\n", 'src/protocols/tcp/model.ts');
    await expectAllowed("import { decode } from '../ipv4/codec';\nexport const d = decode;\n", 'src/protocols/tcp/model.ts');
    await expectAllowed("import { hashTrace } from './trace-hash';\nexport const h = hashTrace;\n", 'src/sim/trace.ts');
    await expectAllowed("import { z } from 'zod';\nimport { parse } from 'yaml';\nexport const p = [z, parse];\n", 'src/scenario/x.ts');
    await expectAllowed("export const load = () => import('./codec');\n", 'src/protocols/x.ts');
  });

  it('keeps React, three, zustand and the DOM out of every core layer', async () => {
    const frontend = [
      "import { useState } from 'react';\nexport const u = useState;\n",
      "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;\n",
      "import { Mesh } from 'three';\nexport const m = Mesh;\n",
      "import { useFrame } from '@react-three/fiber';\nexport const f = useFrame;\n",
      "import { createStore } from 'zustand/vanilla';\nexport const s = createStore;\n",
      'export const w = window.innerWidth;\n',
      "export const el = document.createElement('canvas');\n",
    ];
    for (const layer of CORE) {
      for (const code of frontend) await expectReported(code, `src/${layer}/x.ts`);
    }
  });

  it('lets only the runner start workers, and only its worker entry use the worker scope', async () => {
    const start = "export const w = new Worker(new URL('./w.ts', import.meta.url), { type: 'module' });\n";
    const scope = 'export const s = self;\npostMessage(1);\n';
    await expectAllowed(start, 'src/runner/client.ts');
    await expectReported(scope, 'src/runner/client.ts', /only its entry/);
    await expectAllowed(scope, 'src/runner/sim-worker.ts');
    await expectReported('export const el = document.body;\n', 'src/runner/sim-worker.ts', /No DOM/);
    for (const layer of CORE.filter((l) => l !== 'runner')) {
      await expectReported(start, `src/${layer}/x.ts`, /Only src\/runner deals with workers/);
      await expectReported(scope, `src/${layer}/x.ts`, /Only src\/runner deals with workers/);
    }
    await expectAllowed('export function f() {\n  const self = 1;\n  return self;\n}\n', 'src/protocols/x.ts');
  });

  it('lets the browser half use its libraries', async () => {
    await expectAllowed(
      "import { createStore } from 'zustand/vanilla';\nimport { useStore } from 'zustand';\nexport const s = [createStore, useStore];\n",
      'src/store/x.ts',
    );
    await expectAllowed(
      "import { useFrame } from '@react-three/fiber';\nimport { Mesh } from 'three';\nimport { usePlayback } from '../store/playback';\nimport { packetsAt } from '../timeline/queries';\nexport const x = [useFrame, Mesh, usePlayback, packetsAt];\n",
      'src/view3d/x.tsx',
    );
    await expectAllowed(
      "import { App } from '../ui/App';\nimport { Scene } from '../view3d/Scene';\nexport const x = [App, Scene, window];\n",
      'src/app/main.tsx',
    );
  });

  it('keeps Node built-ins out of the layers that run in the browser, but not the CLI', async () => {
    await expectReported("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/scenario/x.ts', /Node built-ins/);
    await expectReported("import path from 'path';\nexport const p = path;\n", 'src/sim/x.ts', /Node built-ins/);
    await expectAllowed("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/cli/main.ts');
  });
});

describe('determinism below the line', () => {
  const nondeterministic = [
    'export const r = Math.random();\n',
    'export const t = Date.now();\n',
    'export const t = performance.now();\n',
    'export const d = new Date();\n',
    'export const d = Date();\n',
    'export const id = crypto.randomUUID();\n',
    'export const b = crypto.getRandomValues(new Uint8Array(4));\n',
  ];

  it('reports wall-clock time and ambient randomness in every core layer', async () => {
    for (const layer of CORE) {
      for (const code of nondeterministic) {
        // The headless runner times itself for its summary (wallMs); nothing else below the line may.
        if (layer === 'cli' && code.includes('performance.now')) continue;
        await expectReported(code, `src/${layer}/x.ts`, /kernel/);
      }
    }
    await expectReported('setTimeout(() => {}, 10);\n', 'src/net/x.ts', /wall-clock timers/);
  });

  it("lets only the headless runner and the runner's wall clock read wall time", async () => {
    await expectAllowed('export const t = performance.now();\n', 'src/cli/x.ts');
    await expectAllowed('export const t = performance.now();\n', 'src/runner/wall-clock.ts');
    await expectReported('export const t = performance.now();\n', 'src/runner/run-request.ts', /kernel/);
    await expectReported('export const t = Date.now();\n', 'src/runner/wall-clock.ts', /kernel/);
    await expectReported('export const t = performance.now();\n', 'src/scenario/x.ts', /kernel/);
  });

  it('allows them in the browser half, in tests and in bench', async () => {
    for (const file of ['src/view3d/x.ts', 'src/ui/x.ts', 'test/sim/x.test.ts', 'bench/x.ts']) {
      await expectAllowed('export const r = [Math.random(), Date.now(), performance.now(), new Date()];\n', file);
    }
  });

  it('does not confuse the kernel clock or a local named Date with the global one', async () => {
    await expectAllowed('export const at = (kernel: { now: number }) => kernel.now + 1_000_000;\n', 'src/net/x.ts');
    await expectAllowed('export const m = Math.max(1, 2) + Math.imul(3, 4);\n', 'src/sim/x.ts');
  });
});

describe('the layer table', () => {
  it('covers every folder under src/', () => {
    const folders = readdirSync(`${root}/src`, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const unknown = folders.filter((f) => !LAYERS.includes(f));
    expect(unknown, 'folders under src/ that are not a layer of design.md (add them to eslint.config.js)').toEqual([]);
  });
});
