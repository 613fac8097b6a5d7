// Large scenes compute in the simulation worker: while they do, the page keeps drawing frames and
// handling clicks, and a progress bar shows simulated time and events climbing. The trace rebuilt on
// the page from the worker's chunks hashes exactly like Node's; Cancel and switching scenes stop the
// old run, and nothing of it lands in the scene that follows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'simulation worker: responsive page, progress, cancel, same hash as Node';
export const timeout = 180_000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIG = 'retry-storm';
/** A 60 s storm: many seconds of work, so a click surely comes before it ends. */
const HUGE = 'bench-retry-storm';
const SMALL = 'router-ping';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function nodeHashes(scenes) {
  const r = spawnSync('npx', ['tsx', 'test/e2e/node-hash.ts', ...scenes], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node-hash.ts failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Before any page script: count animation frames, and note every new progress value a frame sees. */
function recordFrames() {
  window.__frames = { count: 0, samples: [] };
  const tick = () => {
    const f = window.__frames;
    f.count++;
    const bar = document.querySelector('[data-testid=sim-progress]');
    if (bar) {
      const simNs = Number(bar.getAttribute('data-sim-ns'));
      const events = Number(bar.getAttribute('data-events'));
      const last = f.samples[f.samples.length - 1];
      if (!last || last.simNs !== simNs || last.events !== events) f.samples.push({ simNs, events, frame: f.count });
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const frames = (page) => page.evaluate(() => window.__frames);
const progressNow = (page) =>
  page.evaluate(() => {
    const bar = document.querySelector('[data-testid=sim-progress]');
    return bar
      ? { simNs: Number(bar.getAttribute('data-sim-ns')), events: Number(bar.getAttribute('data-events')), max: Number(bar.getAttribute('max')) }
      : null;
  });

async function waitReady(page, scene) {
  await page.waitForFunction((s) => window.__packetarium?.ready && window.__packetarium.sceneName === s, scene, { timeout: 90_000 });
  return page.evaluate(() => ({ ...window.__packetarium }));
}

/** Waits until the run has visibly started (some events) but is not finished. */
async function waitRunning(page) {
  for (let i = 0; i < 400; i++) {
    const p = await progressNow(page);
    if (p && p.events > 0) return p;
    await sleep(25);
  }
  throw new Error('the progress bar never showed any events');
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  const expected = nodeHashes([BIG, SMALL]);
  await page.addInitScript(recordFrames);

  // 1. A big scene: frames keep coming and the progress climbs while it computes; same hash as Node.
  await page.goto(`${baseUrl}/index.html?scene=${BIG}`, { waitUntil: 'load' });
  await waitRunning(page);
  await screenshot('progress');
  const got = await waitReady(page, BIG);
  assert.equal(got.traceHash, expected[BIG].hash, `${BIG}: browser hash ${got.traceHash} != node hash ${expected[BIG].hash}`);
  assert.equal(got.events, expected[BIG].events, `${BIG}: kernel events`);
  assert.equal(got.rows, expected[BIG].rows, `${BIG}: trace rows`);
  const f = await frames(page);
  const s = f.samples;
  assert.ok(s.length >= 3, `the progress bar showed ${s.length} values while ${BIG} computed: ${JSON.stringify(s)}`);
  for (let i = 1; i < s.length; i++) {
    assert.ok(s[i].simNs >= s[i - 1].simNs && s[i].events > s[i - 1].events, `progress went backwards: ${JSON.stringify(s)}`);
  }
  // Each value above was seen by its own animation frame, while the scene was still computing (a
  // synchronous run would show none: no frame runs until it is over).
  const framesWhileComputing = s[s.length - 1].frame - s[0].frame;
  assert.ok(framesWhileComputing >= s.length - 1, `animation frames ran while computing (${framesWhileComputing})`);
  console.log(`    ${BIG}: ${s.length} progress values over ${framesWhileComputing} animation frames; hash ${got.traceHash}`);

  // 2. Cancel a huge scene mid-run: handled at once; nothing of it lands afterwards.
  await page.goto(`${baseUrl}/index.html?scene=${HUGE}`, { waitUntil: 'load' });
  const before = await waitRunning(page);
  await page.locator('[data-testid=sim-cancel]').click();
  await page.locator('[data-testid=sim-cancelled]').waitFor({ timeout: 5_000 });
  assert.ok(before.simNs < before.max, 'the run was still going when Cancel was clicked');
  await screenshot('cancelled');
  await sleep(1500);
  assert.equal(await page.locator('[data-testid=sim-cancelled]').count(), 1, 'still cancelled a while later');
  assert.equal(await page.evaluate(() => window.__packetarium), undefined, 'no trace landed after Cancel');

  // 3. Another scene picked while a huge one computes: that scene's own trace, and it stays.
  await page.goto(`${baseUrl}/index.html?scene=${HUGE}`, { waitUntil: 'load' });
  await waitRunning(page);
  await page.selectOption('select[aria-label=Scene]', SMALL);
  const small = await waitReady(page, SMALL);
  assert.equal(small.traceHash, expected[SMALL].hash, `${SMALL} after switching: browser hash ${small.traceHash} != node hash ${expected[SMALL].hash}`);
  const midway = await progressNow(page);
  assert.equal(midway, null, 'no progress bar once the picked scene is ready');
  await sleep(2000);
  const later = await page.evaluate(() => ({ name: window.__packetarium?.sceneName, hash: window.__packetarium?.traceHash, rows: window.__packetarium?.rows }));
  assert.deepEqual(later, { name: SMALL, hash: expected[SMALL].hash, rows: expected[SMALL].rows }, 'a chunk of the replaced run changed the scene');
  assert.equal(await page.locator('select[aria-label=Scene]').inputValue(), SMALL);

  // 4. And cancelling, then loading another scene, gives that scene's hash.
  await page.goto(`${baseUrl}/index.html?scene=${HUGE}`, { waitUntil: 'load' });
  await waitRunning(page);
  await page.locator('[data-testid=sim-cancel]').click();
  await page.locator('[data-testid=sim-cancelled]').waitFor({ timeout: 5_000 });
  await page.selectOption('select[aria-label=Scene]', BIG);
  const again = await waitReady(page, BIG);
  assert.equal(again.traceHash, expected[BIG].hash, `${BIG} after a cancelled run: hash`);

  // 5. An embed of the big scene computes off the host page's main thread too, with progress.
  await page.goto(`${baseUrl}/embed.html?scene=${BIG}&view=ladder`, { waitUntil: 'load' });
  const percents = new Set();
  for (let i = 0; i < 2000; i++) {
    const st = await page.evaluate(() => {
      const p = document.querySelector('[data-testid=pk-progress]');
      const e = window.__packetariumEmbed?.();
      return { p: p?.textContent?.trim() ?? null, ready: e?.ready ?? false, error: e?.error ?? null };
    });
    if (st.p) percents.add(st.p);
    assert.equal(st.error, null, `the embed of ${BIG} failed`);
    if (st.ready) break;
    await sleep(20);
  }
  assert.ok(percents.size >= 2, `the embed showed its progress (${[...percents].join(', ')})`);
  const ef = await frames(page);
  assert.ok(ef.count > 5, `animation frames ran in the embed page (${ef.count})`);

  assert.deepEqual(consoleErrors(), [], 'console errors');
}
