#!/usr/bin/env node
// Frame-time figures of the production build in headless Chromium (software WebGL, SwiftShader).
//
//   node bench/browser/frame-time.mjs            builds the app, serves it on 127.0.0.1, measures
//   node bench/browser/frame-time.mjs --serve D  measures an existing build in D instead
//
// Prints one JSON line:
//   emptyMedianMs / packetsMedianMs  median per-frame work (scene update + render + GPU sync, timed
//                                    inside the page) with 0 and with N synthetic packets in flight
//                                    (`?bench=packets:N`), same page, same 1280x800 viewport;
//   ratio                            packetsMedianMs / emptyMedianMs;
//   emptyUpdateMs / packetsUpdateMs  the scene-update (JS, before rendering) part of those frames;
//   emptyRafMs / packetsRafMs        median requestAnimationFrame interval (capped by vsync at ~16.7);
//   firstFrameMs                     navigation start -> first frame drawn with the default scene's
//                                    devices (median of several fresh loads);
//   stormWorker / stormInPage        while scenes/retry-storm.yaml computes after being picked in the
//                                    scene list (from the run-start to the run-ready performance mark),
//                                    in the simulation worker and, with ?worker=off, in the page: the
//                                    longest main-thread task within that span (PerformanceObserver
//                                    'longtask', clipped to the span; 0 = none over 50 ms),
//                                    animation frames drawn in it, and its length (medians of fresh loads).
// Figures are measured and reported, never asserted. PACKETARIUM_CHROMIUM overrides /usr/bin/chromium;
// BENCH_PACKETS (10000) and BENCH_SECONDS (5) tune the run.
/* global window, requestAnimationFrame, PerformanceObserver -- used inside page.evaluate callbacks */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ARGS, buildBenchApp, CHROMIUM, median, round, serve, VIEWPORT } from './harness.mjs';

const PACKETS = Number(process.env.BENCH_PACKETS ?? 10000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready && window.__packetarium.firstFrameMs() !== null, null, { timeout: 60_000 });
}

/** Loads `query`, lets it settle, then samples frame work and rAF intervals for SECONDS. */
async function measure(page, baseUrl, query) {
  await page.goto(`${baseUrl}/index.html${query}`, { waitUntil: 'load' });
  await ready(page);
  await page.waitForFunction(() => window.__packetariumBench !== undefined, null, { timeout: 60_000 });
  await page.waitForTimeout(1000);
  return page.evaluate(async (seconds) => {
    const before = window.__packetariumBench.frameStats().length;
    const beforeU = window.__packetariumBench.updateStats().length;
    const raf = [];
    await new Promise((done) => {
      const t0 = performance.now();
      let last = t0;
      const tick = (now) => {
        raf.push(now - last);
        last = now;
        if (now - t0 < seconds * 1000) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    const work = window.__packetariumBench.frameStats().slice(before);
    const update = window.__packetariumBench.updateStats().slice(beforeU);
    return { work, update, raf: raf.slice(1) };
  }, SECONDS);
}

/** One fresh load of the retry storm: the longest task and the frames while it computes. */
async function stormRun(browser, baseUrl, query) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    const w = window;
    w.__storm = { long: [], frames: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__storm.long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    const tick = (t) => {
      w.__storm.frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // Open a small scene first, then pick the storm, as a user switching scenes does.
  await page.goto(`${baseUrl}/index.html?scene=router-ping${query}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  await page.selectOption('select[aria-label=Scene]', 'retry-storm');
  await page.waitForFunction(() => window.__packetarium?.ready && window.__packetarium.sceneName === 'retry-storm', null, { timeout: 120_000 });
  await page.waitForTimeout(200);
  const r = await page.evaluate(() => {
    const start = performance.getEntriesByName('packetarium:run-start').pop()?.startTime;
    const ready = performance.getEntriesByName('packetarium:run-ready').pop()?.startTime;
    const s = window.__storm;
    // The part of each long task inside the run: the render of the finished scene, which follows the
    // ready mark in the same task, is the same either way and not counted.
    const inside = s.long.map(([t, d]) => Math.min(t + d, ready) - Math.max(t, start)).filter((x) => x > 0);
    return {
      longestTaskMs: Math.round(inside.reduce((m, x) => Math.max(m, x), 0)),
      frames: s.frames.filter((t) => t > start && t < ready).length,
      computeMs: ready - start,
    };
  });
  await ctx.close();
  return r;
}

async function stormFigures(browser, baseUrl, query, runs = 3) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await stormRun(browser, baseUrl, query));
  return {
    longestTaskMs: round(median(rs.map((r) => r.longestTaskMs))),
    framesWhileComputing: median(rs.map((r) => r.frames)),
    computeMs: round(median(rs.map((r) => r.computeMs))),
  };
}

async function main() {
  const serveIdx = process.argv.indexOf('--serve');
  let dir;
  let tmp = null;
  if (serveIdx >= 0) dir = resolve(process.argv[serveIdx + 1]);
  else {
    ({ dir, tmp } = await buildBenchApp());
  }
  const { chromium } = await import('playwright-core');
  const { server, baseUrl } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const empty = await measure(page, baseUrl, '?bench=packets:0');
    const full = await measure(page, baseUrl, `?bench=packets:${PACKETS}`);
    await context.close();

    const firsts = [];
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const p = await ctx.newPage();
      await p.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
      await ready(p);
      firsts.push(await p.evaluate(() => window.__packetarium.firstFrameMs()));
      await ctx.close();
    }
    const stormWorker = await stormFigures(browser, baseUrl, '');
    const stormInPage = await stormFigures(browser, baseUrl, '&worker=off');
    const e = median(empty.work);
    const f = median(full.work);
    console.log(
      JSON.stringify({
        bench: 'browser-frame-time',
        chromium: browser.version(),
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
        packets: PACKETS,
        seconds: SECONDS,
        emptyMedianMs: round(e),
        packetsMedianMs: round(f),
        ratio: e && f ? round(f / e) : null,
        emptyUpdateMs: round(median(empty.update)),
        packetsUpdateMs: round(median(full.update)),
        emptyFrames: empty.work.length,
        packetsFrames: full.work.length,
        emptyRafMs: round(median(empty.raf)),
        packetsRafMs: round(median(full.raf)),
        firstFrameMs: round(median(firsts)),
        firstFrameRunsMs: firsts.map(round),
        stormWorker,
        stormInPage,
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
