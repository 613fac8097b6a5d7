// Bugs 1 and 2 of issue 18: a link always wins over a saved lesson (a closed lesson stays closed,
// resuming is offered, never imposed), and a reload mid-lesson keeps the step and the playhead.
import assert from 'node:assert/strict';

export const name = 'lesson links (a link wins, a reload keeps the moment)';
export const timeout = 150_000;

const ready = (page) => page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
const settled = async (page) => {
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy'), null, { timeout: 30_000 });
};
const now = (page) => page.evaluate(() => window.__packetarium?.time());
const query = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(window.location.search)));

async function openFirstLesson(page) {
  await page.keyboard.press('l');
  await page.waitForSelector('[data-testid=lesson-catalogue]');
  await page.locator('.lesson-open').first().click();
  await settled(page);
}

/** The link `?scene=tcp-loss&t=12ms` shows tcp-loss at 12 ms, keeps its address, and no lesson panel. */
async function assertLinkWins(page, baseUrl, why) {
  await page.goto(`${baseUrl}/index.html?scene=tcp-loss&t=12ms`, { waitUntil: 'load' });
  await ready(page);
  await page.waitForTimeout(1500); // a saved lesson used to take over here
  assert.equal(await page.evaluate(() => window.__packetarium?.sceneName), 'tcp-loss', `${why}: the linked scene is shown`);
  assert.equal(await now(page), 12_000_000, `${why}: the playhead is at the link's t`);
  assert.equal(await page.locator('[data-testid=lesson-panel]').count(), 0, `${why}: no lesson panel`);
  const q = await query(page);
  assert.equal(q.scene, 'tcp-loss', `${why}: the address keeps the scene`);
  assert.equal(q.t, '12ms', `${why}: the address keeps t`);
}

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await ready(page);

  // Bug 1: open a lesson, close the panel with L, follow a link.
  await openFirstLesson(page);
  await page.keyboard.press('l');
  await page.waitForSelector('[data-testid=lesson-panel]', { state: 'detached' });
  await assertLinkWins(page, baseUrl, 'closed with L');

  // Closed with × (the panel's close button) is the same.
  await openFirstLesson(page);
  await page.click('.lesson-close');
  await assertLinkWins(page, baseUrl, 'closed with ×');

  // Left open: the link still wins, and resuming the lesson is offered.
  await openFirstLesson(page);
  await assertLinkWins(page, baseUrl, 'left open');
  const resume = page.locator('[data-testid=lesson-resume]');
  assert.ok(await resume.isVisible(), 'resuming the lesson is offered');
  await resume.click();
  await settled(page);
  assert.match(await page.textContent('[data-testid=lesson-title], [data-testid=lesson-step-title]'), /\S/, 'resume opens the lesson');

  // Bug 2: reload mid-lesson, after moving the playhead away from the step's moment.
  await page.keyboard.press('n');
  await settled(page);
  await page.keyboard.press('n');
  await settled(page);
  const step = await page.getAttribute('[data-testid=lesson-player]', 'data-step');
  await page.click('[data-testid=step-next]');
  await page.click('[data-testid=step-next]');
  const t = await now(page);
  assert.ok(t > 0, 'the playhead moved');
  await page.waitForFunction(() => window.location.search.includes('t='));
  await page.waitForTimeout(600); // the address follows the playhead (throttled)
  const before = await query(page);
  await page.reload({ waitUntil: 'load' });
  await settled(page);
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
  await page.waitForTimeout(800);
  assert.equal(await page.getAttribute('[data-testid=lesson-player]', 'data-step'), step, 'the same step after a reload');
  assert.equal(await now(page), t, 'the same playhead after a reload');
  assert.equal((await query(page)).t, before.t, "the address's t is kept");

  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
