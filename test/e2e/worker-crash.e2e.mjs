// The simulation worker failing is reported on the page with a way to run the scene again, and
// nothing the user made is lost: an uncaught exception in the worker, running out of memory (the
// error event Chromium delivers, "Array buffer allocation failed"), and a worker the browser ended
// without a word (terminated: the page notices the silence). In the editor, the scene being edited
// and My scenes stay as they were.
/* global ErrorEvent */
import assert from 'node:assert/strict';

export const name = 'simulation worker crash or out of memory: reported with a retry, nothing made is lost';
export const timeout = 240_000;

/** Records every Worker the page starts; with `__crashNextReply` set, swallows its next reply and fails with that message instead. */
function wrapWorkers() {
  const Native = window.Worker;
  window.__workers = [];
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      window.__workers.push(this);
    }
    set onmessage(fn) {
      super.onmessage = fn
        ? (e) => {
            const crash = window.__crashNextReply;
            if (!crash) return fn(e);
            window.__crashNextReply = undefined;
            this.dispatchEvent(new ErrorEvent('error', { message: crash, cancelable: true }));
          }
        : null;
    }
    get onmessage() {
      return super.onmessage;
    }
  };
}

/** The error event the browser delivers when the worker throws or runs out of memory. */
const failLatestWorker = (page, message) =>
  page.evaluate((m) => window.__workers.at(-1).dispatchEvent(new ErrorEvent('error', { message: m, cancelable: true })), message);

/** The editor's scene as its Export button saves it. */
async function exported(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="editor-export"]')]);
  const stream = await download.createReadStream();
  const parts = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

async function computing(page) {
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-progress"]')?.getAttribute('data-events') ?? 0) > 0, null, {
    timeout: 60_000,
  });
}

async function failedThenRetried(page, scene, why) {
  const failed = page.locator('[data-testid="sim-failed"]');
  await failed.waitFor({ timeout: 60_000 });
  assert.match((await failed.textContent()) ?? '', why);
  await page.click('[data-testid="sim-retry"]');
  await page.waitForFunction((s) => window.__packetarium?.ready && window.__packetarium.sceneName === s, scene, { timeout: 120_000 });
  assert.equal(await failed.count(), 0, 'the failure stays on screen after a successful retry');
}

export async function run({ page, baseUrl }) {
  await page.addInitScript(wrapWorkers);
  await page.setViewportSize({ width: 1440, height: 900 });

  // 1. An uncaught exception in the worker while it computes.
  await page.goto(`${baseUrl}/index.html?scene=retry-storm`, { waitUntil: 'load' });
  await computing(page);
  await failLatestWorker(page, 'Uncaught Error: boom');
  await failedThenRetried(page, 'retry-storm', /the simulation worker stopped: Uncaught Error: boom/);

  // 2. Out of memory while it computes.
  await page.goto(`${baseUrl}/index.html?scene=retry-storm`, { waitUntil: 'load' });
  await computing(page);
  await failLatestWorker(page, 'Uncaught RangeError: Array buffer allocation failed');
  await failedThenRetried(page, 'retry-storm', /ran out of memory/);

  // 3. The browser ends the worker and says nothing: the page notices the silence.
  await page.goto(`${baseUrl}/index.html?scene=retry-storm`, { waitUntil: 'load' });
  await computing(page);
  await page.evaluate(() => window.__workers.at(-1).terminate());
  await failedThenRetried(page, 'retry-storm', /stopped answering/);

  // 4. In the editor: a saved scene is edited and run; the worker runs out of memory. The scene
  // being edited and My scenes stay; running it again works.
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready);
  await page.click('[data-testid="editor-toggle"]');
  await page.selectOption('[data-testid="editor-copy-of"]', 'hub-vs-switch');
  await page.click('[data-testid="editor-copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-name"]')?.value === 'hub-vs-switch (copy)');
  const first = await page.locator('g[data-node]').first().getAttribute('data-node');
  await page.locator(`g[data-node="${first}"] rect.body`).click();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid="editor-save"]:has-text("Saved")');
  const before = await page.evaluate(() => document.querySelector('[data-testid="editor-name"]')?.value);
  const textBefore = await exported(page);
  await page.evaluate(() => (window.__crashNextReply = 'Uncaught RangeError: Array buffer allocation failed'));
  await page.click('[data-testid="editor-run"]');
  const failed = page.locator('[data-testid="sim-failed"]');
  await failed.waitFor({ timeout: 60_000 });
  assert.match((await failed.textContent()) ?? '', /ran out of memory/);
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="editor-name"]')?.value), before, 'the editor lost the scene being edited');
  assert.equal(await exported(page), textBefore, 'the scene being edited changed');
  await page.click('[data-testid="editor-my-scenes"]');
  await page.waitForSelector('[data-my-scene="hub-vs-switch (copy)"]');
  await page.click('.editor-popover >> text=Close');
  await page.click('[data-testid="sim-retry"]');
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 60_000 });
  assert.equal(await failed.count(), 0, 'the failure stays on screen after running the scene again');
}
