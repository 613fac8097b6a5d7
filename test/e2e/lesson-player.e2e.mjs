// A student completes lesson 1 by keyboard only; progress survives a reload.
import assert from 'node:assert/strict';

export const name = 'lesson player (keyboard, reload)';
export const timeout = 180_000;

async function ready(page) {
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });
}

async function settled(page) {
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy'), null, { timeout: 30_000 });
}

async function step(page) {
  return Number(await page.getAttribute('[data-testid=lesson-player]', 'data-step'));
}

export async function run({ page, baseUrl, screenshot, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
  await ready(page);
  // L opens the catalogue; Enter opens the first lesson (its card has the focus).
  await page.keyboard.press('l');
  await page.waitForSelector('[data-testid=lesson-catalogue]');
  assert.ok((await page.locator('.lesson-card').count()) >= 7, 'seven lessons in the catalogue');
  await page.waitForTimeout(200);
  await screenshot('catalogue');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.match(await page.textContent('[data-testid=lesson-title]'), /Hub, switch, router/);
  assert.equal(await step(page), -1, 'starts at the introduction');

  // Step through with N; answer questions with letters; the try-it with a letter and Enter.
  await page.keyboard.press('n');
  await settled(page);
  assert.equal(await step(page), 0);
  const steps = await page.locator('.lesson-dots .dot').count();
  const t0 = await page.textContent('[data-testid=time] .now');
  await page.keyboard.press('n');
  const t1 = await page.textContent('[data-testid=time] .now');
  assert.notEqual(t1, t0, `the playhead follows the steps (${t0} -> ${t1})`);
  // Explore freely, then come back with R.
  await page.keyboard.press('Home');
  assert.ok(await page.isVisible('[data-testid=lesson-return]'), '"Back to this step" offered after exploring');
  await page.keyboard.press('r');
  assert.equal(await page.textContent('[data-testid=time] .now'), t1, 'R returns to the step moment');

  let shotQuestion = false;
  for (let i = 2; i < steps; i++) {
    await page.keyboard.press('n');
    await settled(page);
    assert.equal(await step(page), i);
    if (await page.isVisible('[data-testid=lesson-question]')) {
      // Choices are shown shuffled: try each by its key; exactly one is confirmed, the rest refuted.
      const keys = await page.locator('[data-testid=lesson-question] .choice-key').allTextContents();
      const right = [];
      for (const key of keys) {
        await page.keyboard.press(key.toLowerCase());
        await page.waitForSelector(`[data-testid=choice-${key.toLowerCase()}][aria-pressed=true]`);
        const fb = await page.textContent('[data-testid=lesson-feedback]');
        assert.match(fb, /Right|Not quite/, `question ${i + 1}, choice ${key}: feedback shown`);
        if (/Right/.test(fb)) right.push(key);
      }
      assert.equal(right.length, 1, `question ${i + 1}: exactly one choice confirmed by the simulation (${right.join(', ')})`);
      await page.keyboard.press(right[0].toLowerCase());
      await page.waitForFunction(() => /Right/.test(document.querySelector('[data-testid=lesson-feedback]')?.textContent ?? ''));
      if (!shotQuestion) {
        await screenshot('question-answered');
        shotQuestion = true;
      }
    }
    if (await page.isVisible('[data-testid=lesson-try]')) {
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=try-feedback]');
      assert.match(await page.textContent('[data-testid=try-feedback]'), /Not yet/, 'the broken start does not reach the goal');
      await page.keyboard.press('c');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /Goal reached/.test(document.querySelector('[data-testid=try-feedback]')?.textContent ?? ''), null, { timeout: 30_000 });
      await page.waitForTimeout(300);
      await screenshot('try-it-passed');
    }
  }
  await page.waitForSelector('[data-testid=lesson-complete]');
  assert.equal(await page.locator('.lesson-dots .dot.done').count(), steps, 'every step done');
  await page.waitForTimeout(300);
  await screenshot('lesson-complete');

  // Reload: the lesson, the step and the answers come back.
  await page.reload({ waitUntil: 'load' });
  await settled(page);
  assert.equal(await step(page), steps - 1, 'same step after reload');
  assert.equal(await page.locator('.lesson-dots .dot.done').count(), steps, 'progress survives a reload');
  await page.waitForSelector('[data-testid=lesson-complete]');
  await page.keyboard.press('p');
  await settled(page);
  assert.equal(await step(page), steps - 2);

  // Opening lesson 6 (a heavier scene): the page keeps drawing frames while its runs compute.
  await page.click('text=← All lessons');
  await page.waitForSelector('[data-testid=lesson-catalogue]');
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__lessonFrames = { busy: 0, done: false };
    const tick = () => {
      if (document.querySelector('.lesson-busy, [data-testid=loading]')) w.__lessonFrames.busy++;
      if (!w.__lessonFrames.done) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.locator('.lesson-card', { hasText: /retry/i }).first().click();
  await page.waitForSelector('[data-testid=lesson-player]');
  await page.waitForFunction(
    () => !document.querySelector('.lesson-busy') && /retry/i.test(document.querySelector('[data-testid=lesson-title]')?.textContent ?? ''),
    null,
    { timeout: 60_000 },
  );
  const frames = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__lessonFrames.done = true;
    return w.__lessonFrames.busy;
  });
  assert.ok(frames >= 3, `frames drawn while lesson 6 computes: ${frames}`);
  const errors = consoleErrors();
  assert.deepEqual(errors, [], 'no console errors');
}
