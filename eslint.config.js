// ESLint flat config. Besides the usual recommended rules it enforces the layering of
// /design.md ("Layers"): every folder under src/ imports only from the layers listed before it,
// and nothing in the simulation half (sim .. cli) touches React, three, zustand, the DOM, wall-clock
// time or Math.random. The runner (src/runner) is below the line too: it may use the Worker API
// (a worker is what it runs scenes in; `self` only in its entry, sim-worker.ts) but no DOM, and it
// reads wall time only through src/runner/wall-clock.ts, to pace trace chunks; no other core layer
// may touch `Worker` or `self`. Functions over 80 lines are reported as warnings (each remaining one
// carries an eslint-disable comment saying why it stays long). test/lint/layers.test.ts checks
// these rules on small snippets.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The simulation half, in import order: each may import only the ones before it. */
const CORE_LAYERS = ['sim', 'protocols', 'net', 'apps', 'scenario', 'timeline', 'runner', 'lesson', 'cli'];
/** The browser half, in import order; each may import every core layer and the ones before it. */
const UI_LAYERS = ['store', 'view3d', 'ui', 'embed', 'app'];
const ALL_LAYERS = [...CORE_LAYERS, ...UI_LAYERS];
/** Core layers whose code also runs in the browser (everything except the headless runner). */
const BROWSER_SAFE = CORE_LAYERS.filter((l) => l !== 'cli');

const LAYER_HINT = `Layers (design.md): ${ALL_LAYERS.join(' -> ')}; each imports only from the ones before it.`;
const RNG_HINT =
  'Below the line everything must be deterministic: draw randomness from the kernel\'s named RNG streams (src/sim/rng.ts, RngRegistry.stream("component:purpose")).';
const CLOCK_HINT = 'Below the line time is the simulated clock only: use kernel.now (integer nanoseconds, src/sim/kernel.ts) and schedule with the kernel.';

const JS_FILES = ['**/*.{js,mjs,cjs}'];

/**
 * Regex source matching an import specifier that reaches into `src/<layer>`: a relative path that
 * climbs out of the current folder (`../net/link`, `../../net`) or any path through `src/<layer>`.
 */
const layerSpecifier = (layer) => `^(?:(?:\\./)?(?:\\.\\./)+|(?:.*/)?src/)${layer}(?:/|$)`;

/** Frontend packages the core layers may never import. */
const FRONTEND_PACKAGES = ['react', 'react-dom', 'three', 'zustand'];
const FRONTEND_SPECIFIER = `^(?:(?:${FRONTEND_PACKAGES.join('|')})(?:/|$)|@react-three/)`;
const NODE_SPECIFIER = `^(?:node:|(?:${builtinModules.join('|')})(?:/|$))`;

/** Same specifier regex, written for an esquery attribute selector (no bare slashes allowed). */
const forSelector = (source) => source.replace(/\\\//g, '/').replace(/\//g, '\\x2F');

/** The `no-restricted-imports` options and matching dynamic-`import()` selectors for one layer. */
function importRules(layer) {
  const index = ALL_LAYERS.indexOf(layer);
  const forbiddenLayers = layer === 'app' ? [] : ALL_LAYERS.slice(index + 1);
  const isCore = CORE_LAYERS.includes(layer);
  const banned = forbiddenLayers.map((other) => ({
    regex: layerSpecifier(other),
    message: `src/${layer} may not import src/${other}. ${LAYER_HINT}`,
  }));
  if (isCore) {
    banned.push({
      regex: FRONTEND_SPECIFIER,
      message: `src/${layer} is below the line: no React, react-dom, three, @react-three/* or zustand. Put views in src/view3d or src/ui and state in src/store.`,
    });
  }
  if (BROWSER_SAFE.includes(layer)) {
    banned.push({
      regex: NODE_SPECIFIER,
      message: `src/${layer} also runs in the browser: no Node built-ins. File and process I/O belong in src/cli.`,
    });
  }
  const syntax = banned.map(({ regex, message }) => ({
    selector: `ImportExpression[source.value=/${forSelector(regex)}/]`,
    message,
  }));
  return { patterns: banned, syntax };
}

const BELOW_LINE_SYNTAX = [
  { selector: "NewExpression[callee.name='Date']", message: `No new Date() below the line. ${CLOCK_HINT}` },
  { selector: "CallExpression[callee.name='Date']", message: `No Date() below the line. ${CLOCK_HINT}` },
];

const BELOW_LINE_PROPERTIES = [
  { object: 'Math', property: 'random', message: `No Math.random below the line. ${RNG_HINT}` },
  { object: 'Date', property: 'now', message: `No Date.now below the line. ${CLOCK_HINT}` },
  { object: 'performance', property: 'now', message: `No performance.now below the line. ${CLOCK_HINT}` },
  { object: 'crypto', property: 'getRandomValues', message: `No crypto randomness below the line. ${RNG_HINT}` },
  { object: 'crypto', property: 'randomUUID', message: `No crypto randomness below the line. ${RNG_HINT}` },
];

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'requestAnimationFrame', 'cancelAnimationFrame'].map((name) => ({
  name,
  message: `No DOM below the line (${name}). Browser code belongs in src/store, src/view3d, src/ui or src/app.`,
}));

const TIMER_GLOBALS = ['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
  name,
  message: `No wall-clock timers in the simulation (${name}). ${CLOCK_HINT}`,
}));

const workerGlobals = (names) =>
  names.map((name) => ({
    name,
    message: `Only src/runner deals with workers (${name}), and only its entry src/runner/sim-worker.ts touches the worker's own scope: the simulation runs the same in a worker, a page and Node.`,
  }));
/** Starting a worker: only the runner does. */
const WORKER_START_GLOBALS = workerGlobals(['Worker', 'SharedWorker']);
/** A worker's own scope: only the runner's worker entry. */
const WORKER_SCOPE_GLOBALS = workerGlobals(['self', 'postMessage', 'importScripts']);

/** One config block per layer folder. Later blocks override a rule's options, so each is complete. */
function layerBlock(layer) {
  const { patterns, syntax } = importRules(layer);
  const isCore = CORE_LAYERS.includes(layer);
  const rules = {};
  if (patterns.length > 0) rules['no-restricted-imports'] = ['error', { patterns }];
  const allSyntax = isCore ? [...syntax, ...BELOW_LINE_SYNTAX] : syntax;
  if (allSyntax.length > 0) rules['no-restricted-syntax'] = ['error', ...allSyntax];
  if (isCore) {
    // The headless runner may time itself (its summary reports wall time); the simulation may not.
    const properties = layer === 'cli' ? BELOW_LINE_PROPERTIES.filter((p) => p.object !== 'performance') : BELOW_LINE_PROPERTIES;
    rules['no-restricted-properties'] = ['error', ...properties];
    rules['no-restricted-globals'] = [
      'error',
      ...DOM_GLOBALS,
      ...(BROWSER_SAFE.includes(layer) ? TIMER_GLOBALS : []),
      ...(layer === 'runner' ? [] : WORKER_START_GLOBALS),
      ...WORKER_SCOPE_GLOBALS,
    ];
  }
  return { name: `packetarium/layer-${layer}`, files: [`src/${layer}/**/*.{ts,tsx,js,mjs}`], rules };
}

/** Node globals for plain JS scripts (the e2e harness, config files); TS files get them from types. */
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'globalThis',
  ].map((g) => [g, 'readonly']),
);
/** Browser globals used inside `page.evaluate(...)` callbacks of e2e tests. */
const BROWSER_GLOBALS = Object.fromEntries(
  ['window', 'document', 'navigator', 'getComputedStyle', 'requestAnimationFrame', 'HTMLCanvasElement'].map((g) => [g, 'readonly']),
);

export default defineConfig([
  { ignores: ['dist/', 'out/', 'node_modules/', 'coverage/', 'test/e2e/artifacts/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'packetarium/base',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Long functions are hard to read and to test: a warning (CI's `eslint .` still passes), and every
    // function that stays long says why on an eslint-disable-next-line line. Tests are exempt: a
    // describe() block is long by nature.
    name: 'packetarium/function-length',
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    name: 'packetarium/plain-js',
    files: JS_FILES,
    languageOptions: { sourceType: 'module', globals: NODE_GLOBALS },
  },
  {
    name: 'packetarium/e2e',
    files: ['test/e2e/**/*.{js,mjs}'],
    languageOptions: { globals: { ...NODE_GLOBALS, ...BROWSER_GLOBALS } },
  },
  {
    name: 'packetarium/react-hooks',
    files: ['src/{store,view3d,ui,embed,app}/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  ...ALL_LAYERS.map(layerBlock),
  {
    // The worker's entry is the one file that is the worker's global scope.
    name: 'packetarium/runner-worker-entry',
    files: ['src/runner/sim-worker.ts'],
    rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS, ...TIMER_GLOBALS] },
  },
  {
    // The runner's wall clock: paces trace chunks and an embed's time budget, never the simulation.
    name: 'packetarium/runner-wall-clock',
    files: ['src/runner/wall-clock.ts'],
    rules: {
      'no-restricted-properties': ['error', ...BELOW_LINE_PROPERTIES.filter((p) => !(p.object === 'performance' && p.property === 'now'))],
    },
  },
]);
