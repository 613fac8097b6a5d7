#!/usr/bin/env node
// The page never stalls (issue 21): the longest main-thread task (Long Tasks API, PerformanceObserver
// 'longtask': tasks over 50 ms; 0 = none) of the app's bench build in headless Chromium while
//   open      loading the page with the default scene, to its first frame (fresh loads);
//   switch    picking another scene in the scene list, to its first frame, for several scenes;
//   lesson    opening a lesson from the catalogue, until its player is ready;
//   steps     moving through that lesson's steps (N), each until the step shows;
//   storm     the 60 s, 10,000-client storm (scenes/bench-retry-storm.yaml): picking it, and then
//             scrolling its event list from top to bottom in wheel-sized steps;
// and the peak memory of the page's main thread (CDP Runtime.getHeapUsage: JS heap plus array buffer
// backing stores, sampled every 100 ms) while the storm loads and scrolls. Target for each: no task over 50 ms.
//
//   node bench/browser/long-tasks.mjs [--serve DIR]
// Prints one JSON line. BENCH_LESSON (06-retry-storm) picks the lesson, BENCH_RUNS (3) the fresh
// loads of "open".
/* global window, document, PerformanceObserver, requestAnimationFrame */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ARGS, buildBenchApp, CHROMIUM, median, serve, VIEWPORT } from './harness.mjs';

const TARGET_MS = 50;
const LESSON = process.env.BENCH_LESSON ?? '06-retry-storm';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SWITCHES = ['tcp-loss', 'h2-vs-h3-loss', 'retry-storm', 'router-ping'];
const STORM = 'bench-retry-storm';

/** Before any page script: keep every long task as [start, duration]. */
function observeLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

const now = (page) => page.evaluate(() => performance.now());

/** The longest task that ended after `since` (page ms), after letting late entries arrive. */
async function longestSince(page, since) {
  await page.waitForTimeout(300);
  return page.evaluate((t) => {
    let m = 0;
    for (const [s, d] of window.__longTasks) if (s + d > t) m = Math.max(m, Math.min(d, s + d - t));
    return Math.round(m);
  }, since);
}

async function sceneReady(page, scene) {
  await page.waitForFunction(
    (s) => window.__packetarium?.ready && window.__packetarium.sceneName === s && window.__packetarium.firstFrameMs() !== null,
    scene,
    {
      timeout: 300_000,
    },
  );
  // Two frames: the new view has drawn.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

async function freshPage(browser) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  await ctx.addInitScript(observeLongTasks);
  return { ctx, page: await ctx.newPage() };
}

/** Fresh loads of the default scene: navigation start to its first frame. */
async function openFigures(browser, baseUrl) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const { ctx, page } = await freshPage(browser);
    await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
    await sceneReady(page, 'router-ping');
    xs.push(await longestSince(page, 0));
    await ctx.close();
  }
  return { longestTaskMs: median(xs), runsMs: xs };
}

/** Picks each scene of SWITCHES in turn from the default scene's page. */
async function switchFigures(page) {
  const out = {};
  for (const scene of SWITCHES) {
    await page.waitForTimeout(500);
    const t0 = await now(page);
    await page.selectOption('select[aria-label=Scene]', scene);
    await sceneReady(page, scene);
    out[scene] = await longestSince(page, t0);
  }
  return { longestTaskMs: Math.max(...Object.values(out)), perSceneMs: out };
}

const lessonSettled = (page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=lesson-player]') && !document.querySelector('.lesson-busy'), null, { timeout: 300_000 });

/** Opens LESSON from the catalogue, then walks its steps with N. */
async function lessonFigures(page) {
  await page.waitForTimeout(500);
  await page.keyboard.press('l');
  await page.waitForSelector(`[data-testid=lesson-card-${LESSON}]`);
  await page.waitForTimeout(300);
  const t0 = await now(page);
  await page.click(`[data-testid=lesson-card-${LESSON}] button, [data-testid=lesson-card-${LESSON}]`);
  await lessonSettled(page);
  const open = await longestSince(page, t0);
  const count = await page.locator('.lesson-dots .dot').count();
  const steps = [];
  for (let i = 0; i < count; i++) {
    await page.waitForTimeout(300);
    const t = await now(page);
    await page.keyboard.press('n');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=lesson-player]')?.getAttribute('data-step')) === s, i, { timeout: 300_000 });
    await lessonSettled(page);
    steps.push(await longestSince(page, t));
  }
  await page.keyboard.press('Escape');
  return { open: { longestTaskMs: open }, steps: { longestTaskMs: Math.max(0, ...steps), perStepMs: steps } };
}

/** The page's JS heap plus its array buffers' backing stores (the trace's typed arrays live there). */
async function heapBytes(cdp) {
  const h = await cdp.send('Runtime.getHeapUsage');
  return h.usedSize + (h.backingStorageSize ?? 0);
}

/** Picks the storm, then scrolls its event list top to bottom; samples the page's heap throughout. */
async function stormFigures(browser, baseUrl) {
  const { ctx, page } = await freshPage(browser);
  const cdp = await ctx.newCDPSession(page);
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        peak = Math.max(peak, await heapBytes(cdp));
      } catch {
        // the page is navigating
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  })();
  await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
  await sceneReady(page, 'router-ping');
  const base = await heapBytes(cdp);
  await page.waitForTimeout(500);
  const t0 = await now(page);
  await page.selectOption('select[aria-label=Scene]', STORM);
  await sceneReady(page, STORM);
  const open = await longestSince(page, t0);
  const rows = await page.evaluate(() => window.__packetarium.rows);
  await page.hover('[data-testid=event-list]');
  await page.waitForTimeout(500);
  const t1 = await now(page);
  // Wheel down through the list, and jump (as dragging the scrollbar does) to fixed fractions of it.
  const wheelStart = Date.now();
  for (let i = 0; i < 60; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(16);
  }
  for (const f of [0.1, 0.25, 0.5, 0.75, 0.99, 0.5, 0]) {
    await page.evaluate((frac) => {
      const el = document.querySelector('[data-testid=event-list]');
      el.scrollTop = frac * (el.scrollHeight - el.clientHeight);
    }, f);
    await page.waitForTimeout(100);
  }
  const scrollWallMs = Date.now() - wheelStart;
  const scroll = await longestSince(page, t1);
  sampling = false;
  await sampler;
  await ctx.close();
  return {
    rows,
    open: { longestTaskMs: open },
    scroll: { longestTaskMs: scroll, wallMs: scrollWallMs },
    peakHeapMB: Math.round(peak / 2 ** 20),
    heapBeforeMB: Math.round(base / 2 ** 20),
  };
}

async function main() {
  const serveIdx = process.argv.indexOf('--serve');
  let dir;
  let tmp = null;
  if (serveIdx >= 0) dir = resolve(process.argv[serveIdx + 1]);
  else ({ dir, tmp } = await buildBenchApp());
  const { chromium } = await import('playwright-core');
  const { server, baseUrl } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const open = await openFigures(browser, baseUrl);
    const { ctx, page } = await freshPage(browser);
    await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
    await sceneReady(page, 'router-ping');
    const switching = await switchFigures(page);
    const lesson = await lessonFigures(page);
    await ctx.close();
    const storm = await stormFigures(browser, baseUrl);
    console.log(
      JSON.stringify({
        bench: 'browser-long-tasks',
        chromium: browser.version(),
        targetMs: TARGET_MS,
        open,
        switch: switching,
        lessonOpen: { lesson: LESSON, ...lesson.open },
        lessonSteps: lesson.steps,
        storm,
      }),
    );
  } finally {
    await browser.close();
    server.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err?.stack || String(err));
  process.exit(1);
});
