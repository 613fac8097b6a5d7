// Bug 5 of issue 18: nothing on screen gives a prediction away before the student answers it: the
// scene description, the event rows after the step's moment and the notes under a question stay
// hidden until the question is answered right, then come back.
import assert from 'node:assert/strict';

export const name = 'lesson questions are not given away';
export const timeout = 150_000;

const settled = async (page) => {
  await page.waitForSelector('[data-testid=lesson-player]', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-busy') && window.__packetarium?.ready, null, { timeout: 60_000 });
};

async function openLesson(page, id) {
  await page.evaluate(() => document.activeElement?.blur());
  if (!(await page.isVisible('[data-testid=lesson-catalogue]'))) {
    if (await page.isVisible('text=← All lessons')) await page.click('text=← All lessons');
    else await page.keyboard.press('l');
  }
  await page.waitForSelector('[data-testid=lesson-catalogue]');
  await page.click(`[data-testid=lesson-card-${id}] .lesson-open`);
  await settled(page);
}

async function toQuestion(page) {
  for (let i = 0; i < 12 && !(await page.isVisible('[data-testid=lesson-question]')); i++) {
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('n');
    await settled(page);
  }
  assert.ok(await page.isVisible('[data-testid=lesson-question]'), 'reached a question');
  await page.waitForTimeout(300);
}

async function answerRight(page) {
  const keys = await page.locator('[data-testid=lesson-question] .choice-key').allTextContents();
  for (const key of keys) {
    await page.click(`[data-testid=choice-${key.toLowerCase()}]`);
    await page.waitForSelector('[data-testid=lesson-feedback]');
    if (/Right/.test(await page.textContent('[data-testid=lesson-feedback]'))) return;
  }
  throw new Error('no choice was confirmed');
}

/** The Info of every event row shown after the playhead (and after the step's moment). */
const futureInfo = (page) => page.locator('.ev-row.future .c-info').allTextContents();

export async function run({ page, baseUrl, consoleErrors }) {
  await page.goto(`${baseUrl}/index.html?scene=router-ping`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__packetarium?.ready, null, { timeout: 30_000 });

  // Lesson 4 predicts what h2 does after the lost segment: the scene's description says it outright
  // ("every one makes h2 repeat its ACK"), and the event rows after the moment show the ACKs.
  await openLesson(page, '04-tcp-loss');
  await toQuestion(page);
  assert.match(await page.textContent('.lesson-kind'), /Predict/);
  const inspector = await page.textContent('[data-testid=inspector]');
  assert.doesNotMatch(inspector, /repeat its ACK/, 'the scene description is hidden while the prediction is open');
  const hidden = await futureInfo(page);
  assert.ok(hidden.length > 0, 'rows after the playhead are listed');
  assert.ok(
    hidden.every((t) => !/ACK|Seq=/.test(t)),
    `no row after the playhead shows what happens (${hidden
      .filter((t) => /ACK|Seq=/.test(t))
      .slice(0, 2)
      .join(' | ')})`,
  );
  await answerRight(page);
  await page.waitForTimeout(200);
  assert.match(await page.textContent('[data-testid=inspector]'), /repeat its ACK/, 'the description is back once answered');
  assert.ok(
    (await futureInfo(page)).some((t) => /ACK/.test(t)),
    'the rows are back once answered',
  );

  // Lesson 1: the note under the collision question states the answer; it shows only once answered.
  await openLesson(page, '01-hub-switch-router');
  let found = false;
  for (let i = 0; i < 8 && !found; i++) {
    await toQuestion(page);
    const title = await page.textContent('[data-testid=lesson-step-title]');
    if (/collid|same time|both/i.test(title) || (await page.textContent('[data-testid=lesson-question]')).includes('collided')) found = true;
    else {
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press('n');
      await settled(page);
    }
  }
  assert.ok(found, 'reached the collision question');
  const note = 'Every device on a hub shares';
  assert.ok(!(await page.textContent('.lesson-step')).includes(note), 'the note under the question is hidden before answering');
  await answerRight(page);
  await page.waitForFunction((n) => document.querySelector('.lesson-step')?.textContent?.includes(n), note);
  assert.deepEqual(consoleErrors(), [], 'no console errors');
}
