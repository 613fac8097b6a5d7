#!/usr/bin/env node
// Bundle budgets of the embed (docs/embed.md), read from a finished `vite build`:
//
//   initial script of embed.html (entry + its static imports)   <= 80 KB gzipped
//   3D chunk (view3d, three, @react-three/fiber: what the 3D view adds
//             beyond the initial script and the simulation chunk)  <= 260 KB gzipped
//   <packetarium-scene> script (packetarium-embed.js + imports)  <= 10 KB gzipped
//   simulation worker (assets/sim-worker-*.js and the chunks it imports statically: the
//             simulator, run off the page's main thread)          <= 230 KB gzipped
//   everything a 3D embed of a scene without TLS, QUIC, HTTP or DNS downloads (initial script +
//             scene chunk + 3D chunk + worker)                    <= 460 KB gzipped
//             (the goal is 450 KB: DHCP and NAT in the worker and core dissectors put it at 454 KB)
//   what only some scenes load on demand is reported beside it: the page's richer dissectors, and
//   the worker's programs on TLS/QUIC/HTTP with noble's crypto (src/runner/on-demand.ts).
//   page before the worker (initial script + scene chunk: what an
//             embed page fetches before it starts the worker)     <= 165 KB gzipped
//   the ladder-only path (initial + scene chunk + ladder) loads no three.js at all.
//   no chunk the page loads with a worker (initial, scene, ladder, 3D) holds zod, yaml, the scene
//   validation or the simulator: they are in the worker, and in the page only in the fallback chunk
//   (src/runner/run-request.ts, a dynamic import used where there is no worker). Checked by
//   marker strings of each, which must also be found in the worker (so a renamed marker fails).
//
// Usage: node scripts/check-bundle.mjs [distDir] [--json]   (default: dist; `npm run check:bundle`)
// --json prints one line of figures (bytes) last, for `npm run bench`.
// Reads distDir/.vite/manifest.json (vite.config.ts sets build.manifest). Exits 1 over budget.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const KB = 1000; // kB as vite reports them (conservative next to KiB)
const BUDGETS = { initial: 80 * KB, threeD: 260 * KB, element: 10 * KB, worker: 230 * KB, beforeWorker: 165 * KB, total: 460 * KB };

/** Strings only the simulator side holds: a page chunk containing one has the simulator in it. */
const SIMULATOR_MARKERS = [
  { what: 'zod', marker: 'ZodError' },
  { what: 'yaml', marker: 'YAMLParseError' },
  { what: 'the scene validation (src/scenario/validate.ts)', marker: 'a mapping (key: value)' },
  { what: 'the simulation kernel (src/sim/kernel.ts)', marker: 'too many pending events' },
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const dist = resolve(args.find((a) => !a.startsWith('--')) ?? 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`check:bundle: ${manifestPath} not found. Run \`npm run build\` first (vite.config.ts must set build.manifest: true).`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const sizeCache = new Map();
function gz(file) {
  if (!sizeCache.has(file)) {
    const bytes = readFileSync(join(dist, file));
    sizeCache.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizeCache.get(file);
}
/** Files of `key` and everything it imports statically. */
function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const k of chunk.imports ?? []) closure(k, seen);
  return seen;
}
const total = (files) => [...files].reduce((s, f) => s + gz(f).gzip, 0);
const minus = (a, ...bs) => new Set([...a].filter((f) => !bs.some((b) => b.has(f))));
const kb = (n) => `${(n / KB).toFixed(1)} kB`;

const embedKey = Object.keys(manifest).find((k) => manifest[k].isEntry && manifest[k].src === 'embed.html') ?? 'embed.html';
const embed = manifest[embedKey];
if (!embed) {
  console.error('check:bundle: embed.html is not an entry of the build (vite.config.ts build.rollupOptions.input)');
  process.exit(1);
}
const dyn = (embed.dynamicImports ?? []).map((k) => ({ key: k, ...manifest[k] }));
const findDyn = (re) => dyn.find((d) => re.test(d.src ?? d.name ?? d.key) || re.test(d.name ?? ''));
const threeKey = findDyn(/Scene3D/)?.key;
const simKey = findDyn(/(^|\/)sim(\.ts)?$/)?.key;
const ladderKey = findDyn(/Ladder/)?.key;

const initial = closure(embedKey);
const sim = simKey ? minus(closure(simKey), initial) : new Set();
const ladder = ladderKey ? minus(closure(ladderKey), initial, sim) : new Set();
const three = threeKey ? minus(closure(threeKey), initial, sim, ladder) : new Set();
const elementKey = Object.keys(manifest).find((k) => manifest[k].isEntry && /element\.ts$/.test(manifest[k].src ?? k));
const element = elementKey ? closure(elementKey) : new Set();

const failures = [];
function report(label, files, budget) {
  const size = total(files);
  const over = budget !== undefined && size > budget;
  console.log(`${over ? '✗' : '✓'} ${label}: ${kb(size)} gzipped${budget !== undefined ? ` (budget ${kb(budget)})` : ''}`);
  for (const f of [...files].sort((a, b) => gz(b).gzip - gz(a).gzip))
    console.log(`    ${f.padEnd(48)} ${kb(gz(f).raw).padStart(9)} raw ${kb(gz(f).gzip).padStart(9)} gz`);
  if (over) failures.push(`${label} is ${kb(size)} gzipped, over its budget of ${kb(budget)} by ${kb(size - budget)}`);
}
console.log(`embed bundle sizes in ${dist}`);
report('initial script (embed.html)', initial, BUDGETS.initial);
report('scene chunk (lazy: scene texts, trace readers, describe; the simulator is in the worker)', sim);
report('page before the worker (initial script + scene chunk)', new Set([...initial, ...sim]), BUDGETS.beforeWorker);
report('ladder chunk (lazy)', ladder);
if (!threeKey) failures.push('no lazily loaded 3D chunk (Scene3D) among the dynamic imports of embed.html: is the 3D view still lazy?');
report('3D chunk (lazy: three, @react-three/fiber, view3d)', three, BUDGETS.threeD);
if (elementKey) report('<packetarium-scene> script', element, BUDGETS.element);
else failures.push('no src/embed/element.ts entry (packetarium-embed.js) in the build');

// The simulation worker is not in the manifest (Vite bundles workers on their own): find its entry by
// name, then follow its imports: static ones are part of the worker, dynamic ones load on demand.
const assetsDir = join(dist, 'assets');
const manifestFiles = new Set(Object.values(manifest).map((c) => c.file));
const workerFiles = existsSync(assetsDir)
  ? readdirSync(assetsDir)
      .filter((f) => /^sim-worker-.*\.js$/.test(f) && !manifestFiles.has(`assets/${f}`))
      .map((f) => `assets/${f}`)
  : [];
/** Chunks a file imports, statically (`import … from "./x.js"`, `import "./x.js"`) and dynamically. */
function importsOf(file) {
  const text = readFileSync(join(dist, file), 'utf8');
  const at = (m) => join(file, '..', m).replace(/\\/g, '/');
  const stat = [...text.matchAll(/\bimport\s*(?:[\w*${}\s,]+from\s*)?["'`](\.[^"'`]+)["'`]/g)].map((m) => at(m[1]));
  const dynamic = [...text.matchAll(/\bimport\s*\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g)].map((m) => at(m[1]));
  return { stat, dynamic };
}
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const f of importsOf(file).stat) staticClosure(f, seen);
  return seen;
}
let worker = new Set();
let workerOnDemand = new Set();
if (workerFiles.length === 1) {
  worker = staticClosure(workerFiles[0]);
  const pending = [...worker].flatMap((f) => importsOf(f).dynamic);
  while (pending.length) {
    const f = pending.pop();
    if (worker.has(f) || workerOnDemand.has(f)) continue;
    workerOnDemand.add(f);
    const { stat, dynamic } = importsOf(f);
    pending.push(...stat, ...dynamic);
  }
  report('simulation worker (its entry and static imports)', worker, BUDGETS.worker);
  report('worker chunks loaded on demand (TLS/QUIC/HTTP programs, noble, match dissectors)', workerOnDemand);
  const text = [...worker].map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
  for (const f of [...worker, ...workerOnDemand]) {
    if (manifestFiles.has(f)) failures.push(`${f} is both a page chunk and a worker chunk`);
    if (/WebGLRenderer/.test(readFileSync(join(dist, f), 'utf8'))) failures.push(`${f} (simulation worker) contains three.js (WebGLRenderer)`);
  }
  for (const { what, marker } of SIMULATOR_MARKERS) {
    if (!text.includes(marker))
      failures.push(`${workerFiles[0]} lacks the marker "${marker}" of ${what}: update SIMULATOR_MARKERS in scripts/check-bundle.mjs`);
  }
} else {
  failures.push(`expected one simulation worker (assets/sim-worker-*.js), found ${workerFiles.length}`);
}

// What the page loads on demand after the scene chunk (the richer dissectors, for scenes with DNS,
// QUIC, HTTP or TLS frames): dynamic imports of the scene chunk that are not the no-worker fallback.
const dissectorKeys = simKey ? (manifest[simKey].dynamicImports ?? []).filter((k) => manifest[k]?.name === 'builtin') : [];
if (simKey && dissectorKeys.length !== 1) failures.push('the scene chunk should load the richer dissectors (src/protocols/builtin.ts) with one dynamic import');
const pageOnDemand = minus(new Set(dissectorKeys.flatMap((k) => [...closure(k)])), initial, sim);
report('page chunks loaded on demand (richer dissectors)', pageOnDemand);

const everything = new Set([...initial, ...sim, ...three, ...worker]);
report('total download of a 3D embed (initial + scene chunk + 3D chunk + worker)', everything, BUDGETS.total);
const worst = total(everything) + total(pageOnDemand) + total(workerOnDemand);
console.log(`  with everything loaded on demand as well (a scene using every protocol): ${kb(worst)} gzipped`);

// With a worker, the page must not download the simulator a second time.
for (const f of new Set([...initial, ...sim, ...ladder, ...three, ...pageOnDemand])) {
  const text = readFileSync(join(dist, f), 'utf8');
  for (const { what, marker } of SIMULATOR_MARKERS) {
    if (text.includes(marker))
      failures.push(`${f} is loaded by the embed page but contains ${what} ("${marker}"): only the worker and the no-worker fallback may`);
  }
}

// The ladder-only path must not contain three.js.
for (const f of new Set([...initial, ...sim, ...ladder])) {
  const text = readFileSync(join(dist, f), 'utf8');
  if (/WebGLRenderer/.test(text)) {
    failures.push(`${f} is loaded by the ladder-only view but contains three.js (WebGLRenderer)`);
  }
}

function printJson() {
  const figures = {
    initial: total(initial),
    sceneChunk: total(sim),
    threeD: total(three),
    worker: total(worker),
    total: total(everything),
    budgetTotal: BUDGETS.total,
    onDemandPage: total(pageOnDemand),
    onDemandWorker: total(workerOnDemand),
    withEverything: worst,
    failures,
  };
  console.log(JSON.stringify(figures));
}

if (failures.length) {
  console.error('\ncheck:bundle FAILED:');
  for (const f of failures) console.error(`  - ${f}`);
  console.error('Split the code (dynamic import) or trim dependencies; see docs/embed.md "Budgets".');
  if (json) printJson();
  process.exit(1);
}
console.log('\ncheck:bundle: all embed budgets met');
if (json) printJson();
