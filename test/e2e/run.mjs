#!/usr/bin/env node
// Browser tests in real Chromium (`npm run test:browser`).
//
// Builds the app into test/e2e/artifacts/dist, serves it on 127.0.0.1 (a free port), starts Debian's
// Chromium through playwright-core with software WebGL (SwiftShader), and runs every
// test/e2e/*.e2e.mjs. A test module exports
//
//   export const name = 'app loads';
//   export const timeout = 60_000;            // optional, milliseconds
//   export async function run({ page, context, browser, baseUrl, screenshot, consoleErrors }) { ... }
//
// `page` is a fresh page in a fresh browser context. `consoleErrors(p = page)` returns the console
// errors and uncaught exceptions seen so far on a page of that context (except the 404 of the
// browser's own /favicon.ico request). `screenshot(label)` saves
// test/e2e/artifacts/<test file>--<label>.png and returns its path. A test fails by throwing.
//
// Usage: node test/e2e/run.mjs [filter...] [--serve DIR] [--tests DIR]
//   filter     run only test files whose name contains one of these strings
//   --serve    serve DIR as it is instead of building the app (used by the harness self-check)
//   --tests    take the *.e2e.mjs files from DIR instead of test/e2e
// The last line of output is always `N passed, M failed`; the exit code is 0 only when every test
// ran and passed (no tests found, no Chromium, or a failed build all exit 1).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// PACKETARIUM_CHROMIUM overrides the browser binary (default: Debian's chromium).
const CHROMIUM = process.env.PACKETARIUM_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DEFAULT_TIMEOUT_MS = 60_000;

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const artifacts = join(here, 'artifacts');

let passed = 0;
let failed = 0;

function tally() {
  console.log(`${passed} passed, ${failed} failed`);
}

/** Prints `message`, then the tally, and exits 1. */
function abort(message) {
  console.error(message);
  tally();
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { serve: null, tests: here, filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--serve' || arg === '--tests') {
      const value = argv[++i];
      if (!value) abort(`${arg} needs a directory`);
      opts[arg.slice(2)] = resolve(value);
    } else if (arg.startsWith('--')) {
      abort(`unknown option ${arg} (usage: node test/e2e/run.mjs [filter...] [--serve DIR] [--tests DIR])`);
    } else {
      opts.filters.push(arg);
    }
  }
  return opts;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.pcapng': 'application/octet-stream',
};

/** A static file server for `dir` on 127.0.0.1 and a free port. Resolves to { server, baseUrl }. */
function serve(dir) {
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = resolve(dir, `.${pathname}`);
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolvePromise({ server, baseUrl: `http://127.0.0.1:${port}` });
    });
  });
}

function build() {
  const outDir = join(artifacts, 'dist');
  console.log(`building the app into ${relative(root, outDir)} ...`);
  const result = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.error) abort(`could not run vite build: ${result.error.message}`);
  if (result.status !== 0) abort(`vite build failed (exit ${result.status})`);
  return outDir;
}

function findTests(dir, filters) {
  if (!existsSync(dir)) abort(`test directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.mjs'))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort()
    .map((f) => join(dir, f));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Chromium asks every origin for /favicon.ico on its own; a 404 there says nothing about the page.
 * (An icon the page itself links to, under any other path, still counts.)
 */
function isAutomaticFaviconMiss(url) {
  if (!url) return false;
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
}

function safeName(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'shot';
}

async function runTest(file, { browser, baseUrl }) {
  const stem = basename(file, '.e2e.mjs');
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    return { name: stem, error: err };
  }
  const name = typeof mod.name === 'string' ? mod.name : stem;
  if (typeof mod.run !== 'function') {
    return { name, error: new Error(`${relative(root, file)} does not export an async run({ page, ... })`) };
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  /** @type {Map<import('playwright-core').Page, string[]>} */
  const errors = new Map();
  const watch = (p) => {
    if (errors.has(p)) return;
    const list = [];
    errors.set(p, list);
    p.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location();
      if (isAutomaticFaviconMiss(loc?.url)) return;
      list.push(loc?.url ? `${msg.text()} (${loc.url}:${loc.lineNumber})` : msg.text());
    });
    p.on('pageerror', (err) => list.push(`uncaught: ${err.stack || err.message}`));
    p.on('crash', () => list.push('page crashed'));
  };
  context.on('page', watch);
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(15_000);

  const shots = [];
  const screenshot = async (label, p = page) => {
    mkdirSync(artifacts, { recursive: true });
    const path = join(artifacts, `${safeName(stem)}--${safeName(label)}.png`);
    await p.screenshot({ path, fullPage: true });
    shots.push(path);
    return path;
  };
  const consoleErrors = (p = page) => [...(errors.get(p) ?? [])];

  let error = null;
  const started = Date.now();
  try {
    const timeout = Number.isFinite(mod.timeout) ? mod.timeout : DEFAULT_TIMEOUT_MS;
    await withTimeout(
      Promise.resolve().then(() => mod.run({ page, context, browser, baseUrl, screenshot, consoleErrors })),
      timeout,
      `test "${name}"`,
    );
  } catch (err) {
    error = err ?? new Error('test threw a falsy value');
    try {
      await screenshot('failure');
    } catch {
      // the page may be gone; the error below is what matters
    }
  }
  const ms = Date.now() - started;
  const allErrors = [...errors.values()].flat();
  await context.close().catch(() => {});
  return { name, error, ms, shots, consoleErrors: allErrors };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  if (!existsSync(CHROMIUM)) {
    abort(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  }
  const tests = findTests(opts.tests, opts.filters);
  if (tests.length === 0) {
    abort(`no *.e2e.mjs tests found in ${relative(root, opts.tests) || '.'}` + (opts.filters.length ? ` matching ${opts.filters.join(', ')}` : ''));
  }

  const siteDir = opts.serve ?? build();
  if (!existsSync(siteDir)) abort(`nothing to serve: ${siteDir} does not exist`);
  mkdirSync(artifacts, { recursive: true });

  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (err) {
    abort(`playwright-core is not installed (npm install): ${err.message}`);
  }

  const { server, baseUrl } = await serve(siteDir);
  let browser;
  try {
    try {
      browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    } catch (err) {
      abort(`could not start ${CHROMIUM}: ${err.message}`);
    }
    console.log(`serving ${relative(root, siteDir) || '.'} at ${baseUrl}; ${browser.version()}; ${tests.length} test(s)`);

    const report = [];
    for (const file of tests) {
      const result = await runTest(file, { browser, baseUrl });
      const where = relative(root, file);
      if (result.error) {
        failed++;
        console.log(`✗ ${result.name}  [${where}]`);
        console.log(indent(result.error.stack || String(result.error)));
        if (result.consoleErrors?.length) {
          console.log('  console errors:');
          for (const e of result.consoleErrors) console.log(indent(e, 4));
        }
        for (const s of result.shots ?? []) console.log(`  screenshot: ${relative(root, s)}`);
      } else {
        passed++;
        console.log(`✓ ${result.name}  (${result.ms} ms)`);
      }
      report.push({
        file: where,
        name: result.name,
        ok: !result.error,
        ms: result.ms ?? 0,
        error: result.error ? String(result.error.stack || result.error) : null,
        consoleErrors: result.consoleErrors ?? [],
        screenshots: (result.shots ?? []).map((s) => relative(root, s)),
      });
    }
    writeFileSync(join(artifacts, 'report.json'), JSON.stringify({ baseUrl, passed, failed, tests: report }, null, 2));
  } finally {
    await browser?.close().catch(() => {});
    server.close();
  }
  tally();
  process.exit(failed === 0 ? 0 : 1);
}

function indent(text, n = 2) {
  const pad = ' '.repeat(n);
  return String(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

main().catch((err) => abort(`e2e harness error: ${err?.stack || err}`));
